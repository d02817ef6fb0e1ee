//! [`ParseError`]: why a text form (UUID, PID, algorithm name, hex) or an owned hash was refused,
//! and the byte-by-byte check the UUID and PID forms share.

use core::fmt;

/// Why a text form (UUID, PID, algorithm name, hex) or an owned certificate hash was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ParseError {
    /// The input has the wrong length.
    Length {
        /// The length required.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// The byte at `offset` is not allowed there.
    Character {
        /// Offset of the byte in the input.
        offset: usize,
        /// The byte found.
        found: u8,
    },
    /// The name is not one of `sha1`, `sha256`, `sha384`, `sha512`.
    UnknownAlgorithmName,
    /// Hex text whose number of digits is odd, or more than twice the bytes it is decoded into.
    HexLength {
        /// The number of digits found.
        digits: usize,
        /// How many bytes the output holds.
        capacity: usize,
    },
    /// `HashAlgorithm::Unknown(code)` was given a code that names a known algorithm.
    KnownAlgorithmCode {
        /// The code.
        code: u8,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ParseError::Length { expected, found } => {
                write!(f, "wrong length: expected {expected}, found {found}")
            }
            ParseError::Character { offset, found } if found.is_ascii_graphic() => write!(
                f,
                "unexpected character '{}' at offset {offset}",
                char::from(found)
            ),
            ParseError::Character { offset, found } => {
                write!(f, "unexpected byte {found:#04x} at offset {offset}")
            }
            ParseError::UnknownAlgorithmName => {
                f.write_str("unknown hash algorithm name (expected sha1, sha256, sha384 or sha512)")
            }
            ParseError::HexLength { digits, capacity } => write!(
                f,
                "{digits} hex digits: expected an even number, at most {}",
                capacity.saturating_mul(2)
            ),
            ParseError::KnownAlgorithmCode { code } => write!(
                f,
                "algorithm code {code} is a known algorithm, not an unknown one"
            ),
        }
    }
}

impl core::error::Error for ParseError {}

/// Checks a text form byte by byte: a `-` at each offset in `dashes`, elsewhere a byte that
/// `allowed` accepts (it sees them in order). The first byte refused is [`ParseError::Character`].
pub(crate) fn check(
    text: &[u8],
    dashes: &[usize],
    mut allowed: impl FnMut(u8) -> bool,
) -> Result<(), ParseError> {
    for (offset, &found) in text.iter().enumerate() {
        let dash = dashes.contains(&offset);
        if dash && found != b'-' || !dash && !allowed(found) {
            return Err(ParseError::Character { offset, found });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn parse_errors_show_printable_bytes_as_characters_and_others_as_hex() {
        let cases: [(ParseError, &str); 6] = [
            (
                ParseError::HexLength {
                    digits: 3,
                    capacity: 64,
                },
                "3 hex digits: expected an even number, at most 128",
            ),
            (
                ParseError::Length {
                    expected: 36,
                    found: 35,
                },
                "wrong length: expected 36, found 35",
            ),
            (
                ParseError::Character {
                    offset: 7,
                    found: b'g',
                },
                "unexpected character 'g' at offset 7",
            ),
            (
                ParseError::Character {
                    offset: 0,
                    found: b' ',
                },
                "unexpected byte 0x20 at offset 0",
            ),
            (
                ParseError::UnknownAlgorithmName,
                "unknown hash algorithm name (expected sha1, sha256, sha384 or sha512)",
            ),
            (
                ParseError::KnownAlgorithmCode { code: 2 },
                "algorithm code 2 is a known algorithm, not an unknown one",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }
}
