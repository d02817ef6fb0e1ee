#![doc = include_str!("../README.md")]
//!
//! # Module map
//!
//! | module | one concept |
//! |---|---|
//! | `header` | the 24-byte common header, [`AdminCredentials`], [`InterfaceVersion`] |
//! | `reader`, `writer` | checked byte reader and writer: every access is a split that can fail |
//! | `error` | [`DecodeError`], [`EncodeError`], [`ParseError`], [`Needed`] |
//! | `policy` | [`Policy`]: strict and lenient validation |
//! | `uuid`, `pid`, `hash`, `hex` | field types and their allocation-free text forms |
//! | `view` | [`HelloView`]: validate once, then infallible accessors |
//! | `owned` | [`Hello`]: the owned value, `decode` and `encode_into` |
//! | `framing` | [`frame`]: is a complete Hello at the front of a stream? |
//! | `schedule` | [`RetrySchedule`]: when a device sends, and what an SCA can infer from it |
//!
//! # Choices this crate makes where the public record is silent
//!
//! Intel does not publish a Hello specification; the project's spec (`spec/hello.md`) tags
//! these as *model* choices:
//!
//! - **Strict by default.** A retry count above 14, a PID byte outside `A-Z0-9` and an unknown
//!   hash algorithm code are errors unless the caller chooses [`Policy::Lenient`]. Truncation,
//!   trailing bytes, a credentials word other than 0 or 1, a version other than 2 or 3, and a
//!   known algorithm code with the wrong digest length are errors under every policy.
//! - **The credentials word is unsigned.** `0xffff` is invalid, not −1.
//! - **Errors come in byte order.** Fields are checked as they are read, so the error names the
//!   first offending field, and a short prefix reports an invalid field it holds before it
//!   reports that bytes are missing.
//! - **`needed` is exact only when the prefix fixes it:** a PSK body (32 bytes), or a cut inside
//!   the last certificate digest. Otherwise [`Needed::AtLeast`] gives a lower bound: the header,
//!   the version's minimum, and for PKI the shortest entries the policy allows for the rest.
//! - **Framing never reads past the message** and needs at most [`MAX_LEN`] bytes.
//! - **The owned value has a capacity** ([`DEFAULT_HASH_CAPACITY`] = 33 hashes, 64-byte
//!   digests); exceeding it is an error ([`DecodeError::TooManyHashes`],
//!   [`DecodeError::DigestTooLong`]), never a silent cut. [`HelloView`] has no limit.
//! - **The retry schedule** is the spec's reading of the one published cadence; see
//!   [`RetrySchedule`] for its exact rules (half-open window, a phase cut short by the window
//!   ends the schedule, retry count `min(n, 14)`), and intervals of at least one second.
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

// Unit tests may use std (for `to_string`); the library itself never does.
#[cfg(test)]
extern crate std;

mod error;
mod framing;
mod hash;
mod header;
mod hex;
mod owned;
mod pid;
mod policy;
mod reader;
mod schedule;
mod uuid;
mod view;
mod writer;

pub use error::{DecodeError, EncodeError, Needed, ParseError};
pub use framing::{Frame, frame, frame_with};
pub use hash::{CertHash, CertHashView, Digest, HashAlgorithm};
pub use header::{
    ADMIN_CREDENTIALS_OFFSET, AdminCredentials, HEADER_LEN, InterfaceVersion, MAX_RETRY_COUNT,
    PKI_MIN_LEN, PSK_LEN, RETRY_COUNT_OFFSET, UUID_OFFSET, VERSION_OFFSET,
};
pub use owned::{DEFAULT_HASH_CAPACITY, Hello, Payload};
pub use pid::Pid;
pub use policy::Policy;
pub use schedule::{Attempt, Attempts, Cadence, Phase, RetrySchedule, ScheduleError};
pub use uuid::Uuid;
pub use view::{CertHashes, HelloView};

/// The longest valid Hello under any policy: 255 entries of 255-byte digests,
/// 25 + 255 × (2 + 255) = 65 560 bytes. An SCA never needs to buffer more.
pub const MAX_LEN: usize = 65_560;

/// The longest Hello the strict policy accepts: 255 SHA-512 entries, 25 + 255 × 66 = 16 855 bytes.
pub const MAX_STRICT_LEN: usize = 16_855;
