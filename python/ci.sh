#!/usr/bin/env bash
# The Python package as its users get it: the abi3 wheel built with maturin, installed into a
# fresh virtualenv, then pytest over the shared vectors and real captures, mypy --strict on a
# consumer program (and the tests and the package), and `python -m amt_hello decode` against
# `amt-hello decode` (ffi/c/compare-decode.sh). Says SKIP (exit 0) only when python3, its venv
# module or PyPI's packages cannot be had. Usage: bash python/ci.sh (PYTHON=python3.X to choose).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
python=${PYTHON:-python3}
start=$SECONDS

if ! command -v "$python" >/dev/null; then
  echo "SKIP: the Python package (no $python)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! "$python" -m venv "$work/venv" > "$work/venv.txt" 2>&1; then
  tail -3 "$work/venv.txt"
  echo "SKIP: the Python package ($python -m venv does not work: python3-venv missing)"
  exit 0
fi
venv=$work/venv/bin
# The build and test tools, pinned: maturin sets PYO3_BUILD_EXTENSION_MODULE itself from 1.9.4.
if ! "$venv/python" -m pip install -q --disable-pip-version-check \
    "maturin==1.16.0" "pytest==9.2.0" "mypy==2.4.1" > "$work/pip.txt" 2>&1; then
  tail -5 "$work/pip.txt"
  echo "SKIP: the Python package (maturin, pytest and mypy could not be installed from PyPI)"
  exit 0
fi

# The wheel: release, abi3 (CPython >= 3.9), Cargo.lock's versions (pyproject: locked = true).
"$venv/maturin" build --quiet --release --manifest-path python/Cargo.toml --out "$work/wheel" \
  > "$work/maturin.txt" 2>&1 || { tail -30 "$work/maturin.txt"; exit 1; }
wheel=$(ls "$work"/wheel/amt_hello-*-cp39-abi3-*.whl)
echo "built $(basename "$wheel") ($(($(stat -c %s "$wheel") / 1024)) KiB)"
"$venv/python" -m pip install -q --disable-pip-version-check --no-index "$wheel"

# The Rust decoder the tests and the comparison hold the package to.
cargo build --locked -q -p amt-hello-cli --bin amt-hello
target=$(cargo metadata --format-version 1 --no-deps | "$python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export AMT_HELLO=$target/debug/amt-hello

# From outside the source tree, so that only the installed package can be imported.
(cd "$work" && "$venv/python" -m pytest -q -p no:cacheprovider "$root/python/tests")
(cd "$work" && "$venv/python" -m mypy --strict --cache-dir "$work/mypy" \
  "$root/python/consumer/consumer.py" "$root/python/tests")
(cd "$work" && "$venv/python" -m mypy --strict --cache-dir "$work/mypy" "$root/python/python/amt_hello")
(cd "$work" && "$venv/python" "$root/python/consumer/consumer.py" > /dev/null)
sh ffi/c/compare-decode.sh "$venv/python" -m amt_hello decode
echo "python/ci.sh: $((SECONDS - start)) s"
