//! Links amt-hello into a freestanding program and runs the codec: exit status 0 when a PSK and
//! a PKI Hello decode, re-encode byte for byte, frame correctly and reject a corrupted copy, and
//! the default retry schedule yields the model's 39 attempts.
//!
//! On Linux it runs (its exit status is the verdict). On a bare-metal target such as
//! thumbv7em-none-eabihf it only links, which proves the same and gives the code size; without
//! its default `schedule` feature (a feature of this check program, not of the crate) it holds the codec alone.
//!
//! With the `qemu` feature, on thumbv7m-none-eabi, it is instead a Cortex-M3 firmware for QEMU's
//! lm3s6965evb (`firmware.rs`): every shared vector and real capture through the crate, and each
//! entry point's stack high-water mark, printed over semihosting (`checks.rs`, which the 32-bit
//! x86 firmware in `i486/` runs too).
#![no_std]
#![no_main]

#[cfg(feature = "qemu")]
mod checks;
#[cfg(feature = "qemu")]
mod firmware;

use amt_hello::{Frame, Hello, HelloView, frame};

#[cfg(target_os = "linux")]
#[link(name = "c")]
unsafe extern "C" {
    fn _exit(status: i32) -> !;
}

#[cfg(target_os = "linux")]
fn exit(status: i32) -> ! {
    // SAFETY: libc's `_exit` takes any status and ends the process without touching Rust state.
    unsafe { _exit(status) }
}

#[cfg(not(any(target_os = "linux", feature = "qemu")))]
fn exit(_status: i32) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

#[cfg(not(feature = "qemu"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    exit(101)
}

/// The precompiled `core` refers to it even with `panic = "abort"` in unoptimised builds.
#[cfg(debug_assertions)]
#[unsafe(no_mangle)]
extern "C" fn rust_eh_personality() {}

const PSK: [u8; 32] = *b"\x01\x00\x02\x00\x00\x00\x00\x00\
    \x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\
    ABCD1234";

const PKI: [u8; 47] = *b"\x01\x00\x03\x00\x01\x00\x00\x00\
    \x4b\x52\x9b\x93\xd4\x13\x18\x1d\xe4\x87\x1c\x69\x7a\x6b\x7a\x2b\
    \x01\x01\x14\x21\x2f\x6f\x9e\x58\x2f\x64\xdf\x9b\xc0\x5c\xd8\xb8\x2e\x6c\xe1\x29\x90\x43\xf2";

fn round_trip(bytes: &[u8]) -> Option<()> {
    let view = HelloView::parse(bytes).ok()?;
    let hello: Hello = Hello::try_from(&view).ok()?;
    let mut out = [0u8; 64];
    let len = hello.encode_into(&mut out).ok()?;
    (out.get(..len)? == bytes).then_some(())?;
    match frame(bytes.get(..bytes.len() - 1)?).ok()? {
        Frame::Incomplete { .. } => Some(()),
        Frame::Complete(_) => None,
    }
}

fn check() -> Option<()> {
    round_trip(&PSK)?;
    round_trip(&PKI)?;
    let mut bad = PSK;
    bad[0] = 2;
    HelloView::parse(&bad).is_err().then_some(())?;
    #[cfg(feature = "schedule")]
    {
        // The spec's 24-hour schedule: 39 attempts, the last at 23 h carrying retry count 14.
        let last = amt_hello::RetrySchedule::first_window().attempts().last()?;
        (last.number == 38 && last.at.as_secs() == 23 * 3600 && last.retry_count == 14)
            .then_some(())?;
    }
    Some(())
}

// The kernel enters `_start` with a 16-byte aligned stack and no return address; Rust code
// expects the alignment a `call` leaves. Align and call into Rust.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
core::arch::global_asm!(
    ".globl _start",
    "_start:",
    "xor ebp, ebp",
    "and rsp, -16",
    "call {main}",
    main = sym main,
);

#[cfg(not(feature = "qemu"))]
extern "C" fn main() -> ! {
    exit(if check().is_some() { 0 } else { 1 })
}

/// Bare metal: the reset handler would call this.
#[cfg(not(any(target_os = "linux", feature = "qemu")))]
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    main()
}
