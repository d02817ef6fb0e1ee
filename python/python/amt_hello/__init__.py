"""Intel AMT Setup-Mode Hello messages: parse and frame them, and the device's retry schedule.

The Rust crate ``amt-hello`` wrapped with PyO3 (``amt_hello._native``): every length, code,
error kind and message comes from it. ``python -m amt_hello decode`` is ``amt-hello decode``.

>>> hello = parse(bytes.fromhex("010002000000000000112233445566778899aabbccddeeff4142434431323334"))
>>> hello.pid, hello.retry_count
('ABCD-1234', 0)
"""

from ._native import (
    MAX_LEN,
    MAX_RETRY_COUNT,
    MAX_STRICT_LEN,
    Attempt,
    Attempts,
    CertHash,
    DecodeError,
    Frame,
    Hello,
    RetrySchedule,
    __version__,
    frame,
    parse,
)

__all__ = [
    "MAX_LEN",
    "MAX_RETRY_COUNT",
    "MAX_STRICT_LEN",
    "Attempt",
    "Attempts",
    "CertHash",
    "DecodeError",
    "Frame",
    "Hello",
    "RetrySchedule",
    "__version__",
    "frame",
    "parse",
]
