//! The owned Hello: a plain value backed by `heapless`, to keep, compare, build and encode.

mod decode;
pub(crate) mod encode;

use crate::algorithm::HashAlgorithm;
use crate::hash::CertHash;
use crate::header::{AdminCredentials, InterfaceVersion};
use crate::layout::{PSK_LEN, pki_len};
use crate::pid::Pid;
use crate::trust::{self, RootFingerprints, RootMatch};
use crate::uuid::Uuid;

/// How many certificate hashes a [`Hello`] holds unless told otherwise: the 33 slots of the
/// largest documented device hash table (real devices send 20–33). The wire count allows 255;
/// use `Hello<255>` to hold any message. A capacity over 255 fails to build.
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
/// [`HelloView`](crate::HelloView) borrows it instead and is 32 bytes.
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
    /// The retry count. Any value encodes; values above 14 decode only under [`Policy::Lenient`](crate::Policy::Lenient).
    pub retry_count: u32,
    /// The device UUID.
    pub uuid: Uuid,
    /// The PID or the certificate hashes.
    pub payload: Payload<N>,
}

impl<const N: usize> Hello<N> {
    /// Refuses, when the program is built, a capacity the one-byte hash count cannot say.
    /// Every function that decodes or encodes names it, so `Hello<256>` fails to build there.
    ///
    /// ```compile_fail
    /// let hello: amt_hello::Hello<256> = amt_hello::Hello::EMPTY;
    /// ```
    pub(crate) const CAPACITY_FITS_THE_COUNT: () = assert!(
        N <= u8::MAX as usize,
        "a Hello holds at most 255 certificate hashes: the wire count is one byte"
    );

    /// The longest encoding of any `Hello<N>`: size stack buffers with it.
    pub const MAX_LEN: usize = {
        let () = Self::CAPACITY_FITS_THE_COUNT;
        let pki = pki_len(N, HashAlgorithm::MAX_DIGEST_LEN);
        if pki > PSK_LEN { pki } else { PSK_LEN }
    };

    /// A PKI Hello with no hashes, credentials set, retry count 0 and the nil UUID: a starting
    /// value to decode into with [`Hello::decode_in_place`].
    pub const EMPTY: Self = {
        let () = Self::CAPACITY_FITS_THE_COUNT;
        Hello {
            admin_credentials: AdminCredentials::Set,
            retry_count: 0,
            uuid: Uuid::NIL,
            payload: Payload::Pki(heapless::Vec::new()),
        }
    };

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

    /// As [`HelloView::trusted_root`](crate::HelloView::trusted_root), over this value's hashes.
    pub fn trusted_root<R: RootFingerprints>(&self, roots: &[R]) -> Option<RootMatch> {
        trust::trusted_root(self.cert_hashes().iter().map(CertHash::as_view), roots)
    }
}
