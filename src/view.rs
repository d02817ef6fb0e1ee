//! The zero-copy view: validate a message once, then read any field without a check.

use crate::algorithm::HashAlgorithm;
use crate::error::DecodeError;
use crate::hash::CertHashView;
use crate::header::{AdminCredentials, InterfaceVersion};
use crate::layout::{ENTRY_OVERHEAD, HEADER_LEN};
use crate::parse::{self, Parsed};
use crate::pid::Pid;
use crate::policy::Policy;
use crate::trust::{self, RootFingerprints, RootMatch};
use crate::uuid::Uuid;

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
pub struct HelloView<'a>(Parsed<'a>);

impl<'a> HelloView<'a> {
    /// Parses exactly one Hello under the strict policy; the input must end where it ends.
    /// Zero-copy: the view borrows `bytes`, and parsing and walking 33 hashes take 224 bytes of
    /// stack on a Cortex-M3.
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
        match bytes.len().checked_sub(view.encoded_len()) {
            Some(0) | None => Ok(view),
            Some(extra) => Err(DecodeError::TrailingBytes {
                offset: view.encoded_len(),
                extra,
            }),
        }
    }

    /// Validates the Hello at the front of `bytes`; whatever follows it is not looked at.
    #[inline]
    pub(crate) fn read_prefix(bytes: &'a [u8], policy: Policy) -> Result<Self, DecodeError> {
        parse::read_prefix(bytes, policy).map(HelloView)
    }

    /// The admin-credentials word: set, or a localized BIOS that needs new credentials.
    #[inline]
    pub const fn admin_credentials(&self) -> AdminCredentials {
        self.0.header.admin_credentials
    }

    /// The interface version: PSK (2) or PKI (3).
    #[inline]
    pub const fn version(&self) -> InterfaceVersion {
        self.0.header.version
    }

    /// The retry count: how many Hellos the device sent before this one (0–14 when strict).
    #[inline]
    pub fn retry_count(&self) -> u32 {
        self.0.header.retry_count()
    }

    /// The device UUID.
    #[inline]
    pub fn uuid(&self) -> Uuid {
        self.0.header.uuid()
    }

    /// What follows the header: the PID, or the hash count and entries (validated by `parse`).
    #[inline]
    fn body(&self) -> &'a [u8] {
        self.0.message.get(HEADER_LEN..).unwrap_or_default()
    }

    /// The PID of a PSK Hello; `None` for PKI.
    #[inline]
    pub fn pid(&self) -> Option<Pid> {
        match (self.0.header.version, self.body().first_chunk()) {
            (InterfaceVersion::Psk, Some(pid)) => Some(Pid::from_bytes_lenient(*pid)),
            _ => None,
        }
    }

    /// The certificate hashes of a PKI Hello in the device's slot order; empty for PSK.
    #[inline]
    pub fn cert_hashes(&self) -> CertHashes<'a> {
        match (self.0.header.version, self.body()) {
            (InterfaceVersion::Pki, [count, entries @ ..]) => CertHashes {
                entries,
                left: *count,
                // All entries alike: name the algorithm once, not at every entry.
                uniform: self.0.uniform_digest_len.and_then(|len| {
                    let algorithm = HashAlgorithm::from_wire(*entries.first()?, len)?;
                    Some((algorithm, len))
                }),
            },
            _ => CertHashes {
                entries: &[],
                left: 0,
                uniform: None,
            },
        }
    }

    /// The certificate hash in slot `index` (0-based), if there is one. Constant time when all
    /// entries share one algorithm, as real devices send them.
    ///
    /// ```
    /// use amt_hello::{HashAlgorithm, HelloView};
    /// let mut pki = vec![1, 0, 3, 0, 0, 0, 0, 0];
    /// pki.extend([0u8; 16]); // UUID
    /// pki.push(2); // two entries
    /// pki.extend([2, 32]);
    /// pki.extend([0xaa; 32]);
    /// pki.extend([2, 32]);
    /// pki.extend([0xbb; 32]);
    /// let hello = HelloView::parse(&pki)?;
    /// let second = hello.cert_hash(1).unwrap();
    /// assert_eq!(second.algorithm(), HashAlgorithm::Sha256);
    /// assert_eq!(second.digest().as_bytes(), &[0xbb; 32]);
    /// assert_eq!(hello.cert_hash(2), None);
    /// # Ok::<(), amt_hello::DecodeError>(())
    /// ```
    #[inline]
    pub fn cert_hash(&self, index: usize) -> Option<CertHashView<'a>> {
        self.cert_hashes().nth(index)
    }

    /// The digest length all entries share, when the parser found them uniform (and there is
    /// at least one); `None` for mixed lengths and for PSK. Entry `i` then starts at
    /// `PKI_MIN_LEN + i * (ENTRY_OVERHEAD + len)`: bindings use it to index without a walk.
    ///
    /// ```
    /// use amt_hello::HelloView;
    /// let mut bytes = vec![1, 0, 3, 0, 0, 0, 0, 0];
    /// bytes.extend([0; 16]);
    /// bytes.extend([2, 2, 32]);
    /// bytes.extend([0xab; 32]);
    /// bytes.extend([2, 32]);
    /// bytes.extend([0xcd; 32]);
    /// assert_eq!(HelloView::parse(&bytes)?.uniform_digest_len(), Some(32));
    /// # Ok::<(), amt_hello::DecodeError>(())
    /// ```
    #[inline]
    pub const fn uniform_digest_len(&self) -> Option<u8> {
        self.0.uniform_digest_len
    }

    /// The first of the SCA's `roots` (in its order of preference) that this device trusts,
    /// and which of its entries says so; `None` if it trusts none of them. See
    /// [`trust`] for the rule.
    pub fn trusted_root<R: RootFingerprints>(&self, roots: &[R]) -> Option<RootMatch> {
        trust::trusted_root(self.cert_hashes(), roots)
    }

    /// The message's length in bytes.
    #[inline]
    pub const fn encoded_len(&self) -> usize {
        self.0.message.len()
    }

    /// The message's bytes, exactly as received.
    #[inline]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0.message
    }
}

/// The certificate hashes of a [`HelloView`], in slot order. Exact-size and fused.
#[derive(Debug, Clone)]
pub struct CertHashes<'a> {
    entries: &'a [u8],
    left: u8,
    // The algorithm and digest length every entry shares, when the parser found them alike.
    uniform: Option<(HashAlgorithm, u8)>,
}

impl<'a> Iterator for CertHashes<'a> {
    type Item = CertHashView<'a>;

    // Splits the next entry off `entries`: at the known stride, or by its own length byte.
    #[inline]
    fn next(&mut self) -> Option<CertHashView<'a>> {
        let left = self.left.checked_sub(1)?;
        // The parser validated every entry, so these splits always succeed.
        let [code, len, rest @ ..] = self.entries else {
            return None;
        };
        let (algorithm, digest_len) = match self.uniform {
            Some(uniform) => uniform,
            None => (HashAlgorithm::from_wire(*code, *len)?, *len),
        };
        let (digest, rest) = rest.split_at_checked(usize::from(digest_len))?;
        self.entries = rest;
        self.left = left;
        Some(CertHashView::new(algorithm, digest))
    }

    #[inline]
    fn nth(&mut self, n: usize) -> Option<CertHashView<'a>> {
        if let Some((_, len)) = self.uniform {
            // Skip `n` entries in one step (past the end, that leaves nothing).
            let stride = usize::from(len).saturating_add(ENTRY_OVERHEAD);
            let skip = stride.saturating_mul(n);
            self.entries = self.entries.get(skip..).unwrap_or_default();
            self.left = self.left.saturating_sub(u8::try_from(n).unwrap_or(u8::MAX));
        } else {
            for _ in 0..n {
                self.next()?;
            }
        }
        self.next()
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

    use crate::layout::{HASH_COUNT_OFFSET, VERSION_OFFSET};
    use crate::parse::tests::PKI_SHA1;

    #[test]
    fn the_view_says_when_all_digests_share_a_length() {
        let with = |entries: &[(u8, u8)]| {
            let mut bytes = PKI_SHA1[..HASH_COUNT_OFFSET].to_vec();
            bytes.push(entries.len() as u8);
            for &(code, len) in entries {
                bytes.extend([code, len]);
                bytes.extend(core::iter::repeat_n(0xab, len.into()));
            }
            HelloView::parse(&bytes).unwrap().uniform_digest_len()
        };
        assert_eq!(with(&[(1, 20)]), Some(20));
        assert_eq!(with(&[(2, 32), (2, 32), (2, 32)]), Some(32));
        assert_eq!(with(&[(3, 48), (3, 64)]), None);
        assert_eq!(with(&[(2, 32), (1, 20)]), None);
        assert_eq!(with(&[]), None);
        // No entries, then bytes that look like one (a next message): still `None`, and the
        // same view as without them (the stream fuzz target's first find).
        let mut none = PKI_SHA1[..HASH_COUNT_OFFSET].to_vec();
        none.push(0);
        let mut followed = none.clone();
        followed.extend([2, 32]);
        let alone = HelloView::parse(&none).unwrap();
        assert_eq!(crate::frame(&followed), Ok(crate::Frame::Complete(alone)));
        let mut psk = PKI_SHA1[..HASH_COUNT_OFFSET].to_vec();
        psk[VERSION_OFFSET] = 2;
        psk.extend(b"ABCD1234");
        assert_eq!(HelloView::parse(&psk).unwrap().uniform_digest_len(), None);
    }
}
