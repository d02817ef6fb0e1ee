//! Errors: each names the field, its byte offset and the value found, and says it in one sentence.

use core::fmt;

use crate::algorithm::HashAlgorithm;
use crate::policy::MAX_RETRY_COUNT;

/// How many bytes a message needs in total, as far as a prefix of it tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Needed {
    /// The prefix fixes the total length: the message is exactly this long.
    Exactly(usize),
    /// The total length is not known yet, but it is at least this.
    AtLeast(usize),
}

impl Needed {
    /// The smallest total length the message can have.
    pub const fn at_least(self) -> usize {
        match self {
            Needed::Exactly(n) | Needed::AtLeast(n) => n,
        }
    }

    /// The total length, if the prefix fixes it.
    pub const fn exact(self) -> Option<usize> {
        match self {
            Needed::Exactly(n) => Some(n),
            Needed::AtLeast(_) => None,
        }
    }
}

impl fmt::Display for Needed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Needed::Exactly(n) => write!(f, "exactly {n} bytes"),
            Needed::AtLeast(n) => write!(f, "at least {n} bytes"),
        }
    }
}

/// Why a byte string is not a valid Hello.
///
/// Offsets are byte offsets into the message. When several fields are wrong, the error names
/// the first one in byte order, so the same input always gives the same error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ends inside the field that starts at `offset`.
    Truncated {
        /// Offset of the first field the input does not hold completely.
        offset: usize,
        /// Length of the input.
        len: usize,
        /// Total length the message needs.
        needed: Needed,
    },
    /// The admin-credentials word is neither 0 (localized BIOS) nor 1 (credentials set).
    InvalidAdminCredentials {
        /// Offset of the word (always 0).
        offset: usize,
        /// The word, read as an unsigned little-endian `u16`.
        found: u16,
    },
    /// The interface version is neither 2 (PSK) nor 3 (PKI).
    UnsupportedVersion {
        /// Offset of the version (always 2).
        offset: usize,
        /// The version found.
        found: u16,
    },
    /// The retry count is above the documented maximum (strict policy only).
    RetryCountOutOfRange {
        /// Offset of the retry count (always 4).
        offset: usize,
        /// The retry count found (the largest accepted is [`MAX_RETRY_COUNT`]).
        found: u32,
    },
    /// A PID byte is not an ASCII upper-case letter or digit (strict policy only).
    InvalidPid {
        /// Offset of the offending byte.
        offset: usize,
        /// The byte found.
        found: u8,
    },
    /// A certificate-hash entry names an algorithm code this crate does not know (strict only).
    UnknownHashAlgorithm {
        /// Offset of the entry's algorithm byte.
        offset: usize,
        /// The algorithm code found.
        found: u8,
    },
    /// A certificate-hash entry's length does not match its algorithm code.
    HashLengthMismatch {
        /// Offset of the entry's length byte.
        offset: usize,
        /// The entry's algorithm code (the lengths it allows are
        /// [`HashAlgorithm::lengths_for_code`](crate::HashAlgorithm::lengths_for_code)).
        code: u8,
        /// The length found.
        found: u8,
    },
    /// Bytes follow the end of a complete message.
    TrailingBytes {
        /// Offset of the first byte after the message (the message's length).
        offset: usize,
        /// How many bytes follow it.
        extra: usize,
    },
    /// The message has more certificate hashes than the owned [`Hello`](crate::Hello) can hold.
    TooManyHashes {
        /// Offset of the hash count (always 24).
        offset: usize,
        /// The hash count found.
        found: u8,
        /// The owned value's capacity.
        capacity: usize,
    },
    /// A digest (of an unknown algorithm, lenient policy) is longer than the owned
    /// [`CertHash`](crate::CertHash) can hold.
    DigestTooLong {
        /// Offset of the entry's length byte.
        offset: usize,
        /// The digest length found.
        found: u8,
        /// The owned value's capacity.
        capacity: usize,
    },
}

impl DecodeError {
    /// A stable snake-case name for the kind of error, for logs, JSON and other languages:
    /// `truncated`, `invalid_admin_credentials`, `unsupported_version`,
    /// `retry_count_out_of_range`, `invalid_pid`, `unknown_hash_algorithm`,
    /// `hash_length_mismatch`, `trailing_bytes`, `too_many_hashes`, `digest_too_long`.
    ///
    /// ```
    /// use amt_hello::HelloView;
    /// assert_eq!(HelloView::parse(&[0x01, 0x00, 0x09, 0x00]).unwrap_err().kind(), "unsupported_version");
    /// ```
    pub const fn kind(&self) -> &'static str {
        match self {
            DecodeError::Truncated { .. } => "truncated",
            DecodeError::InvalidAdminCredentials { .. } => "invalid_admin_credentials",
            DecodeError::UnsupportedVersion { .. } => "unsupported_version",
            DecodeError::RetryCountOutOfRange { .. } => "retry_count_out_of_range",
            DecodeError::InvalidPid { .. } => "invalid_pid",
            DecodeError::UnknownHashAlgorithm { .. } => "unknown_hash_algorithm",
            DecodeError::HashLengthMismatch { .. } => "hash_length_mismatch",
            DecodeError::TrailingBytes { .. } => "trailing_bytes",
            DecodeError::TooManyHashes { .. } => "too_many_hashes",
            DecodeError::DigestTooLong { .. } => "digest_too_long",
        }
    }

    /// The byte offset of the offending field.
    pub const fn offset(&self) -> usize {
        match *self {
            DecodeError::Truncated { offset, .. }
            | DecodeError::InvalidAdminCredentials { offset, .. }
            | DecodeError::UnsupportedVersion { offset, .. }
            | DecodeError::RetryCountOutOfRange { offset, .. }
            | DecodeError::InvalidPid { offset, .. }
            | DecodeError::UnknownHashAlgorithm { offset, .. }
            | DecodeError::HashLengthMismatch { offset, .. }
            | DecodeError::TrailingBytes { offset, .. }
            | DecodeError::TooManyHashes { offset, .. }
            | DecodeError::DigestTooLong { offset, .. } => offset,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DecodeError::Truncated {
                offset,
                len,
                needed,
            } => write!(
                f,
                "truncated Hello: the field at byte {offset} is incomplete; \
                 the message needs {needed}, {len} present"
            ),
            DecodeError::InvalidAdminCredentials { offset, found } => write!(
                f,
                "invalid admin-credentials word {found:#06x} at byte {offset} \
                 (expected 0x0000 or 0x0001)"
            ),
            DecodeError::UnsupportedVersion { offset, found } => write!(
                f,
                "unsupported interface version {found} at byte {offset} (expected 2 or 3)"
            ),
            DecodeError::RetryCountOutOfRange { offset, found } => write!(
                f,
                "retry count {found} at byte {offset} is out of range (at most {MAX_RETRY_COUNT})"
            ),
            DecodeError::InvalidPid { offset, found } => write!(
                f,
                "invalid PID byte {found:#04x} at byte {offset} (expected A-Z or 0-9)"
            ),
            DecodeError::UnknownHashAlgorithm { offset, found } => {
                write!(f, "unknown hash algorithm code {found} at byte {offset}")
            }
            DecodeError::HashLengthMismatch {
                offset,
                code,
                found,
            } => {
                write!(
                    f,
                    "hash length {found} at byte {offset} does not match algorithm code {code} (expected "
                )?;
                let mut or = "";
                for len in HashAlgorithm::lengths_for_code(code) {
                    write!(f, "{or}{len}")?;
                    or = " or ";
                }
                f.write_str(")")
            }
            DecodeError::TrailingBytes { offset, extra } => write!(
                f,
                "{extra} trailing byte(s) after the end of the Hello at byte {offset}"
            ),
            DecodeError::TooManyHashes {
                offset,
                found,
                capacity,
            } => write!(
                f,
                "hash count {found} at byte {offset} exceeds this Hello's capacity of {capacity}"
            ),
            DecodeError::DigestTooLong {
                offset,
                found,
                capacity,
            } => write!(
                f,
                "digest length {found} at byte {offset} exceeds the capacity of {capacity} bytes"
            ),
        }
    }
}

impl core::error::Error for DecodeError {}

/// Why a Hello could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum EncodeError {
    /// The output buffer is shorter than the encoded message. The buffer may hold part of it.
    BufferTooSmall {
        /// The encoded length of the message.
        needed: usize,
        /// The length of the buffer.
        available: usize,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let EncodeError::BufferTooSmall { needed, available } = *self;
        write!(
            f,
            "buffer too small: the Hello needs {needed} bytes, the buffer has {available}"
        )
    }
}

impl core::error::Error for EncodeError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn every_message_says_its_numbers() {
        let cases: [(DecodeError, &str); 4] = [
            (
                DecodeError::HashLengthMismatch {
                    offset: 26,
                    code: 3,
                    found: 20,
                },
                "hash length 20 at byte 26 does not match algorithm code 3 (expected 48 or 64)",
            ),
            (
                DecodeError::TooManyHashes {
                    offset: 24,
                    found: 40,
                    capacity: 33,
                },
                "hash count 40 at byte 24 exceeds this Hello's capacity of 33",
            ),
            (
                DecodeError::DigestTooLong {
                    offset: 26,
                    found: 100,
                    capacity: 64,
                },
                "digest length 100 at byte 26 exceeds the capacity of 64 bytes",
            ),
            (
                DecodeError::Truncated {
                    offset: 24,
                    len: 30,
                    needed: Needed::AtLeast(47),
                },
                "truncated Hello: the field at byte 24 is incomplete; the message needs at least 47 bytes, 30 present",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
        let small = EncodeError::BufferTooSmall {
            needed: 32,
            available: 31,
        };
        let text = "buffer too small: the Hello needs 32 bytes, the buffer has 31";
        assert_eq!(small.to_string(), text);
    }
}
