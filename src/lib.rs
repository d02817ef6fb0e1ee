#![doc = include_str!("../README.md")]
//!
//! # Module map
//!
//! | module | one concept |
//! |---|---|
//! | [`protocol`] | the protocol itself: layout, validation, framing, the retry model (docs only) |
//! | [`layout`] | the wire layout, written once: every offset and fixed length |
//! | `header` | the common header; [`AdminCredentials`], [`InterfaceVersion`] |
//! | `reader`, `writer` | checked byte reader and writer: every access is a split that can fail |
//! | `parse` | the validator: the one place bytes are checked |
//! | `error` | [`DecodeError`], [`EncodeError`], [`Needed`] |
//! | `text_error` | [`ParseError`]: a refused text form or owned hash |
//! | `policy` | [`Policy`]: strict and lenient validation |
//! | `algorithm` | [`HashAlgorithm`]: the one table of codes, lengths and names |
//! | `uuid`, `pid`, `hash` | field types and their allocation-free text forms |
//! | [`hex`] | lowercase hex, and its one decoder |
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
pub mod hex;
pub mod layout;
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
mod text_error;
pub mod trust;
mod uuid;
mod view;
mod writer;

pub use algorithm::HashAlgorithm;
pub use error::{DecodeError, EncodeError, Needed};
pub use framing::{Frame, frame, frame_with};
pub use hash::{CertHash, CertHashView, Digest};
pub use header::{AdminCredentials, InterfaceVersion};
pub use owned::{DEFAULT_HASH_CAPACITY, Hello, Payload};
pub use pid::Pid;
pub use policy::{MAX_RETRY_COUNT, Policy};
pub use schedule::{Attempt, Attempts, Cadence, Phase, RetrySchedule, ScheduleError};
pub use text_error::ParseError;
pub use uuid::Uuid;
pub use view::{CertHashes, HelloView};

/// The longest valid Hello under any policy: 255 entries of 255-byte digests,
/// 25 + 255 × (2 + 255) = 65 560 bytes. An SCA never needs to buffer more.
pub const MAX_LEN: usize = layout::pki_len(u8::MAX as usize, u8::MAX as usize);

/// The longest Hello the strict policy accepts: 255 SHA-512 entries, 25 + 255 × 66 = 16 855 bytes.
pub const MAX_STRICT_LEN: usize = layout::pki_len(u8::MAX as usize, HashAlgorithm::MAX_DIGEST_LEN);
