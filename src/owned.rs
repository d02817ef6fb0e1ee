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
    ///
    /// The value is built where the result is returned, not in a temporary that is then copied:
    /// on thumbv7m the stack this needs stays within the value's own size plus a few hundred
    /// bytes. Where even one value per call is too much (firmware that decodes repeatedly, or an
    /// SCA decoding thousands of Hellos), keep one value and use [`Hello::decode_in_place`].
    pub fn decode_with(bytes: &[u8], policy: Policy) -> Result<Self, DecodeError> {
        Hello::from_view(&HelloView::parse_with(bytes, policy)?)
    }

    /// Copies a view. Fails only when the message exceeds this value's capacity:
    /// [`DecodeError::TooManyHashes`] or [`DecodeError::DigestTooLong`].
    pub fn from_view(view: &HelloView<'_>) -> Result<Self, DecodeError> {
        check_capacity::<N>(view)?;
        // The result is the only whole-size local, so it can live in the caller's return slot.
        let mut result = Ok(Hello::EMPTY);
        if let Ok(hello) = &mut result {
            hello.fill_from(view);
        }
        result
    }

    /// Decodes exactly one Hello under the strict policy into `self`, overwriting it: no second
    /// value is built, so this needs little more stack than [`HelloView::parse`].
    ///
    /// On an error `self` is left **unchanged**: every check, the capacity included, is made
    /// before the first write, so the value never mixes two messages.
    ///
    /// ```
    /// use amt_hello::{DecodeError, Hello};
    /// let mut hello: Hello = Hello::EMPTY;
    /// let psk = b"\x01\x00\x02\x00\x03\x00\x00\x00\
    ///             \x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\
    ///             ABCD1234";
    /// hello.decode_in_place(psk)?;
    /// assert_eq!(hello.pid().unwrap().to_string(), "ABCD-1234");
    ///
    /// let before = hello.clone();
    /// assert!(hello.decode_in_place(&psk[..20]).is_err());
    /// assert_eq!(hello, before); // unchanged by the error
    /// # Ok::<(), DecodeError>(())
    /// ```
    pub fn decode_in_place(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        self.decode_in_place_with(bytes, Policy::Strict)
    }

    /// [`Hello::decode_in_place`] under `policy`. On an error `self` is left unchanged.
    pub fn decode_in_place_with(
        &mut self,
        bytes: &[u8],
        policy: Policy,
    ) -> Result<(), DecodeError> {
        let view = HelloView::parse_with(bytes, policy)?;
        check_capacity::<N>(&view)?;
        self.fill_from(&view);
        Ok(())
    }

    /// A PKI Hello with no hashes, credentials set, retry count 0 and the nil UUID: a starting
    /// value to decode into with [`Hello::decode_in_place`].
    pub const EMPTY: Self = Hello {
        admin_credentials: AdminCredentials::Set,
        retry_count: 0,
        uuid: Uuid::NIL,
        payload: Payload::Pki(heapless::Vec::new()),
    };

    /// Overwrites `self` with the view, whose capacity `check_capacity` has accepted.
    #[inline]
    fn fill_from(&mut self, view: &HelloView<'_>) {
        self.admin_credentials = view.admin_credentials();
        self.retry_count = view.retry_count();
        self.uuid = view.uuid();
        if let Some(pid) = view.pid() {
            self.payload = Payload::Psk(pid);
            return;
        }
        if let Payload::Psk(_) = self.payload {
            self.payload = Payload::Pki(heapless::Vec::new());
        }
        if let Payload::Pki(hashes) = &mut self.payload {
            hashes.clear();
            for hash in view.cert_hashes() {
                // Built in its final place: moving a 67-byte CertHash costs more than its digest.
                if hashes.push(CertHash::EMPTY).is_err() {
                    break; // unreachable: the count was checked against N
                }
                if let Some(slot) = hashes.last_mut() {
                    slot.fill_valid(hash);
                }
            }
        }
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

/// Whether a `Hello<N>` can hold the view: at most `N` hashes, none longer than a
/// [`CertHash`] holds. Otherwise the error names the count or the first digest that does not fit.
#[inline]
fn check_capacity<const N: usize>(view: &HelloView<'_>) -> Result<(), DecodeError> {
    let hashes = view.cert_hashes();
    if hashes.len() > N {
        return Err(DecodeError::TooManyHashes {
            offset: HASH_COUNT_OFFSET,
            found: u8::try_from(hashes.len()).unwrap_or(u8::MAX),
            capacity: N,
        });
    }
    if view
        .uniform_digest_len()
        .is_some_and(|len| usize::from(len) <= CertHash::MAX_DIGEST_LEN)
    {
        return Ok(()); // every entry has the same length, and it fits
    }
    // Offset of the current entry's length byte, for the error.
    let mut len_offset = PKI_MIN_LEN.saturating_add(1);
    for hash in hashes {
        let len = hash.digest().as_bytes().len();
        if len > CertHash::MAX_DIGEST_LEN {
            return Err(DecodeError::DigestTooLong {
                offset: len_offset,
                found: u8::try_from(len).unwrap_or(u8::MAX),
                capacity: CertHash::MAX_DIGEST_LEN,
            });
        }
        len_offset = len_offset
            .saturating_add(len)
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
    fn in_place_errors_leave_the_value_unchanged() {
        let mut psk = [0u8; 32];
        psk[0] = 1;
        psk[2] = 2;
        psk[24..].copy_from_slice(b"ABCD1234");
        let mut hello = Hello::<1>::EMPTY;
        hello.decode_in_place(&psk).unwrap();
        let before = hello.clone();
        // Parse errors, and capacity errors found only after the message parsed.
        let long = pki_with_unknown(100);
        let two = {
            let mut m = pki_with_unknown(0);
            m[24] = 2;
            m
        };
        let failures: [(&[u8], Policy); 4] = [
            (&psk[..31], Policy::Strict),
            (&long, Policy::Strict),
            (&long, Policy::Lenient),
            (&two[..29], Policy::Lenient),
        ];
        for (bytes, policy) in failures {
            assert!(hello.decode_in_place_with(bytes, policy).is_err());
            assert_eq!(hello, before);
        }
        assert_eq!(
            hello.decode_in_place_with(&long, Policy::Lenient),
            Err(DecodeError::DigestTooLong {
                offset: 26,
                found: 100,
                capacity: 64
            })
        );
        assert_eq!(
            hello.decode_in_place_with(&two[..29], Policy::Lenient),
            Err(DecodeError::TooManyHashes {
                offset: 24,
                found: 2,
                capacity: 1
            })
        );
    }

    #[test]
    fn in_place_switches_payloads_both_ways() {
        let mut pki = pki_with_unknown(2);
        pki[29] = 9;
        pki[30] = 1;
        pki[24] = 2;
        let pki = &pki[..32];
        let mut psk = [0u8; 32];
        psk[0] = 1;
        psk[2] = 2;
        psk[24..].copy_from_slice(b"WXYZ6789");
        let mut hello = Hello::<4>::EMPTY;
        for bytes in [pki, &psk, pki, pki, &psk] {
            hello.decode_in_place_with(bytes, Policy::Lenient).unwrap();
            assert_eq!(
                Ok(&hello),
                Hello::decode_with(bytes, Policy::Lenient).as_ref()
            );
        }
    }

    #[test]
    fn empty_is_a_valid_pki_hello_with_no_hashes() {
        let mut buf = [0u8; 25];
        assert_eq!(Hello::<0>::EMPTY.encode_into(&mut buf), Ok(25));
        assert_eq!(Hello::<0>::decode(&buf), Ok(Hello::EMPTY));
    }

    #[test]
    fn max_len_covers_the_largest_value() {
        assert_eq!(Hello::<0>::MAX_LEN, 32);
        assert_eq!(Hello::<1>::MAX_LEN, 25 + 66);
        assert_eq!(Hello::<255>::MAX_LEN, 25 + 255 * 66);
        assert_eq!(Hello::<{ usize::MAX }>::MAX_LEN, usize::MAX);
    }
}
