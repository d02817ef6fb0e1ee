//! Status codes and the error struct: what every function returns, and how C gets the same
//! one-sentence message as Rust's `Display`.

use core::fmt;

use amt_hello::{DecodeError, Needed};

/// What a call did. `AMT_HELLO_STATUS_OK` is 0; codes 2 to 9 are the protocol errors of the
/// shared test vectors, in the order of their fields; the rest are about the call itself.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmtHelloStatus {
    /// Success.
    Ok = 0,
    /// `amt_hello_frame` only: the prefix is valid so far but not yet a whole Hello. Not an
    /// error: read more bytes (the error struct says how many).
    Incomplete = 1,
    /// The message ends inside a field.
    Truncated = 2,
    /// The admin-credentials word is neither 0 nor 1.
    InvalidAdminCredentials = 3,
    /// The interface version is neither 2 (PSK) nor 3 (PKI).
    UnsupportedVersion = 4,
    /// The retry count is above 14 (strict policy).
    RetryCountOutOfRange = 5,
    /// A PID byte is not `A-Z` or `0-9` (strict policy).
    InvalidPid = 6,
    /// A certificate hash's algorithm code is unknown (strict policy).
    UnknownHashAlgorithm = 7,
    /// A certificate hash's length does not match its algorithm code.
    HashLengthMismatch = 8,
    /// Bytes follow the end of the Hello.
    TrailingBytes = 9,
    /// More than 255 certificate hashes to encode.
    TooManyHashes = 10,
    /// An output buffer is too short: an encoding writes nothing, a text function an empty
    /// string; `needed` (or `*len`) says how much is needed.
    BufferTooSmall = 11,
    /// A pointer the call needs is NULL.
    NullPointer = 12,
    /// An index past the end, a PID asked of a PKI Hello, a window over 255 hours, or a length
    /// no buffer can have.
    OutOfRange = 13,
    /// The view's bytes no longer hold what was parsed: they were changed or freed.
    InvalidView = 14,
    /// A message error this version of the C ABI has no code for.
    Invalid = 15,
}

/// Every status, in order: for `amt_hello_status_name` and the tests.
const NAMES: [(AmtHelloStatus, &str); 16] = [
    (AmtHelloStatus::Ok, "ok\0"),
    (AmtHelloStatus::Incomplete, "incomplete\0"),
    (AmtHelloStatus::Truncated, "truncated\0"),
    (
        AmtHelloStatus::InvalidAdminCredentials,
        "invalid_admin_credentials\0",
    ),
    (AmtHelloStatus::UnsupportedVersion, "unsupported_version\0"),
    (
        AmtHelloStatus::RetryCountOutOfRange,
        "retry_count_out_of_range\0",
    ),
    (AmtHelloStatus::InvalidPid, "invalid_pid\0"),
    (
        AmtHelloStatus::UnknownHashAlgorithm,
        "unknown_hash_algorithm\0",
    ),
    (AmtHelloStatus::HashLengthMismatch, "hash_length_mismatch\0"),
    (AmtHelloStatus::TrailingBytes, "trailing_bytes\0"),
    (AmtHelloStatus::TooManyHashes, "too_many_hashes\0"),
    (AmtHelloStatus::BufferTooSmall, "buffer_too_small\0"),
    (AmtHelloStatus::NullPointer, "null_pointer\0"),
    (AmtHelloStatus::OutOfRange, "out_of_range\0"),
    (AmtHelloStatus::InvalidView, "invalid_view\0"),
    (AmtHelloStatus::Invalid, "invalid\0"),
];

impl AmtHelloStatus {
    /// The snake-case name (with its NUL), the same as `DecodeError::kind` for codes 2 to 9.
    pub(crate) fn name(code: u32) -> Option<&'static str> {
        NAMES
            .iter()
            .find(|(status, _)| *status as u32 == code)
            .map(|(_, name)| *name)
    }
}

/// Why a call failed, with the offending values.
///
/// | `kind` | `offset` | `found` | `needed` | `code` |
/// |---|---|---|---|---|
/// | `TRUNCATED`, `INCOMPLETE` | where the missing field starts | bytes present | bytes the message needs | |
/// | `INVALID_ADMIN_CREDENTIALS`, `UNSUPPORTED_VERSION`, `RETRY_COUNT_OUT_OF_RANGE`, `INVALID_PID`, `UNKNOWN_HASH_ALGORITHM` | the field | its value | | |
/// | `HASH_LENGTH_MISMATCH` | the length byte | the length | | the algorithm code |
/// | `TRAILING_BYTES` | the end of the Hello | how many follow | | |
/// | `TOO_MANY_HASHES` | | the count | | |
/// | `BUFFER_TOO_SMALL` | | the buffer's size | the size needed | |
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmtHelloError {
    /// An `AmtHelloStatus` value.
    pub kind: u32,
    /// Byte offset of the offending field in the message.
    pub offset: usize,
    /// The value found there (see the table).
    pub found: u64,
    /// The length needed: the whole message's for `TRUNCATED`/`INCOMPLETE`, where known.
    pub needed: usize,
    /// Whether `needed` is the exact length (otherwise a lower bound).
    pub needed_is_exact: bool,
    /// The algorithm code of a `HASH_LENGTH_MISMATCH`.
    pub code: u8,
}

impl AmtHelloError {
    /// An error with only a kind.
    pub(crate) const fn of(kind: AmtHelloStatus) -> Self {
        AmtHelloError {
            kind: kind as u32,
            offset: 0,
            found: 0,
            needed: 0,
            needed_is_exact: false,
            code: 0,
        }
    }

    /// The status this error reports.
    pub(crate) fn status(&self) -> AmtHelloStatus {
        NAMES
            .iter()
            .map(|(status, _)| *status)
            .find(|status| *status as u32 == self.kind)
            .unwrap_or(AmtHelloStatus::Invalid)
    }

    /// A buffer of `size` bytes where `needed` are needed.
    pub(crate) fn buffer_too_small(needed: usize, size: usize) -> Self {
        AmtHelloError {
            found: size as u64,
            needed,
            needed_is_exact: true,
            ..AmtHelloError::of(AmtHelloStatus::BufferTooSmall)
        }
    }

    /// A prefix of `len` bytes that needs `needed` from `offset` on.
    pub(crate) fn incomplete(offset: usize, len: usize, needed: Needed) -> Self {
        AmtHelloError {
            offset,
            found: len as u64,
            needed: needed.at_least(),
            needed_is_exact: needed.exact().is_some(),
            ..AmtHelloError::of(AmtHelloStatus::Incomplete)
        }
    }

    /// The crate's error this one describes, if it is a message error.
    fn decode_error(&self) -> Option<DecodeError> {
        let offset = self.offset;
        let needed = if self.needed_is_exact {
            Needed::Exactly(self.needed)
        } else {
            Needed::AtLeast(self.needed)
        };
        // Out-of-range values came from C, not from us: truncating them only changes the
        // numbers in the message, and `found` of a decode error always fits its field.
        let found = self.found;
        Some(match self.status() {
            AmtHelloStatus::Truncated => DecodeError::Truncated {
                offset,
                len: usize::try_from(found).unwrap_or(usize::MAX),
                needed,
            },
            AmtHelloStatus::InvalidAdminCredentials => DecodeError::InvalidAdminCredentials {
                offset,
                found: found as u16,
            },
            AmtHelloStatus::UnsupportedVersion => DecodeError::UnsupportedVersion {
                offset,
                found: found as u16,
            },
            AmtHelloStatus::RetryCountOutOfRange => DecodeError::RetryCountOutOfRange {
                offset,
                found: found as u32,
            },
            AmtHelloStatus::InvalidPid => DecodeError::InvalidPid {
                offset,
                found: found as u8,
            },
            AmtHelloStatus::UnknownHashAlgorithm => DecodeError::UnknownHashAlgorithm {
                offset,
                found: found as u8,
            },
            AmtHelloStatus::HashLengthMismatch => DecodeError::HashLengthMismatch {
                offset,
                code: self.code,
                found: found as u8,
            },
            AmtHelloStatus::TrailingBytes => DecodeError::TrailingBytes {
                offset,
                extra: usize::try_from(found).unwrap_or(usize::MAX),
            },
            _ => return None,
        })
    }
}

impl From<DecodeError> for AmtHelloError {
    fn from(error: DecodeError) -> Self {
        let offset = error.offset();
        let (kind, found, code) = match error {
            DecodeError::Truncated { len, needed, .. } => {
                return AmtHelloError {
                    kind: AmtHelloStatus::Truncated as u32,
                    ..AmtHelloError::incomplete(offset, len, needed)
                };
            }
            DecodeError::InvalidAdminCredentials { found, .. } => {
                (AmtHelloStatus::InvalidAdminCredentials, found.into(), 0)
            }
            DecodeError::UnsupportedVersion { found, .. } => {
                (AmtHelloStatus::UnsupportedVersion, found.into(), 0)
            }
            DecodeError::RetryCountOutOfRange { found, .. } => {
                (AmtHelloStatus::RetryCountOutOfRange, found.into(), 0)
            }
            DecodeError::InvalidPid { found, .. } => (AmtHelloStatus::InvalidPid, found.into(), 0),
            DecodeError::UnknownHashAlgorithm { found, .. } => {
                (AmtHelloStatus::UnknownHashAlgorithm, found.into(), 0)
            }
            DecodeError::HashLengthMismatch { code, found, .. } => {
                (AmtHelloStatus::HashLengthMismatch, found.into(), code)
            }
            DecodeError::TrailingBytes { extra, .. } => {
                (AmtHelloStatus::TrailingBytes, extra as u64, 0)
            }
            // The owned value's capacity errors cannot come from a view; a future variant
            // has no code yet.
            _ => (AmtHelloStatus::Invalid, 0, 0),
        };
        AmtHelloError {
            offset,
            found,
            code,
            ..AmtHelloError::of(kind)
        }
    }
}

impl fmt::Display for AmtHelloError {
    /// Message errors print exactly as the crate's `DecodeError` does; the rest say what went
    /// wrong with the call.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(error) = self.decode_error() {
            return error.fmt(f);
        }
        match self.status() {
            AmtHelloStatus::Ok => f.write_str("no error"),
            AmtHelloStatus::Incomplete => write!(
                f,
                "incomplete Hello: the field at byte {} is not complete yet; the message needs {}, {} present",
                self.offset,
                if self.needed_is_exact {
                    Needed::Exactly(self.needed)
                } else {
                    Needed::AtLeast(self.needed)
                },
                self.found
            ),
            // The one error the C ABI adds to the crate's: a C array can hold more hashes than
            // a `Hello` (whose capacity is checked when it is built) ever does.
            AmtHelloStatus::TooManyHashes => write!(
                f,
                "{} certificate hashes do not fit the one-byte count (at most {})",
                self.found,
                u8::MAX
            ),
            AmtHelloStatus::BufferTooSmall => write!(
                f,
                "buffer too small: {} bytes needed, the buffer has {}",
                self.needed, self.found
            ),
            AmtHelloStatus::NullPointer => f.write_str("a required pointer argument is NULL"),
            AmtHelloStatus::OutOfRange => f.write_str("an index or value is out of range"),
            AmtHelloStatus::InvalidView => f.write_str(
                "the view no longer describes its bytes (were they changed or freed after parsing?)",
            ),
            _ => f.write_str("invalid Hello"),
        }
    }
}

/// The status of a result whose error is an `AmtHelloError`, writing the error to `error`.
///
/// # Safety
/// `error` is NULL or valid for writing an `AmtHelloError`.
pub(crate) unsafe fn report(
    result: Result<(), AmtHelloError>,
    error: *mut AmtHelloError,
) -> AmtHelloStatus {
    match result {
        Ok(()) => AmtHelloStatus::Ok,
        Err(e) => {
            // SAFETY: forwarded from the caller.
            unsafe { crate::raw::put_optional(error, e) };
            e.status()
        }
    }
}
