//! The 24-byte common header: its two coded fields' types, and the header as the view keeps it.

use core::fmt;

use byteorder::{ByteOrder, LittleEndian};

use crate::layout::{HEADER_LEN, PKI_MIN_LEN, PSK_LEN, RETRY_COUNT_OFFSET, UUID_OFFSET};
use crate::uuid::Uuid;

/// The admin-credentials word at offset 0.
///
/// ```
/// use amt_hello::AdminCredentials;
/// assert!(AdminCredentials::from_wire(0x0000).unwrap().must_set_new_credentials());
/// assert_eq!(AdminCredentials::from_wire(0x0001), Some(AdminCredentials::Set));
/// assert_eq!(AdminCredentials::from_wire(0xffff), None); // not "-1 < 1": the word is unsigned
/// assert_eq!(AdminCredentials::Set.to_wire(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AdminCredentials {
    /// `0x0000`: the device has a *localized BIOS*. New administrator credentials must be set in
    /// the device before setup and configuration can complete; an SCA should say so plainly.
    LocalizedBios = 0,
    /// `0x0001`, the usual value: admin credentials are set.
    Set = 1,
}

impl AdminCredentials {
    /// The credentials for a word, or `None` for any word but 0 and 1.
    #[inline]
    pub const fn from_wire(word: u16) -> Option<Self> {
        match word {
            0 => Some(AdminCredentials::LocalizedBios),
            1 => Some(AdminCredentials::Set),
            _ => None,
        }
    }

    /// The word as sent on the wire.
    #[inline]
    pub const fn to_wire(self) -> u16 {
        self as u16
    }

    /// Whether admin credentials are set (the word is 1).
    #[inline]
    pub const fn is_set(self) -> bool {
        matches!(self, AdminCredentials::Set)
    }

    /// Whether new admin credentials must be set first (localized BIOS, the word is 0).
    #[inline]
    pub const fn must_set_new_credentials(self) -> bool {
        matches!(self, AdminCredentials::LocalizedBios)
    }
}

impl fmt::Display for AdminCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AdminCredentials::Set => "admin credentials set",
            AdminCredentials::LocalizedBios => {
                "localized BIOS: new admin credentials must be set in the device"
            }
        })
    }
}

/// The interface version at offset 2, which decides the body.
///
/// ```
/// use amt_hello::InterfaceVersion;
/// assert_eq!(InterfaceVersion::from_wire(3), Some(InterfaceVersion::Pki));
/// assert_eq!(InterfaceVersion::Psk.to_wire(), 2);
/// assert_eq!(InterfaceVersion::from_wire(4), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InterfaceVersion {
    /// Version 2: pre-shared key setup; an 8-character PID follows the header.
    Psk,
    /// Version 3: certificate-based setup; a list of trusted-root hashes follows the header.
    Pki,
}

impl InterfaceVersion {
    /// The version for a number, or `None` for any number but 2 and 3.
    #[inline]
    pub const fn from_wire(version: u16) -> Option<Self> {
        match version {
            2 => Some(InterfaceVersion::Psk),
            3 => Some(InterfaceVersion::Pki),
            _ => None,
        }
    }

    /// The number as sent on the wire.
    #[inline]
    pub const fn to_wire(self) -> u16 {
        match self {
            InterfaceVersion::Psk => 2,
            InterfaceVersion::Pki => 3,
        }
    }

    /// The shortest message of this version (PSK messages are exactly this long).
    #[inline]
    pub const fn min_len(self) -> usize {
        match self {
            InterfaceVersion::Psk => PSK_LEN,
            InterfaceVersion::Pki => PKI_MIN_LEN,
        }
    }
}

/// A validated common header, borrowed from the message: the fields that decide validity are
/// decoded once by the parser, the rest are read from the bytes when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Header<'a> {
    pub(crate) raw: &'a [u8; HEADER_LEN],
    pub(crate) admin_credentials: AdminCredentials,
    pub(crate) version: InterfaceVersion,
}

impl Header<'_> {
    /// The retry count.
    #[inline]
    pub(crate) fn retry_count(&self) -> u32 {
        LittleEndian::read_u32(&array_at::<{ RETRY_COUNT_OFFSET }, 4>(self.raw))
    }

    /// The device UUID.
    #[inline]
    pub(crate) fn uuid(&self) -> Uuid {
        Uuid::from_bytes(array_at::<{ UUID_OFFSET }, { Uuid::LEN }>(self.raw))
    }
}

/// The `N` bytes at `AT` of a header. Both are constants inside the header, so the fallback is
/// unreachable and compiles away.
#[inline]
fn array_at<const AT: usize, const N: usize>(raw: &[u8; HEADER_LEN]) -> [u8; N] {
    raw.get(AT..)
        .and_then(|rest| rest.first_chunk::<N>())
        .copied()
        .unwrap_or([0; N])
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn wire_words_round_trip() {
        // Every word natively; under Miri (a thousand times slower) the low ones and the edges.
        let words = (0..=0x0100).chain([0x7fff, 0x8000, 0xfffe, u16::MAX]);
        for word in words.chain((0x0101..=u16::MAX).filter(|_| !cfg!(miri))) {
            if let Some(c) = AdminCredentials::from_wire(word) {
                assert_eq!(c.to_wire(), word);
            }
            if let Some(v) = InterfaceVersion::from_wire(word) {
                assert_eq!(v.to_wire(), word);
            }
        }
        assert_eq!(
            AdminCredentials::from_wire(0),
            Some(AdminCredentials::LocalizedBios)
        );
        assert_eq!(AdminCredentials::from_wire(2), None);
        assert_eq!(InterfaceVersion::from_wire(2), Some(InterfaceVersion::Psk));
        assert_eq!(InterfaceVersion::from_wire(1), None);
    }

    #[test]
    fn credentials_answer_both_questions() {
        let set = AdminCredentials::Set;
        let bios = AdminCredentials::LocalizedBios;
        assert!(set.is_set() && !set.must_set_new_credentials());
        assert!(!bios.is_set() && bios.must_set_new_credentials());
        assert_eq!(std::format!("{set}"), "admin credentials set");
        assert_eq!(
            std::format!("{bios}"),
            "localized BIOS: new admin credentials must be set in the device"
        );
    }
}
