#!/bin/sh
# A decoder built on the C ABI (C or Node) against `amt-hello decode`: the same stdout, stderr and exit status for every
# shared vector and real capture (strict and lenient, as arguments and on stdin) and for bad
# hex. Usage: compare-decode.sh COMMAND [ARG]... (absolute paths), e.g.
#   compare-decode.sh /path/ffi/build/amt_hello_decode
#   compare-decode.sh node /path/ffi/js/decode.mjs
set -eu
decoder="$*"
cd "$(dirname "$0")/../.."
cargo build -q -p amt-hello-cli --bin amt-hello
# Cargo's target directory: target/, or CARGO_TARGET_DIR, or a cargo config's.
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
if [ ! -x "$target/debug/amt-hello" ]; then
    echo "compare-decode: the Rust decoder is not at $target/debug/amt-hello after cargo build"
    exit 1
fi
rust_decoder="$target/debug/amt-hello decode"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - > "$work/messages" <<'PY'
import json, pathlib
data = pathlib.Path("tests/data")
v = json.loads((data / "hello-vectors.json").read_text())
for entry in v["valid"] + v["invalid"]:
    print(entry["hex"])
for path in sorted((data / "real").glob("*.hex")):
    print("".join(path.read_text().split()))
PY
# Bad hex, odd lengths, whitespace, an empty line, Windows line ends.
printf '%s\n' '010' '0g' '+f' 'zz' '"\' '  ' '0100 0200 0000 0000 0011 2233 4455 6677 8899 aabb ccdd eeff 4142 4344 3132 3334' >> "$work/messages"
printf '0100020000000000001122334455667788\r\n' >> "$work/messages"

runs=0
compare() {  # compare NAME ARGS... (stdin from $work/in)
    name=$1; shift
    set +e
    $rust_decoder "$@" < "$work/in" > "$work/rust.out" 2> "$work/rust.err"; rust_status=$?
    $decoder "$@" < "$work/in" > "$work/c.out" 2> "$work/c.err"; c_status=$?
    set -e
    if ! cmp -s "$work/rust.out" "$work/c.out" || ! cmp -s "$work/rust.err" "$work/c.err" \
        || [ "$rust_status" != "$c_status" ]; then
        echo "compare-decode: $decoder: $name differs (exit $rust_status vs $c_status)"
        diff "$work/rust.out" "$work/c.out" | head -5 || true
        diff "$work/rust.err" "$work/c.err" | head -5 || true
        exit 1
    fi
    runs=$((runs + 1))
}

cp "$work/messages" "$work/in"
compare "stdin" 
compare "stdin, lenient" --lenient

# stdout and stderr in one pipe (2>&1): each result where its input was, as amt-hello decode
# writes them, for valid and invalid lines mixed.
$rust_decoder < "$work/messages" 2>&1 | cat > "$work/rust.merged"
$decoder < "$work/messages" 2>&1 | cat > "$work/c.merged"
# The messages interleave: an error before the last valid message, a valid one before the last error.
if ! awk '/^error: / { e = e ? e : NR; le = NR } /^\{/ { j = j ? j : NR; lj = NR }
          END { exit !(e && j && e < lj && j < le) }' "$work/rust.merged"; then
    echo "compare-decode: the merged test needs valid and invalid messages interleaved"; exit 1
fi
if ! cmp -s "$work/rust.merged" "$work/c.merged"; then
    echo "compare-decode: $decoder: stdout and stderr in one pipe are not in input order"
    diff "$work/rust.merged" "$work/c.merged" | cut -c1-160 | head -5 || true
    exit 1
fi
runs=$((runs + 1))
: > "$work/in"
while IFS= read -r line; do
    compare "argument $line" "$line"
    compare "argument $line, lenient" --lenient "$line"
done < "$work/messages"
lines=$(wc -l < "$work/messages")
echo "compare-decode: $decoder printed exactly what amt-hello decode did in $runs runs ($lines messages; one with 2>&1 into one pipe)"
