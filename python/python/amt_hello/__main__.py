"""``python -m amt_hello decode [--lenient] [--file PATH]... [HEX]...``: ``amt-hello decode``.

One JSON object per message on stdout, byte for byte what ``amt-hello decode`` prints (the
object is ``Hello.to_dict()``); ``error: <message>`` on stderr for an invalid one; exit status 1
if any message was invalid, 2 if a file could not be read or for a usage error. Messages come
from the arguments, from ``--file`` (raw bytes), or one per line on stdin. Each result is
written and flushed before the next input is read, so stdout and stderr in one pipe keep input
order. (Its certificate options and ``--format text`` are not offered here.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import BinaryIO, Iterator, Sequence

from . import DecodeError, MAX_LEN, parse
from ._native import _hex_input, _is_blank

# The longest file --file reads, as amt-hello decode: any Hello is far shorter.
MAX_FILE_BYTES = 1 << 20


class _Decoder:
    """Decodes one input at a time, prints its result, and remembers the worst outcome."""

    def __init__(self, lenient: bool) -> None:
        self.lenient = lenient
        self.status = 0

    def one(self, data: bytes, name: str | None = None) -> None:
        try:
            hello = parse(data, lenient=self.lenient)
        except DecodeError as e:
            self.fail(f"error: {name}: {e}" if name is not None else f"error: {e}")
            return
        line = json.dumps(hello.to_dict(), separators=(",", ":"), ensure_ascii=False)
        _write(sys.stdout.buffer, line)

    def hex(self, text: str) -> None:
        try:
            data = _hex_input(text)
        except ValueError as e:
            self.fail(f"error: {e}")
            return
        self.one(data)

    def file(self, path: str) -> None:
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except OSError as e:
            # Rust's io::Error text: "No such file or directory (os error 2)".
            self.unreadable(path, f"{e.strerror} (os error {e.errno})" if e.errno else str(e))
            return
        if len(data) > MAX_FILE_BYTES:
            self.unreadable(path, f"longer than {MAX_FILE_BYTES} bytes: not a Hello (the longest is {MAX_LEN})")
            return
        self.one(data, path)

    def unreadable(self, path: str, reason: str) -> None:
        _write(sys.stderr.buffer, f"error: {path}: {reason}")
        self.status = max(self.status, 2)

    def fail(self, line: str) -> None:
        _write(sys.stderr.buffer, line)
        self.status = max(self.status, 1)


def _write(stream: BinaryIO, line: str) -> None:
    """One line, UTF-8, flushed; a reader that went away ends the program quietly (status 0)."""
    try:
        stream.write(line.encode("utf-8", "surrogateescape") + b"\n")
        stream.flush()
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


def _stdin_lines(stdin: BinaryIO) -> Iterator[str]:
    """stdin's lines as Rust's ``BufRead::lines`` reads them, up to the first that is not UTF-8;
    blank ones skipped as ``amt-hello decode`` skips them."""
    for raw in stdin:
        if raw.endswith(b"\n"):
            raw = raw[:-1]
            if raw.endswith(b"\r"):
                raw = raw[:-1]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            return
        if not _is_blank(line):
            yield line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m amt_hello",
        description="Intel AMT Setup-Mode Hello messages (the amt-hello Rust crate).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    decode = commands.add_parser(
        "decode",
        help="decode Hellos given as hex and print one JSON object per message",
        description="Decodes Intel AMT Hello messages and prints one JSON object per message "
        "(the keys of the shared test vectors), in input order; 'error: ...' on stderr for an "
        "invalid one. Exit status 1 if any message was invalid, 2 if a file could not be read. "
        "As amt-hello decode.",
    )
    decode.add_argument(
        "--lenient",
        action="store_true",
        help="accept what the lenient policy accepts (retry counts above 14, odd PID bytes, "
        "unknown hash algorithms); without it, the strict policy",
    )
    decode.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="PATH",
        help="a file holding one Hello's raw bytes; repeat it for several, in order",
    )
    decode.add_argument(
        "hex",
        nargs="*",
        metavar="HEX",
        help="messages as hex (whitespace ignored); none: one message per line on stdin",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.file and args.hex:
        parser.error("--file cannot be used with HEX arguments")
    decoder = _Decoder(args.lenient)
    if args.file:
        for path in args.file:
            decoder.file(path)
    elif args.hex:
        for text in args.hex:
            decoder.hex(text)
    else:
        for line in _stdin_lines(sys.stdin.buffer):
            decoder.hex(line)
    return decoder.status


if __name__ == "__main__":
    sys.exit(main())
