//! The hash-algorithm table of a PKI Hello's entries: one table, every fact read from it (the
//! [protocol page](crate::protocol) draws it for readers).

use core::fmt;
use core::str::FromStr;

use crate::text_error::ParseError;

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

/// One documented algorithm: what it is called and how it appears on the wire.
struct Known {
    algorithm: HashAlgorithm,
    code: u8,
    len: u8,
    name: &'static str,
}

/// The documented algorithms, ordered by code. Every other fact in this module is read from it.
#[rustfmt::skip]
const TABLE: [Known; 4] = [
    Known { algorithm: HashAlgorithm::Sha1, code: 1, len: 20, name: "sha1" },
    Known { algorithm: HashAlgorithm::Sha256, code: 2, len: 32, name: "sha256" },
    Known { algorithm: HashAlgorithm::Sha384, code: 3, len: 48, name: "sha384" },
    Known { algorithm: HashAlgorithm::Sha512, code: 3, len: 64, name: "sha512" },
];

/// The algorithms and the digest lengths of [`TABLE`], each in its order: a code's lengths are
/// one sub-slice of [`LENGTHS`].
#[allow(clippy::indexing_slicing)] // evaluated at compile time: out of bounds fails the build
const COLUMNS: ([HashAlgorithm; TABLE.len()], [u8; TABLE.len()]) = {
    let mut columns = ([HashAlgorithm::Unknown(0); TABLE.len()], [0; TABLE.len()]);
    let mut i = 0;
    while i < TABLE.len() {
        columns.0[i] = TABLE[i].algorithm;
        columns.1[i] = TABLE[i].len;
        i += 1;
    }
    columns
};
const LENGTHS: [u8; TABLE.len()] = COLUMNS.1;

/// The longest (or the shortest) digest length in [`LENGTHS`].
const fn digest_len_bound(longest: bool) -> usize {
    let (mut bound, mut rest): (u8, &[u8]) = (if longest { 0 } else { u8::MAX }, &LENGTHS);
    while let [len, tail @ ..] = rest {
        if (*len > bound) == longest {
            bound = *len;
        }
        rest = tail;
    }
    bound as usize
}

impl HashAlgorithm {
    /// The documented algorithms, in code order.
    pub const KNOWN: [HashAlgorithm; TABLE.len()] = COLUMNS.0;

    /// The shortest digest of a known algorithm (SHA-1's).
    pub const MIN_DIGEST_LEN: usize = digest_len_bound(false);

    /// The longest digest of a known algorithm (SHA-512's).
    pub const MAX_DIGEST_LEN: usize = digest_len_bound(true);

    /// The algorithm named by an entry's code and length; `None` when a known code comes with a
    /// length it does not allow. Unknown codes give [`HashAlgorithm::Unknown`] whatever the length.
    ///
    /// ```
    /// use amt_hello::HashAlgorithm;
    /// assert_eq!(HashAlgorithm::from_wire(3, 64), Some(HashAlgorithm::Sha512));
    /// assert_eq!(HashAlgorithm::from_wire(2, 20), None);
    /// assert_eq!(HashAlgorithm::from_wire(9, 7), Some(HashAlgorithm::Unknown(9)));
    /// assert_eq!(HashAlgorithm::Sha512.to_wire(), 3);
    /// ```
    #[inline]
    pub const fn from_wire(code: u8, len: u8) -> Option<Self> {
        let mut unmatched = Some(HashAlgorithm::Unknown(code));
        let mut rest: &[Known] = &TABLE;
        while let [entry, tail @ ..] = rest {
            if entry.code == code {
                if entry.len == len {
                    return Some(entry.algorithm);
                }
                unmatched = None; // a known code names an algorithm only with its own lengths
            }
            rest = tail;
        }
        unmatched
    }

    /// The algorithm code sent on the wire.
    #[inline]
    pub const fn to_wire(self) -> u8 {
        match (self, self.known()) {
            (HashAlgorithm::Unknown(code), _) => code,
            (_, Some(known)) => known.code,
            (_, None) => 0, // every other variant has a row
        }
    }

    /// The digest lengths a code allows (empty for unknown codes, which allow any).
    #[inline]
    pub const fn lengths_for_code(code: u8) -> &'static [u8] {
        // TABLE is ordered by code: find the run of entries with this code.
        let (mut start, mut count) = (0usize, 0usize);
        let mut rest: &[Known] = &TABLE;
        while let [entry, tail @ ..] = rest {
            if entry.code < code {
                start = usize::saturating_add(start, 1);
            } else if entry.code == code {
                count = usize::saturating_add(count, 1);
            }
            rest = tail;
        }
        if let Some((_, from)) = LENGTHS.split_at_checked(start) {
            if let Some((lengths, _)) = from.split_at_checked(count) {
                return lengths;
            }
        }
        &[]
    }

    /// The digest length, for known algorithms.
    #[inline]
    pub const fn digest_len(self) -> Option<usize> {
        match self.known() {
            Some(known) => Some(known.len as usize),
            None => None,
        }
    }

    /// Whether this is one of the documented algorithms.
    #[inline]
    pub const fn is_known(self) -> bool {
        self.known().is_some()
    }

    /// `sha1`, `sha256`, `sha384`, `sha512`, or `unknown`.
    #[inline]
    pub const fn name(self) -> &'static str {
        match self.known() {
            Some(known) => known.name,
            None => "unknown",
        }
    }

    /// This algorithm's row of [`TABLE`].
    #[inline]
    const fn known(self) -> Option<&'static Known> {
        use HashAlgorithm::*;
        let mut rest: &'static [Known] = &TABLE;
        while let [entry, tail @ ..] = rest {
            // `==` for the known variants (`PartialEq` is not usable in a `const fn`).
            if matches!(
                (entry.algorithm, self),
                (Sha1, Sha1) | (Sha256, Sha256) | (Sha384, Sha384) | (Sha512, Sha512)
            ) {
                return Some(entry);
            }
            rest = tail;
        }
        None
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

    /// Parses `sha1`, `sha256`, `sha384` or `sha512`, either case, and the `unknown(CODE)`
    /// that `Display` writes for a code the crate does not know (0 or ≥ 4).
    fn from_str(s: &str) -> Result<Self, ParseError> {
        if let Some(code) = s.strip_prefix("unknown(").and_then(|r| r.strip_suffix(')')) {
            let code: u8 = code.parse().map_err(|_| ParseError::UnknownAlgorithmName)?;
            return match HashAlgorithm::lengths_for_code(code) {
                [] => Ok(HashAlgorithm::Unknown(code)),
                _ => Err(ParseError::KnownAlgorithmCode { code }),
            };
        }
        TABLE
            .iter()
            .find(|known| known.name.eq_ignore_ascii_case(s))
            .map(|known| known.algorithm)
            .ok_or(ParseError::UnknownAlgorithmName)
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
        // Every pair natively; under Miri (a thousand times slower) the edges of each length.
        let lengths: std::vec::Vec<u8> = if cfg!(miri) {
            std::vec![0, 1, 19, 20, 21, 31, 32, 33, 47, 48, 49, 63, 64, 65, 255]
        } else {
            (0..=u8::MAX).collect()
        };
        for code in 0..=u8::MAX {
            for &len in &lengths {
                if let Some(a) = HashAlgorithm::from_wire(code, len) {
                    assert_eq!(a.to_wire(), code);
                    assert!(a.digest_len().is_none_or(|l| l == usize::from(len)));
                } else {
                    assert!(!HashAlgorithm::lengths_for_code(code).contains(&len));
                }
            }
        }
    }

    #[test]
    fn known_means_documented() {
        assert!(HashAlgorithm::KNOWN.iter().all(|a| a.is_known()));
        assert!(!HashAlgorithm::Unknown(0).is_known() && !HashAlgorithm::Unknown(9).is_known());
        assert_eq!(
            (HashAlgorithm::MIN_DIGEST_LEN, HashAlgorithm::MAX_DIGEST_LEN),
            (20, 64)
        );
        assert_eq!(HashAlgorithm::lengths_for_code(3), &[48, 64]);
        assert_eq!(HashAlgorithm::lengths_for_code(1), &[20]);
        assert!(
            HashAlgorithm::lengths_for_code(0).is_empty()
                && HashAlgorithm::lengths_for_code(4).is_empty()
        );
        assert_eq!(HashAlgorithm::Unknown(9).name(), "unknown");
        assert_eq!(std::format!("{:>8}", HashAlgorithm::Sha1), "    sha1");
    }

    #[test]
    fn names_round_trip() {
        for a in HashAlgorithm::KNOWN {
            assert_eq!(a.to_string().parse::<HashAlgorithm>(), Ok(a));
        }
        assert_eq!("SHA256".parse::<HashAlgorithm>(), Ok(HashAlgorithm::Sha256));
        assert_eq!(
            "md5".parse::<HashAlgorithm>(),
            Err(ParseError::UnknownAlgorithmName)
        );
        assert_eq!(HashAlgorithm::Unknown(9).to_string(), "unknown(9)");
        assert_eq!("unknown(9)".parse(), Ok(HashAlgorithm::Unknown(9)));
        assert_eq!(
            "unknown(3)".parse::<HashAlgorithm>(),
            Err(ParseError::KnownAlgorithmCode { code: 3 })
        );
        for bad in ["unknown(256)", "unknown(9", "unknown()", "sha3"] {
            assert_eq!(
                bad.parse::<HashAlgorithm>(),
                Err(ParseError::UnknownAlgorithmName)
            );
        }
    }
}
