#![doc = include_str!("../README.md")]
//!
//! # Module map
//!
//! | module | one concept |
//! |---|---|
//! | [`protocol`] | the protocol itself: layout, validation, framing, the retry model (docs only) |
//! | `header` | the wire layout, written once; [`AdminCredentials`], [`InterfaceVersion`] |
//! | `reader`, `writer` | checked byte reader and writer: every access is a split that can fail |
//! | `parse` | the validator: the one place bytes are checked |
//! | `error` | [`DecodeError`], [`EncodeError`], [`ParseError`], [`Needed`] |
//! | `policy` | [`Policy`]: strict and lenient validation |
//! | `algorithm` | [`HashAlgorithm`]: the one table of codes, lengths and names |
//! | `uuid`, `pid`, `hash`, `hex` | field types and their allocation-free text forms |
//! | `view` | [`HelloView`]: validate once, then infallible accessors |
//! | `owned` | [`Hello`]: the owned value, `decode` and `encode_into` |
//! | `framing` | [`frame`]: is a complete Hello at the front of a stream? |
//! | `schedule` | [`RetrySchedule`]: when a device sends, and what an SCA can infer from it |
//! | [`trust`] | which of the SCA's roots a device trusts; fingerprints (feature `fingerprint`) |
//! | [`stream`] | one Hello read from or written to a byte stream: std, embedded-io, async, tokio |
//! | `arbitrary` | with the `arbitrary` feature: any encodable [`Hello`], for fuzzers and property tests |
//! | `serde_impls` | with the `serde` feature: the value types' `Serialize`/`Deserialize` |
//!
//! Wire values convert one way throughout: `T::from_wire(raw) -> Option<T>` and
//! `t.to_wire()`, both `const fn` ([`AdminCredentials`], [`InterfaceVersion`],
//! [`HashAlgorithm`]).
//!
//! The choices this crate makes where the public record is silent are listed on the
//! [protocol page](protocol#choices-where-the-record-is-silent).
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Unit tests may use std (for `to_string`); the library itself only with the `std` feature.
#[cfg(any(test, feature = "std"))]
extern crate std;

mod algorithm;
#[cfg(feature = "arbitrary")]
mod arbitrary;
mod error;
mod framing;
mod hash;
mod header;
mod hex;
mod owned;
mod parse;
mod pid;
mod policy;
pub mod protocol;
mod reader;
mod schedule;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod stream;
pub mod trust;
mod uuid;
mod view;
mod writer;

pub use algorithm::HashAlgorithm;
pub use error::{DecodeError, EncodeError, Needed, ParseError};
pub use framing::{Frame, frame, frame_with};
pub use hash::{CertHash, CertHashView, Digest};
pub use header::{
    ADMIN_CREDENTIALS_OFFSET, AdminCredentials, ENTRY_OVERHEAD, HASH_COUNT_OFFSET, HEADER_LEN,
    InterfaceVersion, MAX_LEN, MAX_RETRY_COUNT, MAX_STRICT_LEN, PID_OFFSET, PKI_MIN_LEN, PSK_LEN,
    RETRY_COUNT_OFFSET, UUID_OFFSET, VERSION_OFFSET,
};
pub use owned::{DEFAULT_HASH_CAPACITY, Hello, Payload};
pub use pid::Pid;
pub use policy::Policy;
pub use schedule::{Attempt, Attempts, Cadence, Phase, RetrySchedule, ScheduleError};
pub use uuid::Uuid;
pub use view::{CertHashes, HelloView};
