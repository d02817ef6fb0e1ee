//! The provisioning decision: which of the SCA's root certificates a device trusts.
//!
//! A PKI Hello lists fingerprints of the roots the device trusts. An SCA holds its own roots as
//! fingerprints ([`RootFingerprints`]): precomputed [`CertHash`]es from its configuration, or,
//! with the `fingerprint` feature, `Fingerprints` computed from a certificate's DER bytes
//! under every algorithm a Hello can carry.
//!
//! # The rule
//!
//! [`HelloView::trusted_root`](crate::HelloView::trusted_root) (and the same on
//! [`Hello`](crate::Hello)) takes the SCA's roots **in the SCA's order of preference** and
//! returns the first root the device trusts. Within that root, when the device lists it under
//! several algorithms, the strongest (longest digest: SHA-512, SHA-384, SHA-256, SHA-1) names
//! the entry; when it lists it twice under the same one, the first entry does. Unknown
//! algorithms never match. SHA-384 and SHA-512 entries match like any other.

use crate::algorithm::HashAlgorithm;
use crate::hash::{CertHash, CertHashView};

/// A root certificate as the SCA knows it: its fingerprint under some algorithms.
pub trait RootFingerprints {
    /// The root's fingerprint under `algorithm`, if known.
    fn fingerprint(&self, algorithm: HashAlgorithm) -> Option<&[u8]>;
}

/// A single precomputed fingerprint (from a configuration file, say).
impl RootFingerprints for CertHash {
    fn fingerprint(&self, algorithm: HashAlgorithm) -> Option<&[u8]> {
        (self.algorithm() == algorithm).then(|| self.digest().as_bytes())
    }
}

/// Several precomputed fingerprints of the same root; the first under each algorithm counts.
impl RootFingerprints for [CertHash] {
    fn fingerprint(&self, algorithm: HashAlgorithm) -> Option<&[u8]> {
        self.iter().find_map(|hash| hash.fingerprint(algorithm))
    }
}

impl<R: RootFingerprints + ?Sized> RootFingerprints for &R {
    fn fingerprint(&self, algorithm: HashAlgorithm) -> Option<&[u8]> {
        (**self).fingerprint(algorithm)
    }
}

/// Where a device trusts one of the SCA's roots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RootMatch {
    /// Index of the root in the SCA's list.
    pub root: usize,
    /// Index of the matching entry in the device's list (its slot order).
    pub entry: usize,
    /// The entry's algorithm.
    pub algorithm: HashAlgorithm,
}

impl CertHashView<'_> {
    /// Whether this entry is `root`'s fingerprint under the entry's own algorithm. Entries of
    /// unknown algorithms never match.
    pub fn is_fingerprint_of<R: RootFingerprints + ?Sized>(&self, root: &R) -> bool {
        self.algorithm().is_known()
            && root.fingerprint(self.algorithm()) == Some(self.digest().as_bytes())
    }
}

/// The first of `roots` that one of `entries` names, by the module's rule.
pub(crate) fn trusted_root<'a, R: RootFingerprints>(
    entries: impl Iterator<Item = CertHashView<'a>> + Clone,
    roots: &[R],
) -> Option<RootMatch> {
    roots.iter().enumerate().find_map(|(root, fingerprints)| {
        // The first of the entries naming the root under its strongest (longest) digest.
        let (entry, hash) = entries
            .clone()
            .enumerate()
            .filter(|(_, hash)| hash.is_fingerprint_of(fingerprints))
            .min_by_key(|(_, hash)| core::cmp::Reverse(hash.algorithm().digest_len()))?;
        Some(RootMatch {
            root,
            entry,
            algorithm: hash.algorithm(),
        })
    })
}

#[cfg(feature = "fingerprint")]
pub use computed::Fingerprints;

#[cfg(feature = "fingerprint")]
mod computed {
    use sha1::Sha1;
    use sha2::{Digest as _, Sha256, Sha384, Sha512};

    use super::RootFingerprints;
    use crate::algorithm::HashAlgorithm;

    /// A certificate's fingerprints under every algorithm a Hello can carry, computed from its
    /// DER bytes (feature `fingerprint`; `no_std`, no allocation).
    ///
    /// ```
    /// use amt_hello::trust::{Fingerprints, RootFingerprints};
    /// use amt_hello::HashAlgorithm;
    /// let fp = Fingerprints::of_der(b"not really DER, but any bytes hash");
    /// assert_eq!(fp.fingerprint(HashAlgorithm::Sha384).map(<[u8]>::len), Some(48));
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    pub struct Fingerprints {
        sha1: [u8; 20],
        sha256: [u8; 32],
        sha384: [u8; 48],
        sha512: [u8; 64],
    }

    impl Fingerprints {
        /// The fingerprints of the certificate whose DER encoding is `der`.
        pub fn of_der(der: &[u8]) -> Self {
            Fingerprints {
                sha1: Sha1::digest(der).into(),
                sha256: Sha256::digest(der).into(),
                sha384: Sha384::digest(der).into(),
                sha512: Sha512::digest(der).into(),
            }
        }
    }

    impl RootFingerprints for Fingerprints {
        fn fingerprint(&self, algorithm: HashAlgorithm) -> Option<&[u8]> {
            match algorithm {
                HashAlgorithm::Sha1 => Some(&self.sha1),
                HashAlgorithm::Sha256 => Some(&self.sha256),
                HashAlgorithm::Sha384 => Some(&self.sha384),
                HashAlgorithm::Sha512 => Some(&self.sha512),
                HashAlgorithm::Unknown(_) => None,
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn hash(algorithm: HashAlgorithm, byte: u8) -> CertHash {
        CertHash::new(
            algorithm,
            &[byte; 64][..algorithm.digest_len().unwrap_or(0)],
        )
        .unwrap()
    }

    #[test]
    fn precomputed_roots_match_and_unknown_algorithms_never_do() {
        // The preference and strength rule is checked on real roots in tests/trust.rs; this is
        // the precomputed form: a list of one root's hashes, the first under each algorithm.
        use HashAlgorithm::*;
        let root = [hash(Sha1, 0xa), hash(Sha384, 0xa), hash(Sha384, 0xb)];
        let device = [hash(Sha256, 0xa), hash(Sha384, 0xa), hash(Sha1, 0xa)];
        let roots: [&[CertHash]; 1] = [&root];
        let found = trusted_root(device.iter().map(CertHash::as_view), &roots);
        let expected = RootMatch {
            root: 0,
            entry: 1,
            algorithm: Sha384,
        };
        assert_eq!(found, Some(expected));
        let unknown = CertHash::new(Unknown(9), &[1; 20]).unwrap();
        assert!(!unknown.as_view().is_fingerprint_of(&unknown));
        let sha1 = hash(Sha1, 1);
        assert!(sha1.as_view().is_fingerprint_of(&sha1));
        assert!(!sha1.as_view().is_fingerprint_of(&hash(Sha1, 2)));
    }
}
