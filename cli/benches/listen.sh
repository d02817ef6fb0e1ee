#!/usr/bin/env bash
# What `amt-hello listen` costs per Hello next to a null server and MeshCentral's SCA, in one
# sitting. Each server runs pinned to CPU 0 and the client (cli/examples/listen_cpu.rs) to CPU 1;
# the client sends HELLOS real-size PKI Hellos (23 SHA-256 roots), each on its own loopback
# connection, and reads the server's CPU time (user + system) from /proc/PID/stat before and
# after. On a small machine the client caps the rate, so CPU per Hello is what compares servers.
# The servers take turns (A B C A B C ...); each ratio is taken run by run, then the median.
#
#   bash cli/benches/listen.sh [HELLOS [RUNS]]      # defaults: 30000 Hellos, 3 runs
#
# The servers:
#   null         cli/examples/null_server.rs: accept, read to EOF, close (the same tokio runtime)
#   amt-hello    amt-hello listen (stdout to /dev/null)
#   meshcentral  amtprovisioningserver.js from the npm package `meshcentral` in node, with its
#                dependencies stubbed (cli/benches/meshcentral_sca.cjs); skipped without npm.
#                MESHCENTRAL_SCA=path/to/amtprovisioningserver.js skips the download.
set -euo pipefail
cd "$(dirname "$0")/../.."
hellos=${1:-30000}
runs=${2:-3}
[ "$(nproc)" -ge 2 ] || { echo "listen bench: needs 2 CPUs (server and client pinned apart)" >&2; exit 2; }

cargo build --release --locked -q -p amt-hello-cli --bin amt-hello --example listen_cpu --example null_server
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

servers=(null amt-hello)
mesh=${MESHCENTRAL_SCA:-}
if [ -z "$mesh" ] && command -v npm > /dev/null && command -v node > /dev/null; then
  if tarball=$(npm pack meshcentral --silent --pack-destination "$dir" 2> "$dir/npm.txt"); then
    tar -xzf "$dir/${tarball##*$'\n'}" -C "$dir" package/amtprovisioningserver.js
    mesh="$dir/package/amtprovisioningserver.js"
  fi
fi
if [ -n "$mesh" ]; then
  servers+=(meshcentral)
else
  echo "SKIP: MeshCentral's SCA (npm pack meshcentral failed or npm/node missing)"
fi

command_of() {
  case $1 in
    null) echo "target/release/examples/null_server 127.0.0.1:{port}" ;;
    amt-hello) echo "target/release/amt-hello listen --listen 127.0.0.1:{port}" ;;
    meshcentral) echo "node cli/benches/meshcentral_sca.cjs $mesh {port}" ;;
  esac
}

for _ in $(seq "$runs"); do
  for server in "${servers[@]}"; do
    # shellcheck disable=SC2046 # the command's words
    out=$(taskset -c 1 target/release/examples/listen_cpu --hellos "$hellos" -- taskset -c 0 $(command_of "$server"))
    read -r _ cpu _ rate _ failed <<< "$out"
    [ "$failed" = 0 ] || { echo "$server: $failed Hellos failed" >&2; exit 1; }
    echo "$cpu $rate" >> "$dir/$server"
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_of() { awk -v c="$2" '{ print $c }' "$dir/$1"; }
# CPU per Hello over the null server's, run by run.
over_null() { paste -d' ' <(column_of "$1" 1) <(column_of null 1) | awk '{ print $1 / $2 }' | median; }

echo
echo "server CPU per Hello: $hellos Hellos (23-hash PKI) per run, $runs runs each (medians)"
printf '%-14s %16s %14s %14s\n' server cpu_us_per_hello hellos_per_s 'cpu / null'
for server in "${servers[@]}"; do
  printf '%-14s %16.2f %14.0f %14.2f\n' "$server" "$(column_of "$server" 1 | median)" \
    "$(column_of "$server" 2 | median)" "$(over_null "$server")"
done
if [ -n "$mesh" ]; then
  ratio=$(paste -d' ' <(column_of meshcentral 1) <(column_of amt-hello 1) | awk '{ print $1 / $2 }' | median)
  echo "meshcentral / amt-hello CPU per Hello: $ratio"
fi
