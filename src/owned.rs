//! The owned Hello: a plain value backed by `heapless`, to keep, compare, build and encode.

use crate::error::{DecodeError, EncodeError};
use crate::hash::CertHash;
use crate::header::{
    self, AdminCredentials, ENTRY_OVERHEAD, HASH_COUNT_OFFSET, InterfaceVersion, PKI_MIN_LEN,
    PSK_LEN,
};
use crate::pid::Pid;
use crate::policy::Policy;
use crate::uuid::Uuid;
use crate::view::HelloView;
use crate::writer::Writer;

/// How many certificate hashes a [`Hello`] holds unless told otherwise: the 33 slots of the
/// largest documented device hash table (real devices send 20–33). The wire count allows 255;
/// use `Hello<255>` to hold any message.
pub const DEFAULT_HASH_CAPACITY: usize = 33;

/// What follows the header: it decides the interface version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Payload<const N: usize = DEFAULT_HASH_CAPACITY> {
    /// Version 2: the Provisioning ID.
    Psk(Pid),
    /// Version 3: trusted-root certificate hashes, in the device's slot order.
    Pki(heapless::Vec<CertHash, N>),
}

/// An owned Hello holding up to `N` certificate hashes.
///
/// Its size is fixed by its capacity: about 68 bytes a hash (2 256 bytes for the default 33,
/// 17 128 for 255), and moving it costs as much. Where you only need to read a message,
/// [`HelloView`] borrows it instead and is 32 bytes.
///
/// ```
/// use amt_hello::{AdminCredentials, CertHash, HashAlgorithm, Hello, Payload, Uuid};
/// let mut hashes = heapless::Vec::new();
/// hashes.push(CertHash::new(HashAlgorithm::Sha256, &[0xab; 32])?).unwrap();
/// let hello: Hello = Hello {
///     admin_credentials: AdminCredentials::Set,
///     retry_count: 3,
///     uuid: "939b524b-13d4-1d18-e487-1c697a6b7a2b".parse()?,
///     payload: Payload::Pki(hashes),
/// };
///
/// let mut buf = [0u8; <Hello>::MAX_LEN];
/// let len = hello.encode_into(&mut buf).unwrap();
/// assert_eq!(len, hello.encoded_len());
/// assert_eq!(len, 25 + 34);
/// assert_eq!(Hello::decode(&buf[..len]), Ok(hello));
/// # Ok::<(), amt_hello::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Hello<const N: usize = DEFAULT_HASH_CAPACITY> {
    /// The admin-credentials word.
    pub admin_credentials: AdminCredentials,
    /// The retry count. Any value encodes; values above 14 decode only under [`Policy::Lenient`].
    pub retry_count: u32,
    /// The device UUID.
    pub uuid: Uuid,
    /// The PID or the certificate hashes.
    pub payload: Payload<N>,
}

impl<const N: usize> Hello<N> {
    /// The longest encoding of any `Hello<N>`: size stack buffers with it.
    pub const MAX_LEN: usize = {
        let pki = PKI_MIN_LEN.saturating_add(
            N.saturating_mul(CertHash::MAX_DIGEST_LEN.saturating_add(ENTRY_OVERHEAD)),
        );
        if pki > PSK_LEN { pki } else { PSK_LEN }
    };

    /// Decodes exactly one Hello under the strict policy.
    ///
    /// ```
    /// use amt_hello::{DecodeError, Hello};
    /// let bytes = b"\x00\x00\x02\x00\x0e\x00\x00\x00\
    ///               \x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\
    ///               Z9Y8X7W6";
    /// let hello: Hello = Hello::decode(bytes)?;
    /// assert!(hello.admin_credentials.must_set_new_credentials());
    /// assert_eq!(hello.retry_count, 14);
    ///
    /// let mut bad = *bytes;
    /// bad[4] = 15; // retry count above the documented 14
    /// assert_eq!(
    ///     Hello::<0>::decode(&bad),
    ///     Err(DecodeError::RetryCountOutOfRange { offset: 4, found: 15, max: 14 })
    /// );
    /// # Ok::<(), DecodeError>(())
    /// ```
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        Hello::decode_with(bytes, Policy::Strict)
    }

    /// Decodes exactly one Hello under `policy`.
    pub fn decode_with(bytes: &[u8], policy: Policy) -> Result<Self, DecodeError> {
        Hello::from_view(&HelloView::parse_with(bytes, policy)?)
    }

    /// Copies a view. Fails only when the message exceeds this value's capacity:
    /// [`DecodeError::TooManyHashes`] or [`DecodeError::DigestTooLong`].
    pub fn from_view(view: &HelloView<'_>) -> Result<Self, DecodeError> {
        let payload = match view.pid() {
            Some(pid) => Payload::Psk(pid),
            None => Payload::Pki(heapless::Vec::new()),
        };
        let mut hello = Hello {
            admin_credentials: view.admin_credentials(),
            retry_count: view.retry_count(),
            uuid: view.uuid(),
            payload,
        };
        // Fill the hashes in place: a Hello can be kilobytes, so it is built once and not moved.
        if let Payload::Pki(hashes) = &mut hello.payload {
            copy_hashes(view, hashes)?;
        }
        Ok(hello)
    }

    /// The interface version, which the payload decides.
    pub const fn version(&self) -> InterfaceVersion {
        match self.payload {
            Payload::Psk(_) => InterfaceVersion::Psk,
            Payload::Pki(_) => InterfaceVersion::Pki,
        }
    }

    /// The PID of a PSK Hello; `None` for PKI.
    pub const fn pid(&self) -> Option<Pid> {
        match self.payload {
            Payload::Psk(pid) => Some(pid),
            Payload::Pki(_) => None,
        }
    }

    /// The certificate hashes of a PKI Hello; empty for PSK.
    pub fn cert_hashes(&self) -> &[CertHash] {
        match &self.payload {
            Payload::Psk(_) => &[],
            Payload::Pki(hashes) => hashes,
        }
    }

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
        // One pass: the length is only worked out to report a buffer that is too small.
        match self.write(&mut w) {
            Some(Ok(())) => Ok(w.written()),
            Some(Err(too_many)) => Err(too_many),
            None => Err(EncodeError::BufferTooSmall {
                needed: self.encoded_len(),
                available,
            }),
        }
    }

    /// Writes the message; `None` when the buffer runs out.
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Option<Result<(), EncodeError>> {
        let count = match &self.payload {
            Payload::Psk(_) => 0,
            Payload::Pki(hashes) => match u8::try_from(hashes.len()) {
                Ok(count) => count,
                Err(_) => {
                    return Some(Err(EncodeError::TooManyHashes {
                        count: hashes.len(),
                    }));
                }
            },
        };
        header::write(
            w,
            self.admin_credentials,
            self.version(),
            self.retry_count,
            &self.uuid,
        )?;
        match &self.payload {
            Payload::Psk(pid) => w.bytes(pid.as_bytes())?,
            Payload::Pki(hashes) => {
                w.u8(count)?;
                for hash in hashes {
                    let digest = hash.digest().as_bytes();
                    w.u8(hash.algorithm().to_wire())?;
                    w.u8(u8::try_from(digest.len()).ok()?)?;
                    w.bytes(digest)?;
                }
            }
        }
        Some(Ok(()))
    }
}

/// Copies the view's hashes into `owned`, or names the capacity that stops them.
#[inline]
fn copy_hashes<const N: usize>(
    view: &HelloView<'_>,
    owned: &mut heapless::Vec<CertHash, N>,
) -> Result<(), DecodeError> {
    let hashes = view.cert_hashes();
    let too_many = DecodeError::TooManyHashes {
        offset: HASH_COUNT_OFFSET,
        found: u8::try_from(hashes.len()).unwrap_or(u8::MAX),
        capacity: N,
    };
    if hashes.len() > N {
        return Err(too_many);
    }
    // Offset of the current entry's length byte, for the error.
    let mut len_offset = PKI_MIN_LEN.saturating_add(1);
    for hash in hashes {
        let digest = hash.digest().as_bytes();
        let too_long = DecodeError::DigestTooLong {
            offset: len_offset,
            found: u8::try_from(digest.len()).unwrap_or(u8::MAX),
            capacity: CertHash::MAX_DIGEST_LEN,
        };
        // Built in its final place: a CertHash is 67 bytes, and moving each one costs more than
        // copying its digest.
        owned.push(CertHash::EMPTY).map_err(|_| too_many)?;
        let slot = owned.last_mut().ok_or(too_many)?;
        if slot.fill(hash.algorithm(), digest).is_err() {
            owned.pop();
            return Err(too_long);
        }
        len_offset = len_offset
            .saturating_add(digest.len())
            .saturating_add(ENTRY_OVERHEAD);
    }
    Ok(())
}

impl<const N: usize> TryFrom<&HelloView<'_>> for Hello<N> {
    type Error = DecodeError;

    fn try_from(view: &HelloView<'_>) -> Result<Self, DecodeError> {
        Hello::from_view(view)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::algorithm::HashAlgorithm;

    fn pki_with_unknown(len: u8) -> [u8; 25 + 2 + 100] {
        let mut m = [0u8; 127];
        m[0] = 1;
        m[2] = 3;
        m[24] = 1;
        m[25] = 9;
        m[26] = len;
        m
    }

    #[test]
    fn capacity_errors_name_the_field() {
        let m = pki_with_unknown(100);
        assert!(HelloView::parse_with(&m, Policy::Lenient).is_ok());
        assert_eq!(
            Hello::<4>::decode_with(&m, Policy::Lenient),
            Err(DecodeError::DigestTooLong {
                offset: 26,
                found: 100,
                capacity: 64
            })
        );
        assert_eq!(
            Hello::<0>::decode_with(&m, Policy::Lenient),
            Err(DecodeError::TooManyHashes {
                offset: 24,
                found: 1,
                capacity: 0
            })
        );
        let short = Hello::<1>::decode_with(&pki_with_unknown(64)[..91], Policy::Lenient).unwrap();
        assert_eq!(
            short.cert_hashes()[0].algorithm(),
            HashAlgorithm::Unknown(9)
        );
    }

    #[test]
    fn max_len_covers_the_largest_value() {
        assert_eq!(Hello::<0>::MAX_LEN, 32);
        assert_eq!(Hello::<1>::MAX_LEN, 25 + 66);
        assert_eq!(Hello::<255>::MAX_LEN, 25 + 255 * 66);
        assert_eq!(Hello::<{ usize::MAX }>::MAX_LEN, usize::MAX);
    }
}
