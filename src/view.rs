//! The zero-copy view: validate a message once, then read any field without a check.

use crate::error::{DecodeError, Needed};
use crate::hash::{CertHashView, HashAlgorithm};
use crate::header::{HEADER_LEN, Header, PKI_MIN_LEN, PSK_LEN};
use crate::reader::Reader;
use crate::{AdminCredentials, InterfaceVersion, Pid, Policy, Uuid};

/// A validated Hello borrowed from the input bytes.
///
/// [`HelloView::parse`] checks everything once; after that no accessor can fail, and
/// [`cert_hashes`](HelloView::cert_hashes) yields digests that borrow the input.
///
/// ```
/// use amt_hello::{HelloView, InterfaceVersion};
/// // A PSK Hello: credentials set, version 2, retry 0, a UUID, PID "ABCD1234".
/// let bytes = [
///     0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
///     0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
///     b'A', b'B', b'C', b'D', b'1', b'2', b'3', b'4',
/// ];
/// let hello = HelloView::parse(&bytes)?;
/// assert_eq!(hello.version(), InterfaceVersion::Psk);
/// assert!(hello.admin_credentials().is_set());
/// assert_eq!(hello.uuid().to_string(), "33221100-5544-7766-8899-aabbccddeeff");
/// assert_eq!(hello.pid().map(|p| p.to_string()).as_deref(), Some("ABCD-1234"));
/// assert_eq!(hello.cert_hashes().count(), 0);
///
/// // One byte short: the error says where, and how long the message must be.
/// let err = HelloView::parse(&bytes[..31]).unwrap_err();
/// assert_eq!(err.to_string(), "truncated Hello: the field at byte 24 is incomplete; \
///                              the message needs exactly 32 bytes, 31 present");
/// # Ok::<(), amt_hello::DecodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HelloView<'a> {
    /// The whole message, exactly.
    message: &'a [u8],
    header: Header<'a>,
}

impl<'a> HelloView<'a> {
    /// Parses exactly one Hello under the strict policy; the input must end where it ends.
    ///
    /// ```
    /// use amt_hello::{DecodeError, HelloView};
    /// let pki = b"\x01\x00\x03\x00\x00\x00\x00\x00\
    ///             \xc9\x8b\x91\x35\x6d\x19\xea\x40\x97\x79\x88\x9d\x79\xb7\x53\xf0\
    ///             \x00"; // a PKI Hello with no hashes
    /// let hello = HelloView::parse(pki)?;
    /// assert_eq!(hello.uuid().to_string(), "35918bc9-196d-40ea-9779-889d79b753f0");
    /// assert_eq!(hello.cert_hashes().len(), 0);
    ///
    /// let mut extra = pki.to_vec();
    /// extra.push(0);
    /// assert_eq!(HelloView::parse(&extra), Err(DecodeError::TrailingBytes { offset: 25, extra: 1 }));
    /// # Ok::<(), DecodeError>(())
    /// ```
    #[inline]
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        HelloView::parse_with(bytes, Policy::Strict)
    }

    /// Parses exactly one Hello under `policy`; the input must end where it ends.
    #[inline]
    pub fn parse_with(bytes: &'a [u8], policy: Policy) -> Result<Self, DecodeError> {
        let view = HelloView::read_prefix(bytes, policy)?;
        match bytes.len().checked_sub(view.message.len()) {
            Some(0) | None => Ok(view),
            Some(extra) => Err(DecodeError::TrailingBytes {
                offset: view.message.len(),
                extra,
            }),
        }
    }

    /// Validates the Hello at the front of `bytes`, field by field in byte order, and ignores
    /// whatever follows it. A short input gives [`DecodeError::Truncated`] unless a field that
    /// is present is already invalid.
    #[inline]
    pub(crate) fn read_prefix(bytes: &'a [u8], policy: Policy) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let header = Header::read(&mut r, policy)?;
        match header.version {
            InterfaceVersion::Psk => read_pid(&mut r, policy)?,
            InterfaceVersion::Pki => read_cert_hashes(&mut r, policy)?,
        }
        Ok(HelloView {
            message: r.consumed(),
            header,
        })
    }

    /// The admin-credentials word: set, or a localized BIOS that needs new credentials.
    #[inline]
    pub const fn admin_credentials(&self) -> AdminCredentials {
        self.header.admin_credentials
    }

    /// The interface version: PSK (2) or PKI (3).
    #[inline]
    pub const fn version(&self) -> InterfaceVersion {
        self.header.version
    }

    /// The retry count: how many Hellos the device sent before this one (0–14 when strict).
    #[inline]
    pub fn retry_count(&self) -> u32 {
        self.header.retry_count()
    }

    /// The device UUID.
    #[inline]
    pub fn uuid(&self) -> Uuid {
        self.header.uuid()
    }

    /// What follows the header: the PID, or the hash count and entries (validated by `parse`).
    #[inline]
    fn body(&self) -> &'a [u8] {
        self.message.get(HEADER_LEN..).unwrap_or_default()
    }

    /// The PID of a PSK Hello; `None` for PKI.
    #[inline]
    pub fn pid(&self) -> Option<Pid> {
        match self.header.version {
            InterfaceVersion::Psk => self
                .body()
                .first_chunk()
                .map(|b| Pid::from_bytes_lenient(*b)),
            InterfaceVersion::Pki => None,
        }
    }

    /// The certificate hashes of a PKI Hello in the device's slot order; empty for PSK.
    #[inline]
    pub fn cert_hashes(&self) -> CertHashes<'a> {
        match (self.header.version, self.body()) {
            (InterfaceVersion::Pki, [count, entries @ ..]) => CertHashes {
                entries,
                left: *count,
            },
            _ => CertHashes {
                entries: &[],
                left: 0,
            },
        }
    }

    /// The message's length in bytes.
    #[inline]
    pub const fn encoded_len(&self) -> usize {
        self.message.len()
    }

    /// The message's bytes, exactly as received.
    #[inline]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.message
    }
}

/// The PID, checking the bytes that are present before reporting that some are missing, so
/// that an invalid byte in a short prefix is named (errors come in byte order).
#[inline]
fn read_pid(r: &mut Reader<'_>, policy: Policy) -> Result<(), DecodeError> {
    // Fast path: eight bytes, all acceptable (checked without an early exit, so it vectorises).
    if let Some(pid) = r.rest().first_chunk::<{ Pid::LEN }>() {
        if pid
            .iter()
            .fold(true, |ok, &byte| ok & policy.accepts_pid_byte(byte))
        {
            r.array::<{ Pid::LEN }>();
            return Ok(());
        }
    }
    let present = r.rest().get(..Pid::LEN).unwrap_or(r.rest());
    if let Some((i, &found)) = present
        .iter()
        .enumerate()
        .find(|&(_, &b)| !policy.accepts_pid_byte(b))
    {
        return Err(DecodeError::InvalidPid {
            offset: r.offset().saturating_add(i),
            found,
        });
    }
    Err(r.truncated(Needed::Exactly(PSK_LEN)))
}

/// The hash count and its entries, each checked for a known code and a matching length.
#[inline]
fn read_cert_hashes(r: &mut Reader<'_>, policy: Policy) -> Result<(), DecodeError> {
    let count = r
        .u8()
        .ok_or_else(|| r.truncated(Needed::AtLeast(PKI_MIN_LEN)))?;
    if let Some(len) = uniform_entries(r.rest(), count, policy) {
        r.bytes(len);
        return Ok(());
    }
    for left in (0..count).rev() {
        read_entry(r, policy, left)?;
    }
    Ok(())
}

/// The fast path for what real devices send: `count` entries all with the same valid code and
/// length (e.g. 23 SHA-256 hashes), all present. Walking entry by entry is a chain of dependent
/// loads (each length says where the next entry starts); at a fixed stride every check is
/// independent. Returns the entries' total length, or `None` to take the general walk, which
/// gives the same answer and names any error.
#[inline]
fn uniform_entries(rest: &[u8], count: u8, policy: Policy) -> Option<usize> {
    let &[code, len, ..] = rest else { return None };
    HashAlgorithm::from_wire(code, len)?;
    check_code(0, code, policy).ok()?;
    let stride = usize::from(len).saturating_add(2);
    let entries = rest.get(..stride.saturating_mul(usize::from(count)))?;
    let same = entries.chunks_exact(stride).fold(true, |same, entry| {
        same & (entry.first_chunk::<2>() == Some(&[code, len]))
    });
    same.then_some(entries.len())
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
            expected: HashAlgorithm::lengths_for_code(code),
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

/// The certificate hashes of a [`HelloView`], in slot order. Exact-size and fused.
#[derive(Debug, Clone)]
pub struct CertHashes<'a> {
    entries: &'a [u8],
    left: u8,
}

impl<'a> Iterator for CertHashes<'a> {
    type Item = CertHashView<'a>;

    #[inline]
    fn next(&mut self) -> Option<CertHashView<'a>> {
        let left = self.left.checked_sub(1)?;
        // The parser validated every entry, so these splits always succeed.
        let [code, len, rest @ ..] = self.entries else {
            return None;
        };
        let (digest, rest) = rest.split_at_checked(usize::from(*len))?;
        let algorithm = HashAlgorithm::from_wire(*code, *len)?;
        self.entries = rest;
        self.left = left;
        Some(CertHashView::new(algorithm, digest))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::from(self.left);
        (left, Some(left))
    }
}

impl ExactSizeIterator for CertHashes<'_> {}
impl core::iter::FusedIterator for CertHashes<'_> {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const PKI_SHA1: [u8; 47] = {
        let mut m = [0u8; 47];
        m[0] = 1;
        m[2] = 3;
        m[24] = 1; // one entry
        m[25] = 1; // SHA-1
        m[26] = 20;
        m
    };

    #[test]
    fn pki_view_walks_entries() {
        let view = HelloView::parse(&PKI_SHA1).unwrap();
        assert_eq!(view.pid(), None);
        let mut hashes = view.cert_hashes();
        assert_eq!(hashes.len(), 1);
        let hash = hashes.next().unwrap();
        assert_eq!(hash.algorithm(), HashAlgorithm::Sha1);
        assert_eq!(hash.digest().as_bytes(), &[0u8; 20]);
        assert_eq!(
            (hashes.next(), hashes.next(), hashes.len()),
            (None, None, 0)
        );
    }

    #[test]
    fn truncation_in_an_entry_bounds_the_total() {
        let mut two = [0u8; 69];
        two[..47].copy_from_slice(&PKI_SHA1);
        two[24] = 2;
        two[47] = 1;
        two[48] = 20;
        assert!(HelloView::parse(&two).is_ok());
        // Cut inside the first digest: at least this entry plus a SHA-1 entry after it.
        assert_eq!(
            HelloView::parse(&two[..30]),
            Err(DecodeError::Truncated {
                offset: 27,
                len: 30,
                needed: Needed::AtLeast(69)
            })
        );
        // Lenient allows 2-byte entries, so the bound is lower.
        assert_eq!(
            HelloView::parse_with(&two[..30], Policy::Lenient),
            Err(DecodeError::Truncated {
                offset: 27,
                len: 30,
                needed: Needed::AtLeast(49)
            })
        );
        // Cut inside the last digest: the total is known.
        assert_eq!(
            HelloView::parse(&two[..50]),
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
            HelloView::parse(&m),
            Err(DecodeError::InvalidPid {
                offset: 25,
                found: b'a'
            })
        );
        // Bad credentials and bad version: credentials first.
        m[0] = 7;
        m[2] = 9;
        assert_eq!(
            HelloView::parse(&m[..3]),
            Err(DecodeError::InvalidAdminCredentials {
                offset: 0,
                found: 7
            })
        );
    }
}
