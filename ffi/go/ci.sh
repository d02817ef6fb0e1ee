#!/bin/sh
# CI for the Go binding (ffi/go): installs the C library into a temporary prefix, then with
# Go's cgo and pkg-config: gofmt, go vet, go test (vectors, captures, Frame, the schedule, the
# layout against ffi/c/layout.c), FuzzParse for GO_FUZZ_SECONDS (default 10; 0 skips it), and
# cmd/amt-hello-decode against `amt-hello decode` (ffi/c/compare-decode.sh). Prints SKIP and
# exits 0 only when there is no Go 1.18 or later, or no C compiler for cgo.
set -eu
cd "$(dirname "$0")"
if ! command -v go >/dev/null; then
    echo "SKIP: the Go binding: no go on PATH (Debian: apt-get install golang-go)"; exit 0
fi
if ! command -v cc >/dev/null || ! command -v pkg-config >/dev/null; then
    echo "SKIP: the Go binding: cgo needs cc and pkg-config"; exit 0
fi
minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ "${minor:-0}" -lt 18 ]; then
    echo "SKIP: the Go binding needs Go 1.18 or later (fuzzing); this is $(go env GOVERSION)"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
make -s -C .. install PREFIX="$prefix"
# The shared library is what -lamt_hello finds first in the prefix: the programs load it from there.
PKG_CONFIG_PATH=$prefix/lib/pkgconfig LD_LIBRARY_PATH=$prefix/lib
# Go 1.19's build cache keys a cgo package on CGO_CFLAGS and CGO_LDFLAGS but not on what
# pkg-config said: with the prefix in them, a package built against another prefix (or another
# header) is never reused.
CGO_CFLAGS="-O2 -g -I$prefix/include" CGO_LDFLAGS="-O2 -g -L$prefix/lib"
# Nothing to download: the module has no dependencies.
GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
export PKG_CONFIG_PATH LD_LIBRARY_PATH CGO_CFLAGS CGO_LDFLAGS GOPROXY GOFLAGS GOTOOLCHAIN
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Werror $(pkg-config --cflags amt-hello) ../c/layout.c -o "$work/layout"
AMT_HELLO_LAYOUT=$work/layout
export AMT_HELLO_LAYOUT

echo "go binding: $(go env GOVERSION), libamt_hello $(pkg-config --modversion amt-hello) in a temporary prefix"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then echo "gofmt -l: $unformatted"; exit 1; fi
go vet ./...
# cgocheck=2: every pointer the binding hands to C is checked for Go pointers, not only the first level.
GODEBUG=cgocheck=2 go test -count=1 -v ./... > "$work/test.txt" 2>&1 || { cat "$work/test.txt"; exit 1; }
echo "go test: $(grep -c '^--- PASS' "$work/test.txt") passed, $(grep -c '^--- FAIL' "$work/test.txt") failed"
fuzz_seconds=${GO_FUZZ_SECONDS:-10}
if [ "$fuzz_seconds" -gt 0 ]; then
    go test -run '^$' -fuzz '^FuzzParse$' -fuzztime "${fuzz_seconds}s" . > "$work/fuzz.txt" 2>&1 \
        || { tail -30 "$work/fuzz.txt"; echo "FuzzParse failed: the input is in ffi/go/testdata/fuzz/FuzzParse"; exit 1; }
    echo "FuzzParse: $(grep -o 'execs: [0-9]*' "$work/fuzz.txt" | tail -1) in ${fuzz_seconds} s"
fi
go build -o "$work/amt-hello-decode" ./cmd/amt-hello-decode
sh ../c/compare-decode.sh "$work/amt-hello-decode"
