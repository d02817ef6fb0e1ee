//! The 24-byte common header: layout, the admin-credentials word and the interface version.
//!
//! | offset | size | field |
//! |---:|---:|---|
//! | 0 | 2 | admin-credentials word, `u16` LE |
//! | 2 | 2 | interface version, `u16` LE: 2 = PSK, 3 = PKI |
//! | 4 | 4 | retry count, `u32` LE |
//! | 8 | 16 | device UUID, SMBIOS byte order |

use core::fmt;

use byteorder::{ByteOrder, LittleEndian};

use crate::error::{DecodeError, Needed};
use crate::reader::Reader;
use crate::writer::Writer;
use crate::{Policy, Uuid};

/// Offset of the admin-credentials word.
pub const ADMIN_CREDENTIALS_OFFSET: usize = 0;
/// Offset of the interface version.
pub const VERSION_OFFSET: usize = 2;
/// Offset of the retry count.
pub const RETRY_COUNT_OFFSET: usize = 4;
/// Offset of the device UUID.
pub const UUID_OFFSET: usize = 8;
/// Length of the common header; the PID or the hash count follows it.
pub const HEADER_LEN: usize = 24;
/// Length of a PSK Hello (version 2): header and an 8-byte PID.
pub const PSK_LEN: usize = HEADER_LEN + 8;
/// Length of the shortest PKI Hello (version 3): header and a zero hash count.
pub const PKI_MIN_LEN: usize = HEADER_LEN + 1;
/// The largest retry count the documentation allows; larger ones pass only [`Policy::Lenient`].
pub const MAX_RETRY_COUNT: u32 = 14;

/// The admin-credentials word at offset 0.
///
/// ```
/// use amt_hello::AdminCredentials;
/// assert!(AdminCredentials::from_word(0x0000).unwrap().must_set_new_credentials());
/// assert_eq!(AdminCredentials::from_word(0x0001), Some(AdminCredentials::Set));
/// assert_eq!(AdminCredentials::from_word(0xffff), None); // not "-1 < 1": the word is unsigned
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AdminCredentials {
    /// `0x0000`: the device has a *localized BIOS*. New administrator credentials must be set in
    /// the device before setup and configuration can complete; an SCA should say so plainly.
    LocalizedBios,
    /// `0x0001`, the usual value: admin credentials are set.
    Set,
}

impl AdminCredentials {
    /// The credentials for a word, or `None` for any word but 0 and 1.
    #[inline]
    pub const fn from_word(word: u16) -> Option<Self> {
        match word {
            0 => Some(AdminCredentials::LocalizedBios),
            1 => Some(AdminCredentials::Set),
            _ => None,
        }
    }

    /// The word as sent on the wire.
    #[inline]
    pub const fn word(self) -> u16 {
        match self {
            AdminCredentials::LocalizedBios => 0,
            AdminCredentials::Set => 1,
        }
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
    pub const fn from_u16(version: u16) -> Option<Self> {
        match version {
            2 => Some(InterfaceVersion::Psk),
            3 => Some(InterfaceVersion::Pki),
            _ => None,
        }
    }

    /// The number as sent on the wire.
    #[inline]
    pub const fn as_u16(self) -> u16 {
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
/// decoded once, the rest are read from the bytes when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Header<'a> {
    raw: &'a [u8; HEADER_LEN],
    pub(crate) admin_credentials: AdminCredentials,
    pub(crate) version: InterfaceVersion,
}

impl<'a> Header<'a> {
    /// Reads and validates the header field by field, so that an invalid field in a short
    /// prefix is reported before the truncation that follows it.
    #[inline]
    pub(crate) fn read(r: &mut Reader<'a>, policy: Policy) -> Result<Self, DecodeError> {
        let short = |r: &Reader<'_>, at_least| r.truncated(Needed::AtLeast(at_least));
        let mut fields = r.clone();

        let word = fields.u16().ok_or_else(|| short(&fields, HEADER_LEN))?;
        let admin_credentials =
            AdminCredentials::from_word(word).ok_or(DecodeError::InvalidAdminCredentials {
                offset: ADMIN_CREDENTIALS_OFFSET,
                found: word,
            })?;

        let number = fields.u16().ok_or_else(|| short(&fields, HEADER_LEN))?;
        let version =
            InterfaceVersion::from_u16(number).ok_or(DecodeError::UnsupportedVersion {
                offset: VERSION_OFFSET,
                found: number,
            })?;

        let retry_count = fields
            .u32()
            .ok_or_else(|| short(&fields, version.min_len()))?;
        if !policy.accepts_retry_count(retry_count) {
            return Err(DecodeError::RetryCountOutOfRange {
                offset: RETRY_COUNT_OFFSET,
                found: retry_count,
                max: MAX_RETRY_COUNT,
            });
        }

        // Any 16 bytes are a UUID: take the whole header, which fails just when the UUID is cut.
        let raw = r
            .array::<HEADER_LEN>()
            .ok_or_else(|| short(&fields, version.min_len()))?;
        Ok(Header {
            raw,
            admin_credentials,
            version,
        })
    }

    /// The retry count (validated by `read`).
    #[inline]
    pub(crate) fn retry_count(&self) -> u32 {
        let [_, _, _, _, a, b, c, d, ..] = *self.raw;
        LittleEndian::read_u32(&[a, b, c, d])
    }

    /// The device UUID.
    #[inline]
    pub(crate) fn uuid(&self) -> Uuid {
        let [_, _, _, _, _, _, _, _, uuid @ ..] = *self.raw;
        Uuid::from_bytes(uuid)
    }
}

/// Writes a common header.
#[inline]
pub(crate) fn write(
    w: &mut Writer<'_>,
    admin_credentials: AdminCredentials,
    version: InterfaceVersion,
    retry_count: u32,
    uuid: &Uuid,
) -> Option<()> {
    w.u16(admin_credentials.word())?;
    w.u16(version.as_u16())?;
    w.u32(retry_count)?;
    w.bytes(uuid.as_bytes())
}
