//! Decode, validate and encode the **Hello** message that an Intel AMT device in Setup Mode
//! sends to its provisioning server (SCA, TCP port 9971): PSK Hellos (interface version 2, a
//! UUID and a Provisioning ID) and PKI Hellos (version 3, a UUID and the hashes of the root
//! certificates the device trusts). `#![no_std]`, no allocation, no `unsafe`, and no input can
//! make it panic. Errors say which field is wrong, at which byte, and what was found.
//!
// The rest of the front page is Markdown, like the protocol page's: the guide a user reads.
#![doc = include_str!("lib.md")]
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

/// The README's Rust snippets, compiled as doctests too (the README is the repository's page).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

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
