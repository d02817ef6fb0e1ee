//! The one read interface of a Hello, borrowed or owned: serde and trust are written on it once.
//! (Trust reads only the hashes; the rest is read by serde alone, so it is built with it.)

use crate::hash::CertHashView;
#[cfg(feature = "serde")]
use crate::{
    header::{AdminCredentials, InterfaceVersion},
    pid::Pid,
    uuid::Uuid,
};

/// What [`HelloView`](crate::HelloView) and [`Hello`](crate::Hello) both answer.
pub(crate) trait Fields {
    /// The certificate hashes, in slot order.
    type Hashes<'s>: Iterator<Item = CertHashView<'s>> + Clone
    where
        Self: 's;

    #[cfg(feature = "serde")]
    fn admin_credentials(&self) -> AdminCredentials;
    #[cfg(feature = "serde")]
    fn retry_count(&self) -> u32;
    #[cfg(feature = "serde")]
    fn uuid(&self) -> Uuid;
    #[cfg(feature = "serde")]
    /// The PID of a PSK Hello; `None` for PKI.
    fn pid(&self) -> Option<Pid>;
    /// The certificate hashes of a PKI Hello; empty for PSK.
    fn hashes(&self) -> Self::Hashes<'_>;
    #[cfg(feature = "serde")]
    /// The length of the message on the wire.
    fn encoded_len(&self) -> usize;

    #[cfg(feature = "serde")]
    /// The interface version, which the payload decides.
    fn version(&self) -> InterfaceVersion {
        match self.pid() {
            Some(_) => InterfaceVersion::Psk,
            None => InterfaceVersion::Pki,
        }
    }
}
