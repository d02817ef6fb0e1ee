#!/bin/sh
# CI for the C# binding (ffi/dotnet): installs the C library into a temporary prefix, compiles
# AmtHello.cs (alone, as a library), the decoder and the tests with Mono's mcs, runs the tests
# under mono (the vectors, the captures, Frame, the schedule, the layout against
# ffi/c/layout.c) and the decoder against `amt-hello decode` (ffi/c/compare-decode.sh). Prints
# SKIP and exits 0 only when mcs or mono is missing (Debian: mono-mcs, mono-runtime).
set -eu
cd "$(dirname "$0")"
for tool in mcs mono; do
    if ! command -v $tool >/dev/null; then
        echo "SKIP: the C# binding: no $tool on PATH (Debian: apt-get install mono-mcs mono-runtime)"; exit 0
    fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
make -s -C .. install PREFIX="$prefix"
# DllImport("amt_hello") loads libamt_hello.so from here.
LD_LIBRARY_PATH=$prefix/lib
export LD_LIBRARY_PATH
cc -std=c99 -Wall -Wextra -Werror -I"$prefix/include" ../c/layout.c -o "$work/layout"
"$work/layout" > "$work/layout.txt"

# The vectors and the captures, as Tests.cs reads them (tab-separated; see its opening comment).
python3 - ../../tests/data > "$work/vectors.tsv" <<'PY'
import json, pathlib, sys
data = pathlib.Path(sys.argv[1])
vectors = json.loads((data / "hello-vectors.json").read_text())
expected = json.loads((data / "real" / "expected.json").read_text())
dump = lambda o: json.dumps(o, separators=(",", ":"))
for e in vectors["valid"]:
    print("valid", e["name"], e["hex"], dump(e["expect"]), sep="\t")
for p in sorted((data / "real").glob("*.hex")):
    print("valid", p.name, "".join(p.read_text().split()), dump(expected[p.name]), sep="\t")
for e in vectors["invalid"]:
    err = e["error"]
    print("invalid", e["name"], e["hex"], err["kind"], err["offset"], err.get("needed", 0), e["lenient"], sep="\t")
PY

echo "C# binding: $(mcs --version), $(mono --version | head -1 | sed 's/ (.*//')"
mcs -warn:4 -warnaserror -target:library -out:"$work/AmtHello.dll" AmtHello.cs
mcs -warn:4 -warnaserror -out:"$work/decode.exe" Decode.cs AmtHello.cs
mcs -warn:4 -warnaserror -out:"$work/tests.exe" Tests.cs AmtHello.cs
mono "$work/tests.exe" "$work/vectors.tsv" "$work/layout.txt"
sh ../c/compare-decode.sh mono "$work/decode.exe"
