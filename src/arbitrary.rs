//! Any encodable [`Hello`], for fuzzers and property tests (feature `arbitrary`).
//!
//! One generator serves this crate's fuzz targets and property tests and the fuzzers of SCAs that
//! embed it: every value it makes encodes, and [`Hello::arbitrary_accepted_by`] makes only values
//! whose encoding a given policy accepts.
//!
//! The feature needs std: the `arbitrary` crate links it, so it builds on the hosts where
//! fuzzers and tests run (every target with std), not on bare-metal ones. The codec itself
//! stays `no_std`; a firmware build leaves the feature off.
//!
//! A downstream SCA's test feeds generated Hellos, through this crate's encoder, to its own
//! handler of the wire bytes (in a cargo-fuzz target, `data` is libFuzzer's input):
//!
//! ```
//! use amt_hello::{Hello, HelloView, Policy};
//! use arbitrary::Unstructured;
//!
//! /// The SCA's own code: what it does with a Hello from the wire (here, a provisioning
//! /// decision on the first certificate hash).
//! fn sca_on_hello(wire: &[u8]) -> Result<bool, amt_hello::DecodeError> {
//!     let view = HelloView::parse(wire)?;
//!     Ok(view.cert_hashes().next().is_some())
//! }
//!
//! let data = [0x5a_u8; 2048]; // any bytes: a fuzzer's input, or a seeded RNG's
//! let mut u = Unstructured::new(&data);
//! let mut wire = [0u8; <Hello>::MAX_LEN];
//! for _ in 0..16 {
//!     // Only what a device may send under the SCA's policy.
//!     let hello: Hello = Hello::arbitrary_accepted_by(&mut u, Policy::Strict)?;
//!     let len = hello.encode_into(&mut wire).expect("MAX_LEN holds any Hello");
//!     assert!(sca_on_hello(&wire[..len]).is_ok(), "the SCA refused {hello:?}");
//! }
//! # Ok::<(), arbitrary::Error>(())
//! ```

use arbitrary::{Arbitrary, Result, Unstructured};

use crate::algorithm::HashAlgorithm;
use crate::hash::CertHash;
use crate::header::AdminCredentials;
use crate::owned::{Hello, Payload};
use crate::pid::Pid;
use crate::policy::{MAX_RETRY_COUNT, Policy};
use crate::uuid::Uuid;

/// The strict PID alphabet, to map any byte onto a valid one.
const PID_ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

impl<'a, const N: usize> Arbitrary<'a> for Hello<N> {
    /// Any `Hello<N>` that encodes: [`Hello::arbitrary_accepted_by`] with [`Policy::Lenient`].
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Hello::arbitrary_accepted_by(u, Policy::Lenient)
    }
}

impl<const N: usize> Hello<N> {
    /// A `Hello<N>` whose encoding `policy` accepts: under [`Policy::Strict`] retry counts 0–14,
    /// PIDs from `A-Z0-9` and documented algorithms only; under [`Policy::Lenient`] any retry
    /// count, any PID bytes and unknown algorithm codes with digests of up to 64 bytes.
    ///
    /// ```
    /// use amt_hello::{Hello, Policy};
    /// use arbitrary::Unstructured;
    /// let mut u = Unstructured::new(&[7; 256]);
    /// let hello: Hello = Hello::arbitrary_accepted_by(&mut u, Policy::Strict)?;
    /// let mut buf = [0u8; <Hello>::MAX_LEN];
    /// let len = hello.encode_into(&mut buf).unwrap();
    /// assert_eq!(Hello::decode(&buf[..len]), Ok(hello));
    /// # Ok::<(), arbitrary::Error>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
    pub fn arbitrary_accepted_by(u: &mut Unstructured<'_>, policy: Policy) -> Result<Self> {
        let admin_credentials =
            *u.choose(&[AdminCredentials::LocalizedBios, AdminCredentials::Set])?;
        // Mostly in range even when lenient: the documented values are the interesting ones.
        let retry_count = if policy.accepts_retry_count(u32::MAX) && u.ratio(1, 4)? {
            u.arbitrary()?
        } else {
            u.int_in_range(0..=MAX_RETRY_COUNT)?
        };
        let uuid = Uuid::from_bytes(u.arbitrary()?);
        let payload = if u.ratio(1, 4)? {
            Payload::Psk(arbitrary_pid(u, policy)?)
        } else {
            let mut hashes = heapless::Vec::new();
            for _ in 0..u.int_in_range(0..=N.min(usize::from(u8::MAX)))? {
                if hashes.push(arbitrary_hash(u, policy)?).is_err() {
                    break;
                }
            }
            Payload::Pki(hashes)
        };
        Ok(Hello {
            admin_credentials,
            retry_count,
            uuid,
            payload,
        })
    }
}

/// Eight bytes the policy accepts in a PID.
fn arbitrary_pid(u: &mut Unstructured<'_>, policy: Policy) -> Result<Pid> {
    let mut bytes: [u8; Pid::LEN] = u.arbitrary()?;
    for byte in &mut bytes {
        if !policy.accepts_pid_byte(*byte) {
            let index = usize::from(*byte)
                .checked_rem(PID_ALPHABET.len())
                .unwrap_or(0);
            *byte = PID_ALPHABET.get(index).copied().unwrap_or(b'A');
        }
    }
    Ok(Pid::from_bytes_lenient(bytes))
}

/// A hash of a documented algorithm, or (when the policy accepts them) of an unknown code.
fn arbitrary_hash(u: &mut Unstructured<'_>, policy: Policy) -> Result<CertHash> {
    let algorithm = if policy.accepts_unknown_algorithms() && u.ratio(1, 5)? {
        let code: u8 = u.arbitrary()?;
        let unknown = HashAlgorithm::lengths_for_code(code).is_empty();
        HashAlgorithm::Unknown(if unknown { code } else { 0 })
    } else {
        *u.choose(&HashAlgorithm::KNOWN)?
    };
    let len = match algorithm.digest_len() {
        Some(len) => len,
        None => u.int_in_range(0..=HashAlgorithm::MAX_DIGEST_LEN)?,
    };
    let mut digest = [0u8; HashAlgorithm::MAX_DIGEST_LEN];
    let digest = digest
        .get_mut(..len)
        .ok_or(arbitrary::Error::IncorrectFormat)?;
    u.fill_buffer(digest)?;
    CertHash::new(algorithm, digest).map_err(|_| arbitrary::Error::IncorrectFormat)
}
