//! Certificate hashes: digests and their hex text, the borrowed entry and the owned one.

use core::fmt;

use crate::algorithm::HashAlgorithm;
use crate::hex;
use crate::layout::ENTRY_OVERHEAD;
use crate::text_error::ParseError;

/// A digest's bytes, shown as lowercase hex by `Display` and `LowerHex`.
///
/// ```
/// use amt_hello::Digest;
/// assert_eq!(Digest::new(&[0xab, 0x01]).to_string(), "ab01");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Digest<'a>(&'a [u8]);

impl<'a> Digest<'a> {
    /// The digest of these bytes.
    #[inline]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Digest(bytes)
    }

    /// The raw bytes.
    #[inline]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The lowercase hex text, written to the front of `out`; `None` if `out` is shorter than
    /// twice the digest (nothing is written then).
    ///
    /// ```
    /// use amt_hello::Digest;
    /// let mut buf = [0u8; 128];
    /// assert_eq!(Digest::new(&[0xab, 0x01]).text_into(&mut buf), Some("ab01"));
    /// assert_eq!(Digest::new(&[0; 65]).text_into(&mut buf), None);
    /// ```
    #[inline]
    pub fn text_into<'o>(&self, out: &'o mut [u8]) -> Option<&'o str> {
        hex::encode(self.0, out)
    }
}

impl fmt::Display for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = [0u8; 64]; // a digest of any length, a 32-byte block at a time
        for block in self.0.chunks(32) {
            f.write_str(hex::encode(block, &mut text).ok_or(fmt::Error)?)?;
        }
        Ok(())
    }
}

impl fmt::LowerHex for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Debug for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({self})")
    }
}

/// One certificate-hash entry of a parsed message, borrowing its digest from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CertHashView<'a> {
    algorithm: HashAlgorithm,
    digest: &'a [u8],
}

impl<'a> CertHashView<'a> {
    /// Only the parser makes these, so the digest always matches the algorithm.
    #[inline]
    pub(crate) const fn new(algorithm: HashAlgorithm, digest: &'a [u8]) -> Self {
        CertHashView { algorithm, digest }
    }

    /// The hash algorithm.
    #[inline]
    pub const fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// The digest, borrowed from the message.
    #[inline]
    pub const fn digest(&self) -> Digest<'a> {
        Digest(self.digest)
    }
}

/// An owned certificate hash, as [`Hello`](crate::Hello) holds it.
///
/// ```
/// use amt_hello::{CertHash, HashAlgorithm};
/// let hash = CertHash::new(HashAlgorithm::Sha1, &[0x5a; 20])?;
/// assert_eq!(hash.digest().as_bytes().len(), 20);
/// assert!(CertHash::new(HashAlgorithm::Sha256, &[0x5a; 20]).is_err());
/// # Ok::<(), amt_hello::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CertHash {
    algorithm: HashAlgorithm,
    // A fixed array and a length; the unused tail stays zero, so equal hashes compare equal.
    len: u8,
    bytes: [u8; HashAlgorithm::MAX_DIGEST_LEN],
}

impl CertHash {
    /// A hash whose digest length matches its algorithm (at most
    /// [`HashAlgorithm::MAX_DIGEST_LEN`] bytes for an unknown one). `Unknown(1..=3)` is refused:
    /// those codes are known, and would decode as another value.
    #[inline]
    pub fn new(algorithm: HashAlgorithm, digest: &[u8]) -> Result<Self, ParseError> {
        let found = digest.len();
        let len = u8::try_from(found).ok();
        // A code the crate does not know decodes as `Unknown` at any length, so an `Unknown`
        // that does not come back as itself names a known code.
        if len.and_then(|len| HashAlgorithm::from_wire(algorithm.to_wire(), len)) != Some(algorithm)
        {
            return Err(match algorithm {
                HashAlgorithm::Unknown(code) if len.is_some() => {
                    ParseError::KnownAlgorithmCode { code }
                }
                _ => ParseError::Length {
                    expected: algorithm
                        .digest_len()
                        .unwrap_or(HashAlgorithm::MAX_DIGEST_LEN),
                    found,
                },
            });
        }
        CertHash::try_from(CertHashView::new(algorithm, digest))
    }

    /// A placeholder to `copy` into, so that a list can fill hashes where they are stored.
    pub(crate) const EMPTY: CertHash = CertHash {
        algorithm: HashAlgorithm::Unknown(0),
        len: 0,
        bytes: [0; HashAlgorithm::MAX_DIGEST_LEN],
    };

    /// Makes this hash a copy of a valid entry, in place: the one way a hash is filled. Fails,
    /// leaving it unchanged, only for a digest longer than a hash holds. Bytes of a longer digest
    /// before are cleared, so equal hashes stay equal byte for byte.
    #[inline]
    pub(crate) fn copy(&mut self, entry: CertHashView<'_>) -> Result<(), ParseError> {
        let too_long = ParseError::Length {
            expected: HashAlgorithm::MAX_DIGEST_LEN,
            found: entry.digest.len(),
        };
        let (used, tail) = self
            .bytes
            .split_at_mut_checked(entry.digest.len())
            .ok_or(too_long)?;
        let len = u8::try_from(used.len()).map_err(|_| too_long)?;
        used.copy_from_slice(entry.digest);
        let stale = usize::from(self.len.saturating_sub(len));
        tail.iter_mut().take(stale).for_each(|b| *b = 0);
        self.algorithm = entry.algorithm;
        self.len = len;
        Ok(())
    }

    /// The hash algorithm.
    #[inline]
    pub const fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// The digest.
    #[inline]
    pub fn digest(&self) -> Digest<'_> {
        self.as_view().digest()
    }

    /// This hash as a borrowed entry, the form [`HelloView::cert_hashes`](crate::HelloView::cert_hashes) yields.
    #[inline]
    pub fn as_view(&self) -> CertHashView<'_> {
        let digest = self.bytes.get(..usize::from(self.len));
        CertHashView::new(self.algorithm, digest.unwrap_or(&self.bytes))
    }

    /// Bytes this entry takes on the wire: code, length, digest.
    #[inline]
    pub(crate) fn encoded_len(&self) -> usize {
        usize::from(self.len).saturating_add(ENTRY_OVERHEAD)
    }
}

/// The owned copy of a parsed entry, which the parser validated. Fails only for a digest longer
/// than an owned hash holds (an unknown algorithm's, accepted leniently).
impl TryFrom<CertHashView<'_>> for CertHash {
    type Error = ParseError;

    #[inline]
    fn try_from(entry: CertHashView<'_>) -> Result<Self, ParseError> {
        let mut hash = CertHash::EMPTY;
        hash.copy(entry)?;
        Ok(hash)
    }
}

impl PartialEq<CertHashView<'_>> for CertHash {
    #[inline]
    fn eq(&self, other: &CertHashView<'_>) -> bool {
        self.as_view() == *other
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::format;

    #[test]
    fn digests_print_as_lowercase_hex_everywhere() {
        let digest = Digest::new(&[0xab, 0x01, 0xff]);
        assert_eq!(format!("{digest}"), "ab01ff");
        assert_eq!(format!("{digest:x}"), "ab01ff");
        assert_eq!(format!("{digest:?}"), "Digest(ab01ff)");
        let mut buf = [0u8; 6];
        assert_eq!(digest.text_into(&mut buf), Some("ab01ff"));
        assert_eq!(digest.text_into(&mut buf[..5]), None);
        // Longer than `Display`'s stack block.
        assert_eq!(format!("{}", Digest::new(&[0xa5; 100])), "a5".repeat(100));
        let hash = CertHash::new(HashAlgorithm::Sha1, &[0x5a; 20]).unwrap();
        assert_eq!(hash, hash.as_view());
        let other = CertHash::new(HashAlgorithm::Sha1, &[0x5b; 20]).unwrap();
        assert!(hash != other.as_view());
    }

    #[test]
    fn owned_hash_checks_length() {
        assert!(CertHash::new(HashAlgorithm::Sha384, &[0; 48]).is_ok());
        assert_eq!(
            CertHash::new(HashAlgorithm::Sha384, &[0; 64]),
            Err(ParseError::Length {
                expected: 48,
                found: 64
            })
        );
        assert!(CertHash::new(HashAlgorithm::Unknown(7), &[0; 64]).is_ok());
        assert_eq!(
            CertHash::new(HashAlgorithm::Unknown(7), &[0; 65]),
            Err(ParseError::Length {
                expected: 64,
                found: 65
            })
        );
        assert_eq!(
            CertHash::new(HashAlgorithm::Unknown(2), &[0; 32]),
            Err(ParseError::KnownAlgorithmCode { code: 2 })
        );
    }

    #[test]
    fn a_parsed_entry_converts_when_an_owned_hash_holds_it() {
        let digest = [0x5a; 100];
        let long = CertHashView::new(HashAlgorithm::Unknown(9), &digest);
        assert_eq!(
            CertHash::try_from(long),
            Err(ParseError::Length {
                expected: 64,
                found: 100
            })
        );
        let fits = CertHashView::new(HashAlgorithm::Unknown(9), &digest[..64]);
        assert_eq!(CertHash::try_from(fits).unwrap(), fits);
        let sha1 = CertHashView::new(HashAlgorithm::Sha1, &digest[..20]);
        assert_eq!(CertHash::try_from(sha1).unwrap().encoded_len(), 22);
    }
}
