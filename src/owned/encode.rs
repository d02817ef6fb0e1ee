//! Writing a [`Hello`] back to bytes.

use super::{Hello, Payload};
use crate::error::EncodeError;
use crate::hash::CertHash;
use crate::layout::{PKI_MIN_LEN, PSK_LEN};
use crate::writer::Writer;

impl<const N: usize> Hello<N> {
    /// The length of the encoding in bytes.
    pub fn encoded_len(&self) -> usize {
        match &self.payload {
            Payload::Psk(_) => PSK_LEN,
            Payload::Pki(hashes) => hashes.iter().fold(PKI_MIN_LEN, |len, hash| {
                len.saturating_add(hash.encoded_len())
            }),
        }
    }

    /// Encodes into the front of `buf` and returns the length written. Bytes of `buf` past that
    /// length are never touched. If `buf` is too short the error names the length needed, and
    /// `buf` may hold the part that fitted: size it with [`Hello::encoded_len`] or
    /// [`Hello::MAX_LEN`].
    ///
    /// ```
    /// use amt_hello::{AdminCredentials, EncodeError, Hello, Payload, Uuid};
    /// let hello: Hello = Hello {
    ///     admin_credentials: AdminCredentials::Set,
    ///     retry_count: 0,
    ///     uuid: Uuid::NIL,
    ///     payload: Payload::Psk("ABCD-1234".parse().unwrap()),
    /// };
    /// let mut buf = [0u8; 32];
    /// assert_eq!(hello.encode_into(&mut buf), Ok(32));
    /// assert_eq!(&buf[24..], b"ABCD1234");
    /// assert_eq!(
    ///     hello.encode_into(&mut buf[..31]),
    ///     Err(EncodeError::BufferTooSmall { needed: 32, available: 31 })
    /// );
    /// ```
    pub fn encode_into(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let available = buf.len();
        let mut w = Writer::new(buf);
        let mut hashes = self.cert_hashes().iter();
        // One pass: the length is only worked out to report a buffer that is too small.
        self.write_head(&mut w)
            .and_then(|()| hashes.try_for_each(|hash| write_entry(&mut w, hash)))
            .map(|()| w.written())
            .ok_or_else(|| EncodeError::BufferTooSmall {
                needed: self.encoded_len(),
                available,
            })
    }

    /// The header, then the PID (PSK) or the hash count (PKI).
    #[inline]
    pub(crate) fn write_head(&self, w: &mut Writer<'_>) -> Option<()> {
        let () = Self::CAPACITY_FITS_THE_COUNT;
        w.u16(self.admin_credentials.to_wire())?;
        w.u16(self.version().to_wire())?;
        w.u32(self.retry_count)?;
        w.bytes(self.uuid.as_bytes())?;
        match &self.payload {
            Payload::Psk(pid) => w.bytes(pid.as_bytes()),
            // At most 255: `CAPACITY_FITS_THE_COUNT`.
            Payload::Pki(hashes) => w.u8(u8::try_from(hashes.len()).ok()?),
        }
    }
}

/// One certificate-hash entry: code, length, digest.
#[inline]
pub(crate) fn write_entry(w: &mut Writer<'_>, hash: &CertHash) -> Option<()> {
    let digest = hash.digest().as_bytes();
    w.u8(hash.algorithm().to_wire())?;
    w.u8(u8::try_from(digest.len()).ok()?)?;
    w.bytes(digest)
}
