#!/usr/bin/env bash
# `amt-hello capture` against tshark on the same generated capture, in one sitting: a fleet of
# DEVICES devices each sending a real-size PKI Hello (807 bytes, 23 roots) in 2 or 3 segments with
# its handshake and FINs (cli/examples/fleet_capture.rs; about 7.5 packets a device). Each run is a
# whole process timed by /usr/bin/time; the commands take turns (A B C A B C ...) so a drift in
# the machine's speed hits them alike, and each ratio is taken pair by pair, then the median.
#
#   bash cli/benches/capture.sh [DEVICES [RUNS]]      # defaults: 100000 devices, 3 runs
#
# The rows: amt-hello's text report, its JSON report, its text report of the same fleet with each
# device's DHCP ACK and DNS lookup added (`fleet_capture --path`: the whole provisioning path,
# 3 packets more a device), and `tshark -r FILE -Y 'tcp.port == 9971' -T fields -e tcp.payload`
# on the Hello-only file (which only prints the payloads: no reassembly, no decoding). Needs
# tshark; nothing else is installed here.
set -euo pipefail
cd "$(dirname "$0")/../.."
devices=${1:-100000}
runs=${2:-3}
command -v tshark > /dev/null || { echo "capture bench: tshark is not installed" >&2; exit 2; }

cargo build --release --locked -q -p amt-hello-cli --bin amt-hello --example fleet_capture
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
file="$dir/fleet.pcap"
target/release/examples/fleet_capture --devices "$devices" "$file"
target/release/examples/fleet_capture --devices "$devices" --path "$dir/path.pcap"
bin=target/release/amt-hello

# One run: appends "wall cpu rss_kb" to $dir/<name>.
run() {
  local name=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$@" > /dev/null 2> "$dir/stderr" \
    || { echo "$name failed:"; cat "$dir/stderr"; exit 1; } >&2
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time" >> "$dir/$name"
}

for _ in $(seq "$runs"); do
  run text "$bin" capture "$file"
  run json "$bin" capture --format json "$file"
  run path "$bin" capture "$dir/path.pcap"
  run tshark tshark -r "$file" -Y 'tcp.port == 9971' -T fields -e tcp.payload
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_of() { awk -v c="$2" '{ print $c }' "$dir/$1"; }
# tshark's figure over ours, run by run.
ratio() { paste -d' ' <(column_of tshark "$2") <(column_of "$1" "$2") | awk '{ print $1 / $2 }' | median; }

echo
echo "amt-hello capture vs tshark: $devices devices, $(du -m "$file" | cut -f1) MB, $runs runs each (medians)"
printf '%-24s %10s %10s %14s %16s %16s\n' command wall_s cpu_s peak_rss_mb 'tshark/it wall' 'tshark/it cpu'
for name in text json path tshark; do
  wall=$(column_of "$name" 1 | median)
  cpu=$(column_of "$name" 2 | median)
  rss=$(column_of "$name" 3 | median)
  label=$name
  [ "$name" = text ] && label='amt-hello (text)'
  [ "$name" = json ] && label='amt-hello --format json'
  [ "$name" = path ] && label='amt-hello, whole path'
  printf '%-24s %10.2f %10.2f %14.0f %16.2f %16.2f\n' "$label" "$wall" "$cpu" "$((rss / 1024))" \
    "$(ratio "$name" 1)" "$(ratio "$name" 2)"
done
path_over_text=$(paste -d' ' <(column_of path 2) <(column_of text 2) | awk '{ print $1 / $2 }' | median)
echo "the whole path's CPU over the Hello-only file's (amt-hello, text): $path_over_text"
