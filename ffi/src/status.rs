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

/// Every status, in the order of their codes, with its name; a message error's (empty here) is
/// its `DecodeError::kind`.
const STATUSES: [(AmtHelloStatus, &str); 16] = {
    use AmtHelloStatus::*;
    [
        (Ok, "ok"),
        (Incomplete, "incomplete"),
        (Truncated, ""),
        (InvalidAdminCredentials, ""),
        (UnsupportedVersion, ""),
        (RetryCountOutOfRange, ""),
        (InvalidPid, ""),
        (UnknownHashAlgorithm, ""),
        (HashLengthMismatch, ""),
        (TrailingBytes, ""),
        (TooManyHashes, "too_many_hashes"),
        (BufferTooSmall, "buffer_too_small"),
        (NullPointer, "null_pointer"),
        (OutOfRange, "out_of_range"),
        (InvalidView, "invalid_view"),
        (Invalid, "invalid"),
    ]
};

/// Room for the longest status name and its NUL.
const NAME_SIZE: usize = 32;

/// Each status's snake-case name with its NUL, by code: for `amt_hello_status_name`.
pub(crate) static NAMES: [[u8; NAME_SIZE]; STATUSES.len()] = names();

/// `NAMES`, made when the crate is built.
// Evaluated only in constants, where an index out of bounds or an overflow fails the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn names() -> [[u8; NAME_SIZE]; STATUSES.len()] {
    let mut names = [[0; NAME_SIZE]; STATUSES.len()];
    let mut code = 0;
    while code < STATUSES.len() {
        let (status, name) = STATUSES[code];
        assert!(
            status as usize == code,
            "STATUSES is in the order of the codes"
        );
        let name = match AmtHelloError::of(status).decode_error(status) {
            Some(error) => error.kind(),
            None => name,
        };
        assert!(
            !name.is_empty() && name.len() < NAME_SIZE,
            "a status has a name, and it and its NUL fit NAME_SIZE"
        );
        let (dst, _) = names[code].split_at_mut(name.len());
        dst.copy_from_slice(name.as_bytes());
        code += 1;
    }
    names
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
        let status = usize::try_from(self.kind)
            .ok()
            .and_then(|code| STATUSES.get(code));
        status.map_or(AmtHelloStatus::Invalid, |&(status, _)| status)
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

    /// `needed` and `needed_is_exact` as the crate says them.
    const fn needed(&self) -> Needed {
        if self.needed_is_exact {
            Needed::Exactly(self.needed)
        } else {
            Needed::AtLeast(self.needed)
        }
    }

    /// The crate's error this one is if its kind were `status`; `None` unless `status` is a
    /// message error. Out-of-range values came from C, not from us: narrowing them only changes
    /// the numbers in the message, and `found` of a decode error always fits its field.
    const fn decode_error(&self, status: AmtHelloStatus) -> Option<DecodeError> {
        use {AmtHelloStatus as S, DecodeError as E};
        let (offset, found, code) = (self.offset, self.found, self.code);
        Some(match status {
            S::Truncated => E::Truncated {
                offset,
                len: found as usize,
                needed: self.needed(),
            },
            S::InvalidAdminCredentials => E::InvalidAdminCredentials {
                offset,
                found: found as u16,
            },
            S::UnsupportedVersion => E::UnsupportedVersion {
                offset,
                found: found as u16,
            },
            S::RetryCountOutOfRange => E::RetryCountOutOfRange {
                offset,
                found: found as u32,
            },
            S::InvalidPid => E::InvalidPid {
                offset,
                found: found as u8,
            },
            S::UnknownHashAlgorithm => E::UnknownHashAlgorithm {
                offset,
                found: found as u8,
            },
            S::HashLengthMismatch => E::HashLengthMismatch {
                offset,
                code,
                found: found as u8,
            },
            S::TrailingBytes => E::TrailingBytes {
                offset,
                extra: found as usize,
            },
            _ => return None,
        })
    }
}

impl From<DecodeError> for AmtHelloError {
    fn from(error: DecodeError) -> Self {
        use {AmtHelloStatus as S, DecodeError as E};
        let (kind, found, code) = match error {
            E::Truncated { len, needed, .. } => {
                return AmtHelloError {
                    kind: S::Truncated as u32,
                    ..AmtHelloError::incomplete(error.offset(), len, needed)
                };
            }
            E::InvalidAdminCredentials { found, .. } => {
                (S::InvalidAdminCredentials, found.into(), 0)
            }
            E::UnsupportedVersion { found, .. } => (S::UnsupportedVersion, found.into(), 0),
            E::RetryCountOutOfRange { found, .. } => (S::RetryCountOutOfRange, found.into(), 0),
            E::InvalidPid { found, .. } => (S::InvalidPid, found.into(), 0),
            E::UnknownHashAlgorithm { found, .. } => (S::UnknownHashAlgorithm, found.into(), 0),
            E::HashLengthMismatch { code, found, .. } => {
                (S::HashLengthMismatch, found.into(), code)
            }
            E::TrailingBytes { extra, .. } => (S::TrailingBytes, extra as u64, 0),
            // The owned value's capacity errors cannot come from a view; a future variant
            // has no code yet.
            _ => (S::Invalid, 0, 0),
        };
        AmtHelloError {
            offset: error.offset(),
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
        let status = self.status();
        if let Some(error) = self.decode_error(status) {
            return error.fmt(f);
        }
        match status {
            AmtHelloStatus::Ok => f.write_str("no error"),
            AmtHelloStatus::Incomplete => write!(
                f,
                "incomplete Hello: the field at byte {} is not complete yet; the message needs {}, {} present",
                self.offset,
                self.needed(),
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
