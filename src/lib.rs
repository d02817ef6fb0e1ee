//! Decode, validate and encode the **Hello** message that an Intel AMT device in Setup Mode
//! sends to its provisioning server (SCA, TCP port 9971): PSK Hellos (interface version 2, a
//! UUID and a Provisioning ID) and PKI Hellos (version 3, a UUID and the hashes of the root
//! certificates the device trusts). `#![no_std]`, no allocation, no `unsafe`, and no input can
//! make it panic. Errors say which field is wrong, at which byte, and what was found.
//!
//! ```
//! use amt_hello::HelloView;
//!
//! let bytes = b"\x01\x00\x03\x00\x01\x00\x00\x00\
//!               \x4b\x52\x9b\x93\xd4\x13\x18\x1d\xe4\x87\x1c\x69\x7a\x6b\x7a\x2b\
//!               \x01\x01\x14\x21\x2f\x6f\x9e\x58\x2f\x64\xdf\x9b\xc0\x5c\xd8\xb8\x2e\x6c\xe1\x29\x90\x43\xf2";
//! let hello = HelloView::parse(bytes)?; // validates once; the accessors cannot fail
//! assert_eq!(hello.uuid().to_string(), "939b524b-13d4-1d18-e487-1c697a6b7a2b");
//! assert_eq!(hello.retry_count(), 1);
//! for hash in hello.cert_hashes() {
//!     println!("{} {}", hash.algorithm(), hash.digest()); // sha1 212f6f9e…
//! }
//! # Ok::<(), amt_hello::DecodeError>(())
//! ```
//!
//! What you get: [`HelloView`] (zero-copy: validate, then read), [`Hello`] (an owned value
//! backed by `heapless`, which [`Hello::encode_into`] writes back byte for byte), [`frame`]
//! (is a complete Hello at the front of the bytes a TCP stream has delivered so far?),
//! [`stream`] (read exactly one Hello from a stream), [`RetrySchedule`] (when a device sends,
//! and what an SCA can infer from a retry count), and [`trust`] (which of your roots a device
//! trusts). [`protocol`] is the message described, with its sources, and the
//! [choices](protocol#choices-where-the-record-is-silent) this crate makes where the record is
//! silent.
//!
//! # Add it
//!
//! Reading Hellos needs no feature (`no_std`, no allocation):
//!
//! ```toml
//! [dependencies]
//! amt-hello = "0.2"
//! ```
//!
//! **An SCA on tokio** reads each connection's Hello with the `tokio-util` codec:
//!
//! ```toml
//! [dependencies]
//! amt-hello = { version = "0.2", features = ["tokio"] }
//! tokio = { version = "1", features = ["rt-multi-thread", "net", "macros"] }
//! tokio-util = { version = "0.7", features = ["codec"] }
//! tokio-stream = "0.1"
//! ```
//!
//! ```no_run
//! use amt_hello::{Policy, stream::codec::HelloCodec};
//! use tokio_stream::StreamExt;
//! use tokio_util::codec::FramedRead;
//!
//! #[tokio::main]
//! async fn main() -> std::io::Result<()> {
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:9971").await?;
//!     loop {
//!         let (socket, peer) = listener.accept().await?;
//!         tokio::spawn(async move {
//!             let mut hellos = FramedRead::new(socket, HelloCodec::<33>::new(Policy::Strict));
//!             match hellos.next().await {
//!                 Some(Ok(hello)) => println!("{peer}: {} (retry {})", hello.uuid, hello.retry_count),
//!                 Some(Err(e)) => eprintln!("{peer}: {e}"), // what is wrong, and where
//!                 None => {}
//!             }
//!         });
//!     }
//! }
//! ```
//!
//! **Firmware** (a device, or an SCA on an embedded executor) reads and writes over
//! `embedded-io-async`, still `no_std` and allocation-free:
//!
//! ```toml
//! [dependencies]
//! amt-hello = { version = "0.2", features = ["embedded-io-async"] }
//! embedded-io-async = "0.7"
//! ```
//!
//! ```no_run
//! use amt_hello::{MAX_STRICT_LEN, Policy, stream::embedded_async::read_hello};
//!
//! async fn serve<S: embedded_io_async::Read>(mut socket: S) {
//!     let mut buf = [0u8; MAX_STRICT_LEN]; // or less: a longer Hello is refused, never cut
//!     match read_hello(&mut socket, &mut buf, Policy::Strict).await {
//!         Ok(hello) => { let _ = hello.uuid(); }
//!         Err(_error) => {} // the bytes, or the stream, said why
//!     }
//! }
//! ```
//!
//! **JSON** (the keys the shared test vectors and `amt-hello decode` use), with `serde`:
//!
//! ```toml
//! [dependencies]
//! amt-hello = { version = "0.2", features = ["serde"] }
//! serde_json = "1"
//! ```
//!
//! ```
//! # let bytes = b"\x01\x00\x02\x00\x00\x00\x00\x00\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xffABCD1234";
//! let json = serde_json::to_string(&amt_hello::HelloView::parse(bytes)?)?;
//! assert!(json.contains(r#""pid":"ABCD-1234""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Which of your roots a device trusts**, from your root certificates' DER bytes, with
//! `fingerprint` (SHA-1/256/384/512, `no_std`; the rule is on [`trust`]):
//!
//! ```toml
//! [dependencies]
//! amt-hello = { version = "0.2", features = ["fingerprint"] }
//! ```
//!
//! ```
//! use amt_hello::{HelloView, trust::Fingerprints};
//! # let hello = b"\x01\x00\x03\x00\x00\x00\x00\x00\xc9\x8b\x91\x35\x6d\x19\xea\x40\x97\x79\x88\x9d\x79\xb7\x53\xf0\x00";
//! # let der: &[u8] = b"your root's DER bytes";
//! let roots = [Fingerprints::of_der(der)]; // once, at start-up: in your order of preference
//! match HelloView::parse(hello)?.trusted_root(&roots) {
//!     Some(found) => println!("activate with root {} (entry {})", found.root, found.entry),
//!     None => println!("the device trusts none of these roots"),
//! }
//! # Ok::<(), amt_hello::DecodeError>(())
//! ```
//!
//! # Feature flags
//!
//! | feature | what it adds |
//! |---|---|
//! | `std` | `stream::std_io`: Hellos over `std::io::Read`/`Write` (links std) |
//! | `tokio` | `stream::codec::HelloCodec`: a `tokio-util` decoder and encoder (implies `std`) |
//! | `embedded-io` | `stream::embedded`: blocking `embedded-io` streams, `no_std` |
//! | `embedded-io-async` | `stream::embedded_async`: `embedded-io-async` streams, `no_std` |
//! | `serde` | `Serialize` for the value types and Hellos, `Deserialize` for the owned ones, `no_std` |
//! | `fingerprint` | `trust::Fingerprints`: certificate fingerprints, `no_std` |
//! | `uuid` | conversions between [`Uuid`] and `uuid::Uuid` |
//! | `defmt` | `defmt::Format` for every public type |
//! | `arbitrary` | `arbitrary::Arbitrary` for [`Hello`], for fuzzers and property tests (needs std) |
//!
//! Features are additive; each builds alone. Without `std`, `tokio` or `arbitrary` the crate is
//! `no_std`.
//!
//! # Stack and size
//!
//! Measured on a Cortex-M3 (thumbv7m, release) by the firmware this crate's CI runs under QEMU:
//! [`HelloView::parse`] and a walk of 33 hashes use 232 bytes of stack,
//! [`Hello::decode_in_place`] 368, [`Hello::encode_into`] 200 and [`frame`] 208;
//! [`Hello::decode`] 4,888 for a `Hello<33>` (the value and its copy: see its docs). The codec
//! is under 4 KiB of `.text` on thumbv6m. A [`Hello<N>`](Hello) holds `N` hashes of up to 64
//! bytes each (`Hello<33>` is about 2.2 KB); the stream readers need a buffer of the longest
//! Hello they accept, [`MAX_STRICT_LEN`] (16,855 bytes) under the strict policy.
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
