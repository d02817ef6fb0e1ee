//! The device UUID: 16 raw bytes in SMBIOS order, shown in the SMBIOS/Microsoft GUID text form.

use core::fmt;
use core::str::FromStr;

use crate::hex;
use crate::text_error::{self, ParseError};

/// Offsets in the text form that hold a dash: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
const DASHES: [usize; 4] = [8, 13, 18, 23];

/// A device UUID as the device sends it: the 16 bytes of its SMBIOS Type 1 UUID.
///
/// Its text form is the SMBIOS (Microsoft GUID) mixed-endian one: the first three groups are
/// byte-reversed, the last two are not.
///
/// ```
/// use amt_hello::Uuid;
/// let raw = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
///            0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
/// let uuid = Uuid::from_bytes(raw);
/// assert_eq!(uuid.to_string(), "33221100-5544-7766-8899-aabbccddeeff");
/// assert_eq!("33221100-5544-7766-8899-AABBCCDDEEFF".parse::<Uuid>(), Ok(uuid));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Uuid([u8; Uuid::LEN]);

impl Uuid {
    /// Length of a UUID on the wire.
    pub const LEN: usize = 16;
    /// Length of its text form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    pub const TEXT_LEN: usize = 36;

    /// The all-zero UUID, which SMBIOS uses for "not present".
    pub const NIL: Uuid = Uuid([0; 16]);
    /// The all-`ff` UUID, which SMBIOS uses for "present but not set".
    pub const MAX: Uuid = Uuid([0xff; 16]);
    /// `03000200-0400-0500-0006-000700080009`, a placeholder some firmware reports.
    pub const PLACEHOLDER: Uuid = Uuid([0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9]);

    /// The UUID with these raw bytes (SMBIOS order, as on the wire).
    pub const fn from_bytes(raw: [u8; Uuid::LEN]) -> Self {
        Uuid(raw)
    }

    /// The raw bytes (SMBIOS order, as on the wire).
    pub const fn as_bytes(&self) -> &[u8; Uuid::LEN] {
        &self.0
    }

    /// Whether this is one of the values firmware uses for "no real UUID": [`Uuid::NIL`],
    /// [`Uuid::MAX`] or [`Uuid::PLACEHOLDER`]. Such a device cannot be told apart by its UUID.
    pub fn is_unset(&self) -> bool {
        *self == Uuid::NIL || *self == Uuid::MAX || *self == Uuid::PLACEHOLDER
    }

    /// The bytes in text order: the first three groups byte-reversed (the swap is its own inverse).
    const fn swap_groups(raw: [u8; Uuid::LEN]) -> [u8; Uuid::LEN] {
        let [a0, a1, a2, a3, a4, a5, a6, a7, rest @ ..] = raw;
        let [b0, b1, b2, b3, b4, b5, b6, b7] = rest;
        [
            a3, a2, a1, a0, a5, a4, a7, a6, b0, b1, b2, b3, b4, b5, b6, b7,
        ]
    }

    /// The text form, written to the front of `out`; `None` if `out` is shorter than
    /// [`Uuid::TEXT_LEN`] (nothing is written then).
    ///
    /// ```
    /// use amt_hello::Uuid;
    /// let mut buf = [0u8; Uuid::TEXT_LEN];
    /// assert_eq!(Uuid::PLACEHOLDER.text_into(&mut buf), Some("03000200-0400-0500-0006-000700080009"));
    /// assert_eq!(Uuid::NIL.text_into(&mut buf[..35]), None);
    /// ```
    pub fn text_into<'o>(&self, out: &'o mut [u8]) -> Option<&'o str> {
        let text = out.get_mut(..Uuid::TEXT_LEN)?;
        let mut digits = Uuid::swap_groups(self.0).into_iter().flat_map(hex::digits);
        for (offset, slot) in text.iter_mut().enumerate() {
            *slot = match DASHES.contains(&offset) {
                true => b'-',
                false => digits.next()?,
            };
        }
        core::str::from_utf8(text).ok()
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = [0; Uuid::TEXT_LEN];
        f.pad(self.text_into(&mut text).ok_or(fmt::Error)?)
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uuid({self})")
    }
}

impl FromStr for Uuid {
    type Err = ParseError;

    /// Parses the text form, either case. The dashes are required.
    fn from_str(s: &str) -> Result<Self, ParseError> {
        let text = s.as_bytes();
        if text.len() != Uuid::TEXT_LEN {
            return Err(ParseError::Length {
                expected: Uuid::TEXT_LEN,
                found: text.len(),
            });
        }
        // The 32 digits in text order are one big-endian number.
        let mut number = 0u128;
        let mut push = |digit: u8| number = number << 4 | u128::from(digit);
        text_error::check(text, &DASHES, |c| hex::value(c).map(&mut push).is_some())?;
        Ok(Uuid(Uuid::swap_groups(number.to_be_bytes())))
    }
}

/// The same UUID in the `uuid` crate (feature `uuid`). The wire's SMBIOS bytes are the
/// little-endian field order that `uuid::Uuid::from_bytes_le` takes, so both types print the
/// same text.
///
/// ```
/// let ours: amt_hello::Uuid = "33221100-5544-7766-8899-aabbccddeeff".parse().unwrap();
/// let theirs = uuid::Uuid::from(ours);
/// assert_eq!(theirs.to_string(), ours.to_string());
/// assert_eq!(amt_hello::Uuid::from(theirs), ours);
/// ```
#[cfg(feature = "uuid")]
impl From<Uuid> for ::uuid::Uuid {
    fn from(uuid: Uuid) -> Self {
        ::uuid::Uuid::from_bytes_le(uuid.0)
    }
}

/// The UUID a device would send for `uuid` (feature `uuid`): its `to_bytes_le`.
#[cfg(feature = "uuid")]
impl From<::uuid::Uuid> for Uuid {
    fn from(uuid: ::uuid::Uuid) -> Self {
        Uuid(uuid.to_bytes_le())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_values_and_the_debug_form() {
        let placeholder = std::format!("{}", Uuid::PLACEHOLDER);
        assert_eq!(placeholder, "03000200-0400-0500-0006-000700080009");
        assert!(Uuid::PLACEHOLDER.is_unset() && Uuid::NIL.is_unset() && Uuid::MAX.is_unset());
        assert!(!Uuid::from_bytes([1; 16]).is_unset());
        let uuid = Uuid::from_bytes([0x11; 16]);
        let debug = "Uuid(11111111-1111-1111-1111-111111111111)";
        assert_eq!(std::format!("{uuid:?}"), debug);
        let padded = "    11111111-1111-1111-1111-111111111111";
        assert_eq!(std::format!("{uuid:>40}"), padded);
    }

    #[test]
    fn rejects_malformed_text() {
        let character = |offset, found| Err(ParseError::Character { offset, found });
        let length = Err(ParseError::Length {
            expected: 36,
            found: 35,
        });
        let cases = [
            ("33221100-5544-7766-8899-aabbccddeef", length),
            ("33221100x5544-7766-8899-aabbccddeeff", character(8, b'x')),
            ("3322110g-5544-7766-8899-aabbccddeeff", character(7, b'g')),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<Uuid>(), expected, "{text}");
        }
    }
}
