//! `serde` for the public value types (feature `serde`; `no_std`, no allocation).
//!
//! Text forms are the crate's own: a [`Uuid`] is its GUID text, a [`Pid`] `ABCD-EFGH`, a
//! [`HashAlgorithm`] its name (or `unknown(CODE)`), a digest lowercase hex. A Hello, borrowed or
//! owned, is an object with the keys of `amt-hello decode`:
//!
//! ```json
//! {"len": 32, "version": 2, "admin_credentials_set": true, "retry_count": 0,
//!  "uuid": "33221100-5544-7766-8899-aabbccddeeff", "uuid_raw": "00112233…eeff",
//!  "pid": "ABCD-1234", "cert_hashes": []}
//! ```
//!
//! The owned types also deserialize from those forms. `len`, `version` and `uuid_raw` are
//! derived from the rest; when present they must agree with it.

use core::fmt;
use core::marker::PhantomData;
use core::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::algorithm::HashAlgorithm;
use crate::hash::{CertHash, CertHashView, Digest};
use crate::header::{AdminCredentials, InterfaceVersion};
use crate::hex;
use crate::owned::{Hello, Payload};
use crate::pid::Pid;
use crate::text_error::ParseError;
use crate::uuid::Uuid;
use crate::view::HelloView;

/// Deserializes any `T: FromStr` from a string, borrowed or not.
struct TextVisitor<T>(PhantomData<T>);

impl<T: FromStr<Err: fmt::Display>> Visitor<'_> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string in the crate's text form")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }
}

/// `Serialize` as the `Display` text.
macro_rules! to_text {
    ($($ty:ty),*) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
    )*};
}

/// `Deserialize` from the `FromStr` text. A PID deserializes strictly only: the escaped text of a
/// lenient PID is for people, not for parsing.
macro_rules! from_text {
    ($($ty:ty),*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(TextVisitor(PhantomData))
            }
        }
    )*};
}

to_text!(Uuid, Pid, HashAlgorithm, Digest<'_>);
from_text!(Uuid, Pid, HashAlgorithm, AdminCredentials, HexDigest);

impl Serialize for AdminCredentials {
    /// `"set"` or `"localized_bios"`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl AdminCredentials {
    const fn key(self) -> &'static str {
        match self {
            AdminCredentials::Set => "set",
            AdminCredentials::LocalizedBios => "localized_bios",
        }
    }
}

impl FromStr for AdminCredentials {
    type Err = &'static str;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        [AdminCredentials::Set, AdminCredentials::LocalizedBios]
            .into_iter()
            .find(|c| c.key() == text)
            .ok_or("expected \"set\" or \"localized_bios\"")
    }
}

impl Serialize for CertHashView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut entry = s.serialize_struct("CertHash", 2)?;
        entry.serialize_field("algorithm", &self.algorithm())?;
        entry.serialize_field("digest", &self.digest())?;
        entry.end()
    }
}

impl Serialize for CertHash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_view().serialize(s)
    }
}

/// A digest's hex text, decoded into a stack buffer as long as the longest an owned hash holds.
struct HexDigest {
    bytes: [u8; HashAlgorithm::MAX_DIGEST_LEN],
    len: usize,
}

impl HexDigest {
    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl FromStr for HexDigest {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, ParseError> {
        let mut bytes = [0; HashAlgorithm::MAX_DIGEST_LEN];
        let len = hex::decode(text, &mut bytes)?.len();
        Ok(HexDigest { bytes, len })
    }
}

impl<'de> Deserialize<'de> for CertHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Entry {
            algorithm: HashAlgorithm,
            digest: HexDigest,
        }
        let entry = Entry::deserialize(d)?;
        CertHash::new(entry.algorithm, entry.digest.as_bytes()).map_err(de::Error::custom)
    }
}

/// A sequence serialized from a cloneable iterator.
struct Seq<I>(I);

impl<I: Iterator<Item: Serialize> + Clone> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for item in self.0.clone() {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// The header of `amt-hello decode`'s object, as either form of a Hello answers it.
struct Head {
    len: usize,
    version: InterfaceVersion,
    admin_credentials: AdminCredentials,
    retry_count: u32,
    uuid: Uuid,
    pid: Option<Pid>,
}

/// `amt-hello decode`'s object, from either form of a Hello.
fn serialize_hello<'h, S: Serializer>(
    s: S,
    head: Head,
    hashes: impl Iterator<Item = CertHashView<'h>> + Clone,
) -> Result<S::Ok, S::Error> {
    let mut object = s.serialize_struct("Hello", 8)?;
    object.serialize_field("len", &head.len)?;
    object.serialize_field("version", &head.version.to_wire())?;
    object.serialize_field("admin_credentials_set", &head.admin_credentials.is_set())?;
    object.serialize_field("retry_count", &head.retry_count)?;
    object.serialize_field("uuid", &head.uuid)?;
    object.serialize_field("uuid_raw", &Digest::new(head.uuid.as_bytes()))?;
    object.serialize_field("pid", &head.pid)?;
    object.serialize_field("cert_hashes", &Seq(hashes))?;
    object.end()
}

impl Serialize for HelloView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let head = Head {
            len: self.encoded_len(),
            version: self.version(),
            admin_credentials: self.admin_credentials(),
            retry_count: self.retry_count(),
            uuid: self.uuid(),
            pid: self.pid(),
        };
        serialize_hello(s, head, self.cert_hashes())
    }
}

impl<const N: usize> Serialize for Hello<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let head = Head {
            len: self.encoded_len(),
            version: self.version(),
            admin_credentials: self.admin_credentials,
            retry_count: self.retry_count,
            uuid: self.uuid,
            pid: self.pid(),
        };
        serialize_hello(s, head, self.cert_hashes().iter().map(CertHash::as_view))
    }
}

impl<'de, const N: usize> Deserialize<'de> for Hello<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields<const N: usize> {
            len: Option<usize>,
            version: Option<u16>,
            admin_credentials_set: bool,
            retry_count: u32,
            uuid: Uuid,
            uuid_raw: Option<HexDigest>,
            pid: Option<Pid>,
            #[serde(default)]
            cert_hashes: heapless::Vec<CertHash, N>,
        }
        let f = Fields::<N>::deserialize(d)?;
        let payload = match (f.pid, f.cert_hashes.is_empty()) {
            (Some(pid), true) => Payload::Psk(pid),
            (None, _) => Payload::Pki(f.cert_hashes),
            (Some(_), false) => {
                return Err(de::Error::custom("a Hello has a PID or hashes, not both"));
            }
        };
        let hello = Hello {
            admin_credentials: if f.admin_credentials_set {
                AdminCredentials::Set
            } else {
                AdminCredentials::LocalizedBios
            },
            retry_count: f.retry_count,
            uuid: f.uuid,
            payload,
        };
        if f.version.is_some_and(|v| v != hello.version().to_wire()) {
            return Err(de::Error::custom("\"version\" does not match the payload"));
        }
        if f.len.is_some_and(|len| len != hello.encoded_len()) {
            return Err(de::Error::custom("\"len\" does not match the payload"));
        }
        if f.uuid_raw
            .is_some_and(|raw| raw.as_bytes() != hello.uuid.as_bytes())
        {
            return Err(de::Error::custom("\"uuid_raw\" does not match \"uuid\""));
        }
        Ok(hello)
    }
}
