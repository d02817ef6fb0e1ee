//! The Provisioning ID of a PSK Hello: eight characters from `A-Z` and `0-9`.

use core::fmt;
use core::str::FromStr;

use crate::hex;
use crate::text_error::{self, ParseError};
use crate::writer::Writer;

/// A Provisioning ID: 8 bytes on the wire, `ABCD-EFGH` as text.
///
/// [`Pid::new`] accepts only `A-Z` and `0-9`. A PID decoded under [`Policy::Lenient`](crate::Policy)
/// may hold other bytes; [`Pid::as_bytes`] gives them back exactly, and the text form stays
/// unambiguous: a byte that is not printable ASCII, a `\` and a `-` are written as `\xNN`, so
/// the only literal `-` is the one inserted after the fourth byte.
///
/// ```
/// use amt_hello::Pid;
/// let pid: Pid = "ABCD-1234".parse()?;
/// assert_eq!(pid, "ABCD1234".parse()?);
/// assert_eq!(pid.as_bytes(), b"ABCD1234");
/// assert_eq!(pid.to_string(), "ABCD-1234");
/// # Ok::<(), amt_hello::ParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Pid([u8; Pid::LEN]);

impl Pid {
    /// Length of a PID on the wire.
    pub const LEN: usize = 8;
    /// The longest text form: every byte escaped as `\xNN`, and the dash.
    pub const MAX_TEXT_LEN: usize = 4 * Pid::LEN + 1;

    /// The text form that `Display` writes, written to the front of `out`; `None` if `out` is
    /// too short for it (nothing is written then). A valid PID takes 9 bytes, any PID at most
    /// [`Pid::MAX_TEXT_LEN`].
    ///
    /// ```
    /// use amt_hello::Pid;
    /// let mut buf = [0u8; Pid::MAX_TEXT_LEN];
    /// let pid: Pid = "ABCD1234".parse()?;
    /// assert_eq!(pid.text_into(&mut buf), Some("ABCD-1234"));
    /// assert_eq!(pid.text_into(&mut buf[..8]), None);
    /// # Ok::<(), amt_hello::ParseError>(())
    /// ```
    pub fn text_into<'o>(&self, out: &'o mut [u8]) -> Option<&'o str> {
        let mut text = [0; Pid::MAX_TEXT_LEN];
        let mut w = Writer::new(&mut text);
        for (i, &byte) in self.0.iter().enumerate() {
            if i == Pid::LEN / 2 {
                w.u8(b'-')?;
            }
            if byte.is_ascii_graphic() && byte != b'\\' && byte != b'-' {
                w.u8(byte)?;
            } else {
                let [hi, lo] = hex::digits(byte);
                w.bytes(&[b'\\', b'x', hi, lo])?;
            }
        }
        let len = w.written();
        let out = out.get_mut(..len)?;
        out.copy_from_slice(text.get(..len)?);
        core::str::from_utf8(out).ok()
    }

    /// Whether `byte` may appear in a PID: an ASCII upper-case letter or digit.
    #[inline]
    pub const fn is_pid_byte(byte: u8) -> bool {
        byte.is_ascii_uppercase() || byte.is_ascii_digit()
    }

    /// The PID with these bytes, if each is `A-Z` or `0-9`.
    #[inline]
    pub fn new(bytes: [u8; Pid::LEN]) -> Result<Self, ParseError> {
        text_error::check(&bytes, &[], Pid::is_pid_byte)?;
        Ok(Pid(bytes))
    }

    /// The PID with these bytes, whatever they are (as [`Policy::Lenient`](crate::Policy) decodes it).
    #[inline]
    pub const fn from_bytes_lenient(bytes: [u8; Pid::LEN]) -> Self {
        Pid(bytes)
    }

    /// The 8 bytes as sent on the wire, without the dash.
    #[inline]
    pub const fn as_bytes(&self) -> &[u8; Pid::LEN] {
        &self.0
    }

    /// Whether every byte is `A-Z` or `0-9` (always true unless decoded leniently).
    #[inline]
    pub fn is_valid(&self) -> bool {
        self.0.iter().all(|&b| Pid::is_pid_byte(b))
    }
}

impl fmt::Display for Pid {
    /// ```
    /// use amt_hello::Pid;
    /// assert_eq!(Pid::from_bytes_lenient(*b"AB-D1234").to_string(), r"AB\x2dD-1234");
    /// assert_eq!(Pid::from_bytes_lenient(*b"ab\0D1234").to_string(), r"ab\x00D-1234");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = [0; Pid::MAX_TEXT_LEN];
        f.pad(self.text_into(&mut text).ok_or(fmt::Error)?)
    }
}

impl fmt::Debug for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pid({self})")
    }
}

impl FromStr for Pid {
    type Err = ParseError;

    /// Parses `ABCD-EFGH` or `ABCDEFGH` (upper case, as MEBx shows it).
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let text = s.as_bytes();
        let dashes: &[usize] = match text.len() {
            8 => &[],
            9 => &[4],
            found => {
                return Err(ParseError::Length {
                    expected: Pid::LEN,
                    found,
                });
            }
        };
        text_error::check(text, dashes, Pid::is_pid_byte)?;
        // Only the dash is a `-` now.
        let mut bytes = [0u8; Pid::LEN];
        for (slot, &c) in bytes.iter_mut().zip(text.iter().filter(|&&c| c != b'-')) {
            *slot = c;
        }
        Ok(Pid(bytes))
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn rejects_bad_text() {
        let character = |offset, found| Err(ParseError::Character { offset, found });
        let cases = [
            ("ABCD-123", character(4, b'-')),
            (
                "ABC",
                Err(ParseError::Length {
                    expected: 8,
                    found: 3,
                }),
            ),
            ("ABCDx1234", character(4, b'x')),
            ("ABCD-12a4", character(7, b'a')),
            ("abCD1234", character(0, b'a')),
            ("ABCD12a4", character(6, b'a')),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<Pid>(), expected, "{text}");
        }
    }

    #[test]
    fn text_form_is_unambiguous() {
        let cases: [(&[u8; Pid::LEN], &str); 7] = [
            (b"ABCD1234", "ABCD-1234"),
            (b"AB-D1234", "AB\\x2dD-1234"),
            (b"ABCD-234", "ABCD-\\x2d234"),
            (b"----1234", "\\x2d\\x2d\\x2d\\x2d-1234"),
            (b"abcd1234", "abcd-1234"),
            (b"AB D\xff234", "AB\\x20D-\\xff234"),
            (b"AB\0D\\123", "AB\\x00D-\\x5c123"),
        ];
        for (bytes, text) in cases {
            let pid = Pid::from_bytes_lenient(*bytes);
            assert_eq!(pid.to_string(), text);
            assert_eq!(pid.is_valid(), bytes == b"ABCD1234");
        }
        // Width and alignment apply to a valid PID's text.
        assert_eq!(
            std::format!("{:>10}", Pid::from_bytes_lenient(*b"ABCD1234")),
            " ABCD-1234"
        );
        assert_eq!(
            std::format!("{:?}", Pid::from_bytes_lenient(*b"ABCD1234")),
            "Pid(ABCD-1234)"
        );
        let all_escaped = Pid::from_bytes_lenient([0; 8]).to_string();
        assert_eq!(all_escaped.len(), Pid::MAX_TEXT_LEN);
    }
}
