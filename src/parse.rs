//! The validator: the one place a message's bytes are checked, field by field in byte order.
//!
//! Everything after it (the view's accessors, the owned copy, framing) trusts what it found.
//! See the [protocol page](crate::protocol#validation) for the rules.

use crate::algorithm::HashAlgorithm;
use crate::error::{DecodeError, Needed};
use crate::header::{AdminCredentials, Header, InterfaceVersion};
use crate::layout::{
    ADMIN_CREDENTIALS_OFFSET, ENTRY_OVERHEAD, HEADER_LEN, PKI_MIN_LEN, PSK_LEN, RETRY_COUNT_OFFSET,
    VERSION_OFFSET,
};
use crate::pid::Pid;
use crate::policy::Policy;
use crate::reader::Reader;

/// What the validator found, which the view keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Parsed<'a> {
    /// The whole message, exactly.
    pub(crate) message: &'a [u8],
    pub(crate) header: Header<'a>,
    /// The digest length every entry shares, when they all have one code and length: the hashes
    /// are then at a fixed stride and no walk has to follow the chain of length bytes.
    pub(crate) uniform_digest_len: Option<u8>,
}

/// Validates the Hello at the front of `bytes` and ignores whatever follows it. A short input
/// gives [`DecodeError::Truncated`] unless a field that is present is already invalid.
#[inline]
pub(crate) fn read_prefix(bytes: &[u8], policy: Policy) -> Result<Parsed<'_>, DecodeError> {
    let mut r = Reader::new(bytes);
    let header = read_header(&mut r, policy)?;
    let uniform_digest_len = match header.version {
        InterfaceVersion::Psk => {
            read_pid(&mut r, policy)?;
            None
        }
        InterfaceVersion::Pki => read_cert_hashes(&mut r, policy)?,
    };
    Ok(Parsed {
        message: r.consumed(),
        header,
        uniform_digest_len,
    })
}

/// Reads and validates the header, so that an invalid field in a short prefix is reported
/// before the truncation that follows it.
#[inline]
fn read_header<'a>(r: &mut Reader<'a>, policy: Policy) -> Result<Header<'a>, DecodeError> {
    let short = |r: &Reader<'_>, at_least| r.truncated(Needed::AtLeast(at_least));
    // Read the checked fields from a copy; the header is then taken whole, as the view keeps it.
    let mut fields = r.clone();

    let word = fields.u16().ok_or_else(|| short(&fields, HEADER_LEN))?;
    let admin_credentials =
        AdminCredentials::from_wire(word).ok_or(DecodeError::InvalidAdminCredentials {
            offset: ADMIN_CREDENTIALS_OFFSET,
            found: word,
        })?;

    let number = fields.u16().ok_or_else(|| short(&fields, HEADER_LEN))?;
    let version = InterfaceVersion::from_wire(number).ok_or(DecodeError::UnsupportedVersion {
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

/// The PID, checking the bytes that are present before reporting that some are missing, so
/// that an invalid byte in a short prefix is named (errors come in byte order).
#[inline]
fn read_pid(r: &mut Reader<'_>, policy: Policy) -> Result<(), DecodeError> {
    let present = r.rest().get(..Pid::LEN).unwrap_or(r.rest());
    if let Some(i) = present.iter().position(|&b| !policy.accepts_pid_byte(b)) {
        return Err(DecodeError::InvalidPid {
            offset: r.offset().saturating_add(i),
            found: present.get(i).copied().unwrap_or_default(),
        });
    }
    r.array::<{ Pid::LEN }>()
        .map(|_| ())
        .ok_or_else(|| r.truncated(Needed::Exactly(PSK_LEN)))
}

/// The hash count and its entries, each checked for a known code and a matching length;
/// returns the digest length they all share, when they have one code and length.
#[inline]
fn read_cert_hashes(r: &mut Reader<'_>, policy: Policy) -> Result<Option<u8>, DecodeError> {
    let count = r
        .u8()
        .ok_or_else(|| r.truncated(Needed::AtLeast(PKI_MIN_LEN)))?;
    if let Some((total, digest_len)) = uniform_entries(r.rest(), count, policy) {
        r.bytes(total);
        return Ok(Some(digest_len));
    }
    for left in (0..count).rev() {
        read_entry(r, policy, left)?;
    }
    Ok(None)
}

// The fast path for what real devices send: `count` entries all with the same valid code and
// length (e.g. 23 SHA-256 hashes), all present. Walking entry by entry is a chain of dependent
// loads (each length says where the next entry starts); at a fixed stride every check is
// independent. Returns the entries' total length and the digest length, or `None` to take the
// general walk, which gives the same answer and names any error.
#[inline]
fn uniform_entries(rest: &[u8], count: u8, policy: Policy) -> Option<(usize, u8)> {
    // With no entries, `rest` is what follows the message: it must not decide the answer.
    if count == 0 {
        return None;
    }
    let &[code, len, ..] = rest else { return None };
    HashAlgorithm::from_wire(code, len)?;
    check_code(0, code, policy).ok()?;
    let stride = usize::from(len).saturating_add(ENTRY_OVERHEAD);
    let entries = rest.get(..stride.saturating_mul(usize::from(count)))?;
    // Every entry must start with the first one's code and length. Checked without an early
    // exit, and each entry at its own offset, so the checks do not wait on each other.
    let same = (0..usize::from(count)).fold(true, |same, i| {
        let at = i.saturating_mul(stride);
        same & (entries.get(at..).and_then(<[u8]>::first_chunk) == Some(&[code, len]))
    });
    same.then_some((entries.len(), len))
}

/// One entry: algorithm code, digest length, digest. `left` entries follow it; a truncation
/// inside it needs at least the shortest entries the policy allows for them.
#[inline]
fn read_entry(r: &mut Reader<'_>, policy: Policy, left: u8) -> Result<(), DecodeError> {
    let min_entry = policy.min_entry_len();
    let at_least = |r: &Reader<'_>, this: usize| {
        let after = usize::from(left).saturating_mul(min_entry);
        Needed::AtLeast(r.offset().saturating_add(this).saturating_add(after))
    };

    let code = r.u8().ok_or_else(|| r.truncated(at_least(r, min_entry)))?;
    check_code(r.offset().saturating_sub(1), code, policy)?;

    let len = r
        .u8()
        .ok_or_else(|| r.truncated(at_least(r, min_entry.saturating_sub(1))))?;
    if HashAlgorithm::from_wire(code, len).is_none() {
        return Err(DecodeError::HashLengthMismatch {
            offset: r.offset().saturating_sub(1),
            code,
            found: len,
        });
    }

    let len = usize::from(len);
    r.bytes(len).ok_or_else(|| {
        let end = r.offset().saturating_add(len);
        r.truncated(if left == 0 {
            Needed::Exactly(end)
        } else {
            at_least(r, len)
        })
    })?;
    Ok(())
}

/// An unknown algorithm code is an error unless the policy accepts it.
#[inline]
fn check_code(offset: usize, code: u8, policy: Policy) -> Result<(), DecodeError> {
    let known = !HashAlgorithm::lengths_for_code(code).is_empty();
    if known || policy.accepts_unknown_algorithms() {
        Ok(())
    } else {
        Err(DecodeError::UnknownHashAlgorithm {
            offset,
            found: code,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub(crate) mod tests {
    use super::*;

    /// The length of the valid message at the front of `bytes`, or the error.
    fn parse(bytes: &[u8], policy: Policy) -> Result<usize, DecodeError> {
        read_prefix(bytes, policy).map(|parsed| parsed.message.len())
    }

    /// A PKI Hello with one all-zero SHA-1 entry.
    pub(crate) const PKI_SHA1: [u8; 47] = {
        let mut m = [0u8; 47];
        m[0] = 1;
        m[2] = 3;
        m[24] = 1; // one entry
        m[25] = 1; // SHA-1
        m[26] = 20;
        m
    };

    #[test]
    fn truncation_in_an_entry_bounds_the_total() {
        let mut two = [0u8; 69];
        two[..47].copy_from_slice(&PKI_SHA1);
        two[24] = 2;
        two[47] = 1;
        two[48] = 20;
        assert_eq!(parse(&two, Policy::Strict), Ok(69));
        // Cut inside the first digest: at least this entry plus a SHA-1 entry after it.
        assert_eq!(
            parse(&two[..30], Policy::Strict),
            Err(DecodeError::Truncated {
                offset: 27,
                len: 30,
                needed: Needed::AtLeast(69)
            })
        );
        // Lenient allows 2-byte entries, so the bound is lower.
        assert_eq!(
            parse(&two[..30], Policy::Lenient),
            Err(DecodeError::Truncated {
                offset: 27,
                len: 30,
                needed: Needed::AtLeast(49)
            })
        );
        // Cut inside the last digest: the total is known.
        assert_eq!(
            parse(&two[..50], Policy::Strict),
            Err(DecodeError::Truncated {
                offset: 49,
                len: 50,
                needed: Needed::Exactly(69)
            })
        );
    }

    #[test]
    fn errors_come_in_byte_order() {
        // Bad PID byte at 25 in a 27-byte prefix: the PID error wins over the truncation.
        let mut m = [0u8; 27];
        m[0] = 1;
        m[2] = 2;
        m[24] = b'A';
        m[25] = b'a';
        assert_eq!(
            parse(&m, Policy::Strict),
            Err(DecodeError::InvalidPid {
                offset: 25,
                found: b'a'
            })
        );
        // Bad credentials and bad version: credentials first.
        m[0] = 7;
        m[2] = 9;
        assert_eq!(
            parse(&m[..3], Policy::Strict),
            Err(DecodeError::InvalidAdminCredentials {
                offset: 0,
                found: 7
            })
        );
    }

    #[test]
    fn every_pid_with_invalid_bytes_is_refused_at_its_first() {
        // Every subset of the eight PID positions holding an invalid byte, in every count.
        let mut psk = [0u8; 32];
        psk[0] = 1;
        psk[2] = 2;
        for invalid in 0u16..256 {
            let mut m = psk;
            for (i, byte) in m[24..].iter_mut().enumerate() {
                *byte = if invalid & (1 << i) != 0 { b'a' } else { b'Q' };
            }
            let first = (0..8).find(|i| invalid & (1 << i) != 0);
            let expected = match first {
                None => Ok(32),
                Some(i) => Err(DecodeError::InvalidPid {
                    offset: 24 + i,
                    found: b'a',
                }),
            };
            assert_eq!(
                parse(&m, Policy::Strict),
                expected,
                "invalid positions {invalid:08b}"
            );
            assert_eq!(parse(&m, Policy::Lenient), Ok(32));
        }
    }

    #[test]
    fn unknown_codes_are_uniform_only_where_the_policy_accepts_them() {
        // Uniform and mixed lists of known codes: the view's `uniform_digest_len` test.
        let unknown = [9u8, 0, 9, 0];
        assert_eq!(uniform_entries(&unknown, 2, Policy::Strict), None);
        assert_eq!(uniform_entries(&unknown, 2, Policy::Lenient), Some((4, 0)));
    }
}
