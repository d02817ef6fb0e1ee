"""frame() on stream prefixes, and the retry schedule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import amt_hello
from conftest import VALID


@pytest.mark.parametrize("v", VALID, ids=lambda v: v["name"])
def test_every_prefix_asks_for_more_and_a_longer_buffer_gives_the_message(v: dict[str, Any]) -> None:
    data: bytes = v["bytes"]
    for n in range(len(data)):
        f = amt_hello.frame(data[:n])
        assert not f.complete and f.hello is None, n
        assert n < f.needed <= len(data), n
        assert f.offset is not None and f.offset <= n
        if f.exact:
            assert f.needed == len(data)
    f = amt_hello.frame(data + bytes.fromhex("01000200"))
    assert f.complete and f.exact and f.offset is None
    assert f.needed == len(data)
    assert f.hello is not None and f.hello.to_dict() == v["expect"]
    assert "complete=True" in repr(f)


def test_frame_raises_when_no_more_bytes_can_help() -> None:
    with pytest.raises(amt_hello.DecodeError) as raised:
        amt_hello.frame(bytes.fromhex("0200"))
    assert (raised.value.kind, raised.value.offset) == ("invalid_admin_credentials", 0)
    # A retry count of 15: invalid strictly, a prefix leniently.
    prefix = bytes.fromhex("010002000f000000")
    with pytest.raises(amt_hello.DecodeError) as strict:
        amt_hello.frame(prefix)
    assert strict.value.kind == "retry_count_out_of_range"
    assert not amt_hello.frame(prefix, lenient=True).complete


@pytest.mark.parametrize(
    ("schedule", "count", "window"),
    [
        (amt_hello.RetrySchedule.first_window(), 39, timedelta(hours=24)),
        (amt_hello.RetrySchedule.reopened_window(), 21, timedelta(hours=6)),
    ],
)
def test_the_default_windows(schedule: amt_hello.RetrySchedule, count: int, window: timedelta) -> None:
    attempts = list(schedule)
    assert len(attempts) == len(schedule) == count
    assert schedule.window == window
    previous = timedelta(0)
    for n, a in enumerate(attempts):
        assert a.number == n
        assert a.retry_count == min(n, amt_hello.MAX_RETRY_COUNT)
        assert a.is_last == (n == count - 1)
        assert a.delay == a.at - previous and a.at < window
        assert schedule.attempt(n) == a
        assert schedule.attempt_at(a.at) == a
        previous = a.at
    assert schedule.attempt(count) is None
    assert schedule.next_after(attempts[-1].at) is None
    assert schedule.next_after(timedelta(0)) == attempts[1]
    assert schedule.earliest_send_time(3) == attempts[3].at
    assert schedule.earliest_send_time(200) == attempts[amt_hello.MAX_RETRY_COUNT].at


def test_the_reopened_windows_minutes() -> None:
    minutes = [a.at // timedelta(minutes=1) for a in amt_hello.RetrySchedule.reopened_window()]
    assert minutes == [0, 1, 2, 3, 4, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 120, 180, 240, 300]


def test_a_window_of_your_own() -> None:
    schedule = amt_hello.RetrySchedule(timedelta(minutes=3, seconds=30))
    assert [a.at for a in schedule] == [timedelta(minutes=m) for m in range(4)]
    assert len(amt_hello.RetrySchedule(timedelta(0))) == 0
    assert amt_hello.RetrySchedule(timedelta(hours=24)) == amt_hello.RetrySchedule.first_window()
    with pytest.raises(ValueError, match="longer than the maximum"):
        amt_hello.RetrySchedule(timedelta(hours=256))
    with pytest.raises(ValueError):
        amt_hello.RetrySchedule(timedelta(seconds=-1))
    it = iter(amt_hello.RetrySchedule.first_window())
    assert iter(it) is it and next(it).number == 0
    assert "timedelta(days=1)" in repr(amt_hello.RetrySchedule.first_window())
    first = amt_hello.RetrySchedule.first_window()
    assert len({first, amt_hello.RetrySchedule(timedelta(hours=24))}) == 1
    assert len(set(first) | set(amt_hello.RetrySchedule.first_window())) == len(first)
