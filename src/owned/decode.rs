//! Filling a [`Hello`] from bytes: by value, or in place over a kept value.

use super::{Hello, Payload};
use crate::algorithm::HashAlgorithm;
use crate::error::DecodeError;
use crate::hash::CertHash;
use crate::layout::{ENTRY_OVERHEAD, HASH_COUNT_OFFSET, PKI_MIN_LEN};
use crate::policy::Policy;
use crate::view::HelloView;

impl<const N: usize> Hello<N> {
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
    ///     Err(DecodeError::RetryCountOutOfRange { offset: 4, found: 15 })
    /// );
    /// # Ok::<(), DecodeError>(())
    /// ```
    #[inline]
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        Hello::decode_with(bytes, Policy::Strict)
    }

    /// Decodes exactly one Hello under `policy`.
    ///
    /// Returning the value costs a copy wherever the compiler does not build it in the caller's
    /// slot, which Rust does not promise: the stack may briefly hold two values (a `Hello<33>`
    /// is about 2.2 KB; 4,864 bytes of stack on a Cortex-M3, where [`Hello::decode_in_place`]
    /// takes 336). Where stack is scarce or values are decoded repeatedly (firmware, an SCA
    /// decoding thousands of Hellos), keep one value and use [`Hello::decode_in_place`].
    #[inline]
    pub fn decode_with(bytes: &[u8], policy: Policy) -> Result<Self, DecodeError> {
        match &HelloView::parse_with(bytes, policy) {
            Ok(view) => Hello::try_from(view),
            Err(error) => Err(*error),
        }
    }

    /// Decodes exactly one Hello under the strict policy into `self`, overwriting it: no second
    /// value is built, so this needs little more stack than [`HelloView::parse`] (336 bytes on
    /// a Cortex-M3 for a `Hello<33>`).
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
        // Read in place: moving the view out of the `Result` copies it with loads wider than
        // the parser's stores, which then wait for those stores to complete.
        match &HelloView::parse_with(bytes, policy) {
            Ok(view) => self.fill_from(view),
            Err(error) => Err(*error),
        }
    }

    /// Overwrites `self` with the view, after checking that it fits: on an error `self` is
    /// unchanged. A kept list is reused in place, so no second list is built on the stack.
    #[inline]
    fn fill_from(&mut self, view: &HelloView<'_>) -> Result<(), DecodeError> {
        if view.pid().is_none() {
            check_capacity::<N>(view)?; // only hashes can outgrow the value
        }
        self.admin_credentials = view.admin_credentials();
        self.retry_count = view.retry_count();
        self.uuid = view.uuid();
        match (view.pid(), &mut self.payload) {
            (Some(pid), Payload::Psk(kept)) => *kept = pid,
            (Some(pid), payload) => *payload = Payload::Psk(pid),
            (None, Payload::Pki(hashes)) => copy_hashes(view, hashes),
            (None, payload) => {
                *payload = Payload::Pki(heapless::Vec::new());
                if let Payload::Pki(hashes) = payload {
                    copy_hashes(view, hashes);
                }
            }
        }
        Ok(())
    }
}

/// Makes `hashes` a copy of the view's, which `check_capacity` has accepted. Hashes already in
/// the list are set in place (a kept value decoded again copies only digests).
fn copy_hashes<const N: usize>(view: &HelloView<'_>, hashes: &mut heapless::Vec<CertHash, N>) {
    let entries = view.cert_hashes();
    let _ = hashes.resize(entries.len(), CertHash::EMPTY); // cannot fail: count accepted
    for (hash, entry) in hashes.iter_mut().zip(entries) {
        let _ = hash.copy(entry); // cannot fail: `check_capacity` accepted every length
    }
}

/// Whether a `Hello<N>` can hold the view: at most `N` hashes, none longer than a
/// [`CertHash`] holds. Otherwise the error names the count or the first digest that does not fit.
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
        .is_some_and(|len| usize::from(len) <= HashAlgorithm::MAX_DIGEST_LEN)
    {
        return Ok(()); // every entry has this length: no walk
    }
    // Offset of the current entry's length byte, for the error.
    let mut len_offset = PKI_MIN_LEN.saturating_add(1);
    for hash in hashes {
        let len = hash.digest().as_bytes().len();
        if len > HashAlgorithm::MAX_DIGEST_LEN {
            return Err(DecodeError::DigestTooLong {
                offset: len_offset,
                found: u8::try_from(len).unwrap_or(u8::MAX),
                capacity: HashAlgorithm::MAX_DIGEST_LEN,
            });
        }
        len_offset = len_offset
            .saturating_add(len)
            .saturating_add(ENTRY_OVERHEAD);
    }
    Ok(())
}

/// Copies a view. Fails only when the message exceeds this value's capacity:
/// [`DecodeError::TooManyHashes`] or [`DecodeError::DigestTooLong`].
impl<const N: usize> TryFrom<&HelloView<'_>> for Hello<N> {
    type Error = DecodeError;

    fn try_from(view: &HelloView<'_>) -> Result<Self, DecodeError> {
        if let Some(pid) = view.pid() {
            // Built whole where it is returned: a PSK value has no list to fill.
            return Ok(Hello {
                admin_credentials: view.admin_credentials(),
                retry_count: view.retry_count(),
                uuid: view.uuid(),
                payload: Payload::Psk(pid),
            });
        }
        let mut hello = Hello::EMPTY;
        hello.fill_from(view)?;
        Ok(hello)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_digest_decodes_while_a_hash_holds_it() {
        // Longer ones are refused: see `in_place_errors_leave_the_value_unchanged`.
        let hello = Hello::<1>::decode_with(&pki(&[(9, 64)]), Policy::Lenient).unwrap();
        assert_eq!(
            hello.cert_hashes()[0].algorithm(),
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
        let (long, two) = (pki(&[(9, 100)]), pki(&[(9, 0), (0, 0)]));
        let failures: [(&[u8], Policy); 4] = [
            (&psk[..31], Policy::Strict),
            (&long[..], Policy::Strict),
            (&long[..], Policy::Lenient),
            (&two[..], Policy::Lenient),
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
            hello.decode_in_place_with(&two, Policy::Lenient),
            Err(DecodeError::TooManyHashes {
                offset: 24,
                found: 2,
                capacity: 1
            })
        );
    }

    /// A PKI Hello whose entries are `(code, length)`, each digest filled with its index + 1.
    fn pki(entries: &[(u8, u8)]) -> std::vec::Vec<u8> {
        let mut m = std::vec![1, 0, 3, 0, 0, 0, 0, 0];
        m.extend([0x5a; 16]);
        m.push(entries.len() as u8);
        for (i, &(code, len)) in entries.iter().enumerate() {
            m.extend([code, len]);
            m.extend(core::iter::repeat_n((i as u8).wrapping_add(1), len.into()));
        }
        m
    }

    #[test]
    fn in_place_over_longer_or_more_digests_equals_a_fresh_decode() {
        // A kept value with longer digests (stale bytes to clear) or more of them (entries to
        // drop) must end equal to a fresh decode.
        let uniform = [(1, 20), (2, 32), (3, 48), (3, 64)];
        let kept_lists: [&[(u8, u8)]; 4] = [&[(3, 64); 5], &[(3, 64), (1, 20)], &[(1, 20); 3], &[]];
        for (code, len) in uniform {
            for count in [1, 3] {
                let bytes = pki(&std::vec![(code, len); count]);
                let fresh = Hello::<5>::decode(&bytes).unwrap();
                assert_eq!(fresh.cert_hashes().len(), count);
                assert_eq!(
                    fresh.cert_hashes().last().unwrap().digest().as_bytes(),
                    &std::vec![count as u8; len.into()][..]
                );
                for kept in kept_lists {
                    let mut value = Hello::<5>::decode(&pki(kept)).unwrap();
                    value.decode_in_place(&bytes).unwrap();
                    assert_eq!(value, fresh, "{count} x ({code}, {len}) over {kept:?}");
                }
            }
        }
        // A mixed list takes the general copy, with the same result.
        let mixed = pki(&[(1, 20), (3, 64), (2, 32)]);
        let mut value = Hello::<5>::decode(&pki(&[(3, 64); 5])).unwrap();
        value.decode_in_place(&mixed).unwrap();
        assert_eq!(value, Hello::<5>::decode(&mixed).unwrap());
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
    }
}
