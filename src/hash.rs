//! Certificate hashes of a PKI Hello: the algorithm table, digests and their hex text.
//!
//! | code | algorithm | digest length |
//! |---:|---|---:|
//! | 1 | SHA-1 | 20 |
//! | 2 | SHA-256 | 32 |
//! | 3 | SHA-384 | 48 |
//! | 3 | SHA-512 (AMT 2.0–5.x numbered it 3 too; the length tells them apart) | 64 |
//! | 0, ≥ 4 | unknown: accepted only by [`Policy::Lenient`](crate::Policy) | any |

use core::fmt;
use core::str::FromStr;

use crate::error::ParseError;
use crate::hex;

/// A hash algorithm, identified on the wire by an algorithm code and the digest length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum HashAlgorithm {
    /// Code 1, 20-byte digest.
    Sha1,
    /// Code 2, 32-byte digest.
    Sha256,
    /// Code 3, 48-byte digest.
    Sha384,
    /// Code 3 with a 64-byte digest (AMT 2.0–5.x firmware).
    Sha512,
    /// A code this crate does not know (0 or ≥ 4), accepted under the lenient policy.
    Unknown(u8),
}

impl HashAlgorithm {
    /// The shortest digest of a known algorithm (SHA-1).
    pub const MIN_DIGEST_LEN: usize = 20;

    /// The algorithm named by an entry's code and length; `None` when a known code comes with a
    /// length it does not allow. Unknown codes give [`HashAlgorithm::Unknown`] whatever the length.
    #[inline]
    pub const fn from_wire(code: u8, len: u8) -> Option<Self> {
        match (code, len) {
            (1, 20) => Some(HashAlgorithm::Sha1),
            (2, 32) => Some(HashAlgorithm::Sha256),
            (3, 48) => Some(HashAlgorithm::Sha384),
            (3, 64) => Some(HashAlgorithm::Sha512),
            (1..=3, _) => None,
            _ => Some(HashAlgorithm::Unknown(code)),
        }
    }

    /// The digest lengths a code allows (empty for unknown codes, which allow any).
    #[inline]
    pub const fn lengths_for_code(code: u8) -> &'static [u8] {
        match code {
            1 => &[20],
            2 => &[32],
            3 => &[48, 64],
            _ => &[],
        }
    }

    /// The algorithm code sent on the wire.
    #[inline]
    pub const fn code(self) -> u8 {
        match self {
            HashAlgorithm::Sha1 => 1,
            HashAlgorithm::Sha256 => 2,
            HashAlgorithm::Sha384 | HashAlgorithm::Sha512 => 3,
            HashAlgorithm::Unknown(code) => code,
        }
    }

    /// The digest length, for known algorithms.
    #[inline]
    pub const fn digest_len(self) -> Option<usize> {
        match self {
            HashAlgorithm::Sha1 => Some(20),
            HashAlgorithm::Sha256 => Some(32),
            HashAlgorithm::Sha384 => Some(48),
            HashAlgorithm::Sha512 => Some(64),
            HashAlgorithm::Unknown(_) => None,
        }
    }

    /// Whether this is one of the documented algorithms.
    #[inline]
    pub const fn is_known(self) -> bool {
        !matches!(self, HashAlgorithm::Unknown(_))
    }

    /// `sha1`, `sha256`, `sha384`, `sha512`, or `unknown`.
    #[inline]
    pub const fn name(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "sha1",
            HashAlgorithm::Sha256 => "sha256",
            HashAlgorithm::Sha384 => "sha384",
            HashAlgorithm::Sha512 => "sha512",
            HashAlgorithm::Unknown(_) => "unknown",
        }
    }
}

impl fmt::Display for HashAlgorithm {
    /// The name; an unknown code is shown as `unknown(CODE)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HashAlgorithm::Unknown(code) => write!(f, "unknown({code})"),
            known => f.pad(known.name()),
        }
    }
}

impl FromStr for HashAlgorithm {
    type Err = ParseError;

    /// Parses `sha1`, `sha256`, `sha384` or `sha512`, either case.
    fn from_str(s: &str) -> Result<Self, ParseError> {
        [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ]
        .into_iter()
        .find(|a| a.name().eq_ignore_ascii_case(s))
        .ok_or(ParseError::UnknownAlgorithmName)
    }
}

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
}

impl fmt::Display for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        hex::write(f, self.0)
    }
}

impl fmt::LowerHex for Digest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        hex::write(f, self.0)
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
    // A fixed array and a length, copied with one memcpy: the owned Hello holds dozens of these.
    len: u8,
    bytes: [u8; CertHash::MAX_DIGEST_LEN],
}

impl CertHash {
    /// The longest digest an owned hash holds: SHA-512's. Only an unknown algorithm, accepted
    /// leniently, can have a longer one; decoding it into a [`Hello`](crate::Hello) is then an error.
    pub const MAX_DIGEST_LEN: usize = 64;

    /// A hash whose digest length matches its algorithm (at most 64 bytes for an unknown one).
    /// `Unknown(1..=3)` is refused: those codes are known, and would decode as another value.
    #[inline]
    pub fn new(algorithm: HashAlgorithm, digest: &[u8]) -> Result<Self, ParseError> {
        let mut hash = CertHash::EMPTY;
        hash.fill(algorithm, digest)?;
        Ok(hash)
    }

    /// A placeholder to fill with [`CertHash::fill`], so a hash can be built where it is stored
    /// instead of being built on the stack and moved there.
    pub(crate) const EMPTY: CertHash = CertHash {
        algorithm: HashAlgorithm::Unknown(0),
        len: 0,
        bytes: [0; CertHash::MAX_DIGEST_LEN],
    };

    /// Turns a [`CertHash::EMPTY`] into the hash `new` would make, in place; on error it is
    /// left unchanged. (The digest's unused tail stays zero, so equal hashes compare equal.)
    #[inline]
    pub(crate) fn fill(
        &mut self,
        algorithm: HashAlgorithm,
        digest: &[u8],
    ) -> Result<(), ParseError> {
        let expected = algorithm.digest_len().unwrap_or(CertHash::MAX_DIGEST_LEN);
        let wrong_length = ParseError::Length {
            expected,
            found: digest.len(),
        };
        let len = u8::try_from(digest.len()).map_err(|_| wrong_length)?;
        if HashAlgorithm::from_wire(algorithm.code(), len) != Some(algorithm) {
            return Err(match algorithm {
                HashAlgorithm::Unknown(code)
                    if !HashAlgorithm::lengths_for_code(code).is_empty() =>
                {
                    ParseError::KnownAlgorithmCode { code }
                }
                _ => wrong_length,
            });
        }
        let used = self.bytes.get_mut(..digest.len()).ok_or(wrong_length)?;
        used.copy_from_slice(digest);
        self.algorithm = algorithm;
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
        Digest(self.digest_bytes())
    }

    #[inline]
    fn digest_bytes(&self) -> &[u8] {
        self.bytes
            .get(..usize::from(self.len))
            .unwrap_or(&self.bytes)
    }

    /// This hash as a borrowed entry, the form [`HelloView::cert_hashes`](crate::HelloView::cert_hashes) yields.
    #[inline]
    pub fn as_view(&self) -> CertHashView<'_> {
        CertHashView {
            algorithm: self.algorithm,
            digest: self.digest_bytes(),
        }
    }

    /// Bytes this entry takes on the wire: code, length, digest.
    #[inline]
    pub(crate) fn encoded_len(&self) -> usize {
        usize::from(self.len).saturating_add(2)
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
    use std::string::ToString;

    #[test]
    fn wire_table() {
        assert_eq!(HashAlgorithm::from_wire(1, 20), Some(HashAlgorithm::Sha1));
        assert_eq!(HashAlgorithm::from_wire(3, 64), Some(HashAlgorithm::Sha512));
        assert_eq!(HashAlgorithm::from_wire(2, 20), None);
        assert_eq!(
            HashAlgorithm::from_wire(9, 0),
            Some(HashAlgorithm::Unknown(9))
        );
        for code in 0..=u8::MAX {
            for len in 0..=u8::MAX {
                if let Some(a) = HashAlgorithm::from_wire(code, len) {
                    assert_eq!(a.code(), code);
                    assert!(a.digest_len().is_none_or(|l| l == usize::from(len)));
                } else {
                    assert!(!HashAlgorithm::lengths_for_code(code).contains(&len));
                }
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for a in [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha384,
            HashAlgorithm::Sha512,
        ] {
            assert_eq!(a.to_string().parse::<HashAlgorithm>(), Ok(a));
        }
        assert_eq!("SHA256".parse::<HashAlgorithm>(), Ok(HashAlgorithm::Sha256));
        assert_eq!(
            "md5".parse::<HashAlgorithm>(),
            Err(ParseError::UnknownAlgorithmName)
        );
        assert_eq!(HashAlgorithm::Unknown(9).to_string(), "unknown(9)");
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
    fn long_digest_text() {
        let bytes = [0xa5u8; 100];
        let mut text = heapless::String::<200>::new();
        core::fmt::write(&mut text, format_args!("{}", Digest::new(&bytes))).unwrap();
        assert_eq!(text.len(), 200);
        assert!(text.bytes().all(|c| c == b'a' || c == b'5'));
    }
}
