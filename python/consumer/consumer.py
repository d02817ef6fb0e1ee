"""A program that uses amt_hello as its users would: `mypy --strict` checks it against the
installed wheel's stubs (python/ci.sh), and running it checks the calls work."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, Optional

import amt_hello

PSK = bytes.fromhex("010002000000000000112233445566778899aabbccddeeff4142434431323334")


def describe(data: bytes, lenient: bool = False) -> str:
    try:
        hello: amt_hello.Hello = amt_hello.parse(data, lenient=lenient)
    except amt_hello.DecodeError as e:
        needed: Optional[int] = e.needed
        return f"{e.kind} at {e.offset} (needs {needed}): {e}"
    pid: Optional[str] = hello.pid
    digests: list[str] = [h.digest for h in hello.cert_hashes]
    fields: dict[str, Any] = hello.to_dict()
    return f"{hello.uuid} v{hello.version} retry {hello.retry_count} {pid} {digests} {json.dumps(fields)}"


def received(stream: bytes) -> int:
    f: amt_hello.Frame = amt_hello.frame(bytearray(stream))
    if f.complete and f.hello is not None:
        return f.hello.len
    return -f.needed


def minutes(schedule: amt_hello.RetrySchedule) -> list[float]:
    first: Optional[amt_hello.Attempt] = schedule.attempt(0)
    assert first is not None and not first.is_last
    return [a.at / timedelta(minutes=1) for a in schedule]


def main() -> None:
    print(describe(PSK))
    print(describe(PSK[:2]))
    print(received(PSK), received(PSK[:30]))
    print(len(amt_hello.RetrySchedule.first_window()), minutes(amt_hello.RetrySchedule.reopened_window()))
    custom = amt_hello.RetrySchedule(timedelta(hours=1))
    when: Optional[timedelta] = custom.earliest_send_time(amt_hello.MAX_RETRY_COUNT)
    print(custom.window, when, amt_hello.__version__, amt_hello.MAX_LEN)


if __name__ == "__main__":
    main()
