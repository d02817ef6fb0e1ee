"""`python -m amt_hello decode` (ffi/c/compare-decode.sh compares it with amt-hello decode over
every vector and capture; these are the cases it does not run)."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

from conftest import VALID


def decode(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "amt_hello", "decode", *args], input=stdin, capture_output=True
    )


def test_help_explains_and_a_bad_option_is_a_usage_error() -> None:
    run = decode("--help")
    assert run.returncode == 0 and b"--lenient" in run.stdout and b"stdin" in run.stdout
    assert decode("--bogus").returncode == 2
    assert subprocess.run([sys.executable, "-m", "amt_hello"], capture_output=True).returncode == 2


def test_stdin_lines_then_json_per_line_and_the_worst_status() -> None:
    lines = [VALID[0]["bytes"].hex(), "", "0100", VALID[1]["bytes"].hex().upper()]
    run = decode(stdin="\r\n".join(lines).encode())
    assert run.returncode == 1
    assert [json.loads(line) for line in run.stdout.splitlines()] == [VALID[0]["expect"], VALID[1]["expect"]]
    assert run.stderr.startswith(b"error: truncated Hello: the field at byte 2 ")


def test_files_hold_raw_bytes(tmp_path: pathlib.Path) -> None:
    good = tmp_path / "good.bin"
    good.write_bytes(VALID[0]["bytes"])
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x01\x00")
    run = decode("--file", str(good), "--file", str(bad))
    assert run.returncode == 1 and json.loads(run.stdout) == VALID[0]["expect"]
    assert run.stderr.startswith(f"error: {bad}: truncated Hello".encode())
    long = tmp_path / "long.bin"
    long.write_bytes(bytes((1 << 20) + 1))
    too_long = decode("--file", str(long))
    assert too_long.returncode == 2 and too_long.stderr.startswith(f"error: {long}: longer than ".encode())
    missing = decode("--file", str(tmp_path / "missing"))
    assert missing.returncode == 2
    assert missing.stderr == f"error: {tmp_path / 'missing'}: No such file or directory (os error 2)\n".encode()


def test_a_reader_that_goes_away_ends_it_quietly() -> None:
    message = VALID[0]["bytes"].hex()
    proc = subprocess.Popen(
        [sys.executable, "-m", "amt_hello", "decode", *[message] * 20000],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait() == 0
    assert proc.stderr.read() == b""


def test_files_as_amt_hello_decode_reads_them(rust_decoder: str, tmp_path: pathlib.Path) -> None:
    """--file is not in compare-decode.sh: the same files to both, the same output and status."""
    paths = []
    for name, data in [("psk", VALID[0]["bytes"]), ("pki", VALID[-1]["bytes"]), ("short", b"\x01\x00")]:
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    (tmp_path / "long").write_bytes(bytes((1 << 20) + 1))
    paths += [tmp_path / "long", tmp_path / "missing", tmp_path]
    for files in (paths[:2], paths[:3], paths):
        args = [arg for path in files for arg in ("--file", str(path))]
        rust = subprocess.run([rust_decoder, "decode", *args], capture_output=True)
        python = decode(*args)
        assert (python.returncode, python.stdout, python.stderr) == (rust.returncode, rust.stdout, rust.stderr)
