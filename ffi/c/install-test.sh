#!/bin/sh
# make -C ffi install-test: the library as a C user gets it. Installs into a temporary prefix,
# builds the header's example program from the installed header with
#   cc app.c $(pkg-config --cflags --libs amt-hello)
# against the shared library and against the static one, and runs both: the real captures
# (tests/data/real/*.hex) give their GUIDs, a truncated Hello gives the C decoder's error (which
# compare-decode.sh holds to Rust's). The static program's .text, with --gc-sections, must stay
# within 64 KiB: the libraries link no Rust standard library.
set -eu
cd "$(dirname "$0")/.."
decoder=$(pwd)/build/amt_hello_decode
data=$(pwd)/../tests/data/real
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
make -s install PREFIX="$prefix"
PKG_CONFIG_PATH=$prefix/lib/pkgconfig
export PKG_CONFIG_PATH
echo "install-test: $(cd "$prefix" && find . -type f -o -type l | sort | tr '\n' ' ')"
echo "install-test: pkg-config amt-hello $(pkg-config --modversion amt-hello): $(pkg-config --cflags --libs amt-hello)"

# The example in the header's opening comment, as installed.
sed -n '/^ \*     #include <stdio.h>/,/^ \*     }$/ s/^ \*\( \{5\}\)\{0,1\}//p' "$prefix/include/amt_hello.h" > "$work/app.c"
test "$(wc -l < "$work/app.c")" -gt 10
warn="-std=c99 -Wall -Wextra -Werror -pedantic -O2"
# shellcheck disable=SC2046
cc $warn "$work/app.c" $(pkg-config --cflags --libs amt-hello) -o "$work/app-shared"
# shellcheck disable=SC2046
cc $warn -ffunction-sections -fdata-sections "$work/app.c" $(pkg-config --cflags amt-hello) \
    -Wl,--gc-sections -Wl,-Bstatic $(pkg-config --libs amt-hello) -Wl,-Bdynamic -o "$work/app-static"
readelf -d "$work/app-shared" | grep -q "NEEDED.*\[$(readelf -d "$prefix/lib/libamt_hello.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')\]"
if readelf -d "$work/app-static" | grep -q "NEEDED.*amt_hello"; then
    echo "install-test: the static program needs a shared libamt_hello"; exit 1
fi
text=$(size -A "$work/app-static" | awk '$1 == ".text" { print $2 }')
echo "install-test: the example linked statically: $text bytes of .text with --gc-sections (budget 65536)"
test "$text" -le 65536

# hex_to_bytes FILE [N]: the file's hex as bytes (the first N of them).
hex_to_bytes() {
    python3 -c 'import sys; b = bytes.fromhex(open(sys.argv[1]).read()); sys.stdout.buffer.write(b[:int(sys.argv[2])] if sys.argv[2:] else b)' "$@"
}
for app in app-shared app-static; do
    for capture in "$data"/*.hex; do
        hex_to_bytes "$capture" > "$work/hello"
        uuid=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["uuid"])' "$data/expected.json" "${capture##*/}")
        LD_LIBRARY_PATH=$prefix/lib "$work/$app" < "$work/hello" > "$work/out"
        grep -q "^$uuid: version 3, [0-9]* hashes$" "$work/out" || { echo "install-test: $app on ${capture##*/}: $(cat "$work/out")"; exit 1; }
    done
    # A truncated Hello: exit 1 and the decoder's words.
    hex_to_bytes "$capture" 40 > "$work/hello"
    status=0
    LD_LIBRARY_PATH=$prefix/lib "$work/$app" < "$work/hello" 2> "$work/err" || status=$?
    expected=$("$decoder" "$(tr -d ' \t\r\n' < "$capture" | cut -c1-80)" 2>&1 || true)
    if [ "$status" != 1 ] || [ "$(cat "$work/err")" != "$expected" ]; then
        echo "install-test: $app on a truncated Hello: exit $status, '$(cat "$work/err")', not '$expected'"; exit 1
    fi
done
echo "install-test: both programs decoded $(ls "$data"/*.hex | wc -l) captures and refused a truncated Hello ($(cat "$work/err"))"
