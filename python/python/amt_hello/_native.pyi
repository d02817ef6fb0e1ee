# Types of the extension module amt_hello._native (python/src/lib.rs), which amt_hello
# re-exports.
from datetime import timedelta
from typing import Any, Iterator, Optional, Tuple, final

__version__: str
MAX_LEN: int
"""The longest valid Hello under any policy, in bytes."""
MAX_STRICT_LEN: int
"""The longest Hello the strict policy accepts, in bytes."""
MAX_RETRY_COUNT: int
"""The largest retry count the strict policy accepts."""

class DecodeError(ValueError):
    """Why bytes are not a valid Hello; str(error) is the Rust crate's message."""

    kind: str
    """The kind, e.g. 'truncated', 'unsupported_version' (the crate's `DecodeError::kind`)."""
    offset: int
    """The byte offset of the offending field."""
    needed: Optional[int]
    """'truncated' only: the bytes the message needs in all (exactly, or at least); else None."""
    exact: Optional[bool]
    """'truncated' only: whether `needed` is exact; else None."""

@final
class CertHash:
    """One certificate-hash entry of a PKI Hello."""

    @property
    def algorithm(self) -> str:
        """The algorithm's name, e.g. 'sha256' (lenient: 'unknown(CODE)')."""
    @property
    def digest(self) -> str:
        """The digest as lowercase hex."""
    def to_dict(self) -> dict[str, Any]:
        """{'algorithm': ..., 'digest': ...}, as `amt-hello decode` prints the entry."""

@final
class Hello:
    """A valid Hello: the fields of the object `amt-hello decode` prints."""

    @property
    def len(self) -> int:
        """The message's length in bytes."""
    @property
    def version(self) -> int:
        """2 (PSK, with `pid`) or 3 (PKI, with `cert_hashes`)."""
    @property
    def admin_credentials_set(self) -> bool:
        """False for a localized BIOS: new admin credentials must be set first."""
    @property
    def retry_count(self) -> int:
        """0 for the window's first attempt, up to MAX_RETRY_COUNT (more only leniently)."""
    @property
    def uuid(self) -> str:
        """The GUID text, e.g. '939b524b-13d4-1d18-e487-1c697a6b7a2b'."""
    @property
    def uuid_raw(self) -> str:
        """The UUID's 16 bytes as lowercase hex, in wire order."""
    @property
    def pid(self) -> Optional[str]:
        """The PSK one-time PID, e.g. 'ABCD-1234'; None for PKI."""
    @property
    def cert_hashes(self) -> Tuple[CertHash, ...]:
        """The certificate-hash entries (PKI; empty for PSK), in wire order."""
    def to_dict(self) -> dict[str, Any]:
        """The JSON object `amt-hello decode` prints, keys in its order."""

def parse(data: bytes | bytearray, *, lenient: bool = False) -> Hello:
    """Parses one whole Hello; raises DecodeError if the bytes are not one."""

@final
class Frame:
    """What `frame()` says of the bytes a stream has delivered so far."""

    @property
    def complete(self) -> bool:
        """Whether a whole Hello is at the front of the bytes."""
    @property
    def hello(self) -> Optional[Hello]:
        """The Hello at the front, when complete (bytes after it are not its)."""
    @property
    def needed(self) -> int:
        """How many bytes the message has in all: exactly, or at least (see `exact`)."""
    @property
    def exact(self) -> bool:
        """Whether `needed` is the message's exact length."""
    @property
    def offset(self) -> Optional[int]:
        """Incomplete: the offset of the first field the bytes do not hold completely."""

def frame(data: bytes | bytearray, *, lenient: bool = False) -> Frame:
    """Is a whole Hello at the front of `data`? Raises DecodeError when no more bytes can
    make it valid."""

@final
class Attempt:
    """One Hello the device sends."""

    @property
    def number(self) -> int:
        """0-based attempt number."""
    @property
    def at(self) -> timedelta:
        """Time since the window opened."""
    @property
    def delay(self) -> timedelta:
        """Time since the previous attempt (zero for the first)."""
    @property
    def retry_count(self) -> int:
        """The retry count this attempt's Hello carries."""
    @property
    def is_last(self) -> bool:
        """Whether this is the last attempt before the window closes."""

@final
class Attempts(Iterator[Attempt]):
    """The attempts of a RetrySchedule, in order."""

    def __iter__(self) -> Attempts: ...
    def __next__(self) -> Attempt: ...

@final
class RetrySchedule:
    """When a device in Setup Mode sends its Hellos: the default cadence over a window."""

    def __init__(self, window: timedelta) -> None:
        """The default cadence over `window` (up to 255 hours; ValueError beyond)."""
    @staticmethod
    def first_window() -> RetrySchedule:
        """The window the first time a device enters Setup Mode (24 hours)."""
    @staticmethod
    def reopened_window() -> RetrySchedule:
        """The window when it is re-opened later (6 hours)."""
    @property
    def window(self) -> timedelta:
        """How long the window stays open."""
    def __iter__(self) -> Attempts: ...
    def __len__(self) -> int: ...
    def attempt(self, n: int) -> Optional[Attempt]:
        """Attempt number `n` (0-based), or None."""
    def attempt_at(self, elapsed: timedelta) -> Optional[Attempt]:
        """The latest attempt sent at or before `elapsed` since the window opened."""
    def next_after(self, elapsed: timedelta) -> Optional[Attempt]:
        """The first attempt after `elapsed`, if the window is still open then."""
    def earliest_send_time(self, retry_count: int) -> Optional[timedelta]:
        """The earliest time a Hello with this retry count can have been sent, or None."""

def _hex_input(text: str) -> bytes: ...
def _is_blank(text: str) -> bool: ...
