//! # amt-hello-ffi: the C ABI of amt-hello
//!
//! The Rust crate's parser, framer, encoder, text forms and retry schedule for C, C++, C#, Go
//! (and, built for `wasm32-unknown-unknown`, for Node.js). The header is
//! `ffi/include/amt_hello.h`, generated from this crate by cbindgen.
//!
//! The rules every function keeps:
//! - **No allocation.** Every buffer is the caller's; views point into the caller's bytes.
//! - **Total.** A NULL pointer or a short output buffer is a status code, never a crash; no
//!   call reads or writes outside the lengths it was given; nothing unwinds into C (the code
//!   has no panics, and a panic could only abort).
//! - **One status type.** Functions return `AmtHelloStatus` (0 is success) or a bool for
//!   iterators; errors with details fill an optional `AmtHelloError`, whose message
//!   `amt_hello_error_message` writes exactly as Rust's `Display` does.
//! - **A function of its arguments.** No call keeps state between calls: what it writes depends
//!   only on what it is given (an iterator's state is the caller's struct), so any thread may
//!   call any function at any time, and a binding has no protocol to re-implement.
//! - **Each fact once.** Offsets and lengths come from the crate (`amt_hello::layout`,
//!   `Uuid::LEN`, `Pid::LEN`, `InterfaceVersion::to_wire`); the header's literal sizes are
//!   checked against them when the crate is built.
//!
//! `unsafe` lives here and nowhere else in the project; `raw` turns C's pointers into
//! references, and every `unsafe` block says why it holds. Target-specific code (WebAssembly
//! SIMD128) lives in one private module, `hex`, behind the same functions as on every target.
#![no_std]
#![deny(missing_docs, unsafe_op_in_unsafe_fn)]
#![deny(
    clippy::undocumented_unsafe_blocks,
    clippy::missing_safety_doc,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

// The panic handler, which is never reached: the crate denies the lints that find panics.
// Bare-metal firmware links the spin loop below. The static and shared libraries for C programs
// (`make -C ffi`, built with `--cfg amt_hello_ffi_no_std`) call C's `abort`, so that a C
// program does not link Rust's standard library for a handler it never calls. The Rust tests,
// `cargo build` and WebAssembly take the standard library's.
#[cfg(not(any(target_os = "none", amt_hello_ffi_no_std)))]
extern crate std;

#[cfg(target_os = "none")]
#[panic_handler]
fn on_panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

#[cfg(all(amt_hello_ffi_no_std, not(target_os = "none")))]
#[panic_handler]
fn on_panic(_: &core::panic::PanicInfo<'_>) -> ! {
    unsafe extern "C" {
        fn abort() -> !;
    }
    // SAFETY: C's `abort` takes no arguments and never returns; every hosted C program that
    // links this library links the C library that defines it.
    unsafe { abort() }
}

/// The library's major version, as in the workspace's Cargo.toml (the build checks it).
pub const AMT_HELLO_VERSION_MAJOR: u32 = 0;
/// The library's minor version, as in Cargo.toml.
pub const AMT_HELLO_VERSION_MINOR: u32 = 2;
/// The library's patch version, as in Cargo.toml.
pub const AMT_HELLO_VERSION_PATCH: u32 = 0;

// cbindgen copies literals into the header, so the literals above are checked against Cargo's.
const _: () = assert!(AMT_HELLO_VERSION_MAJOR == version_number(env!("CARGO_PKG_VERSION_MAJOR")));
const _: () = assert!(AMT_HELLO_VERSION_MINOR == version_number(env!("CARGO_PKG_VERSION_MINOR")));
const _: () = assert!(AMT_HELLO_VERSION_PATCH == version_number(env!("CARGO_PKG_VERSION_PATCH")));

/// A version number's decimal digits as a number, at compile time.
#[allow(
    clippy::arithmetic_side_effects,
    dead_code,
    reason = "evaluated only in the const assertions above, where an overflow fails the build; \
              Rust 1.87 (the MSRV) does not count uses in `const _` items"
)]
const fn version_number(digits: &str) -> u32 {
    let mut rest = digits.as_bytes();
    let mut value = 0;
    while let Some((&digit, tail)) = rest.split_first() {
        value = value * 10 + (digit - b'0') as u32;
        rest = tail;
    }
    value
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_numbers_read_every_digit() {
        // Today's numbers have one digit each, where `*` and `/` in the loop agree.
        assert_eq!(super::version_number("0"), 0);
        assert_eq!(super::version_number("12"), 12);
        assert_eq!(super::version_number("305"), 305);
    }
}

mod encode;
mod format;
mod hex;
mod raw;
mod schedule;
mod status;
mod view;
mod view_text;

pub use encode::{AmtHelloMessage, amt_hello_encode};
pub use format::{
    AMT_HELLO_MESSAGE_SIZE, AMT_HELLO_PID_TEXT_SIZE, AMT_HELLO_UUID_TEXT_SIZE,
    amt_hello_algorithm_name, amt_hello_digest_hex, amt_hello_error_message, amt_hello_pid_text,
    amt_hello_status_name, amt_hello_uuid_text,
};
pub use schedule::{
    AmtHelloAttempt, AmtHelloSchedule, amt_hello_schedule_first_window, amt_hello_schedule_init,
    amt_hello_schedule_len, amt_hello_schedule_next, amt_hello_schedule_reopened_window,
};
pub use status::{AmtHelloError, AmtHelloStatus};
pub use view::{
    AmtHelloCertHash, AmtHelloHashIter, AmtHelloView, amt_hello_cert_hash, amt_hello_frame,
    amt_hello_hashes, amt_hello_hashes_next, amt_hello_parse, amt_hello_pid, amt_hello_uuid,
};
pub use view_text::{AMT_HELLO_TEXTS_EXTRA, AmtHelloDigestInfo, amt_hello_texts};
