//! The QEMU firmware: every shared vector and real capture through the view, `decode`,
//! `decode_in_place`, `encode_into` and `frame`; the default retry schedules; and the stack
//! high-water mark of each entry point. Exits 0 only if every check passed.
//!
//! Stack measurement: paint the free stack below the current frame with a pattern (from
//! cortex-m-rt's `__sheap`, the end of static data, up to just under the stack pointer), run the
//! entry point, and find the deepest word that changed.

use core::fmt::Write as _;
use core::hint::black_box;
use core::mem::size_of;

use amt_hello::{DecodeError, Frame, Hello, HelloView, Policy, RetrySchedule, frame, frame_with};
use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hio};

struct Valid {
    name: &'static str,
    bytes: &'static [u8],
    hashes: usize,
}

struct Invalid {
    name: &'static str,
    bytes: &'static [u8],
    kind: &'static str,
    offset: usize,
    lenient_ok: bool,
}

include!(concat!(env!("OUT_DIR"), "/vectors.rs"));

/// The capacity measured: the default, the largest documented device table.
type Owned = Hello<33>;

const PAINT: u32 = 0xa5a5_a5a5;
/// Bytes below the stack pointer left unpainted for `measure`'s own calls.
const GUARD: usize = 64;

unsafe extern "C" {
    static __sheap: u32;
}

/// The stack `f` used below this function's frame, in bytes, and what `f` returned.
#[inline(never)]
fn measure(f: &mut dyn FnMut() -> bool) -> (usize, bool) {
    // Only the symbol's address is taken, never its value (which needs no `unsafe`): the
    // linker script of cortex-m-rt puts `__sheap` at the end of static data.
    let floor = core::ptr::addr_of!(__sheap) as usize;
    let top = (cortex_m::register::msp::read() as usize).saturating_sub(GUARD) & !3;
    // SAFETY: [floor, top) is the free stack between the end of static data and this frame:
    // nothing lives there now, and only this function reads the pattern back.
    unsafe {
        let mut word = floor as *mut u32;
        while (word as usize) < top {
            word.write_volatile(PAINT);
            word = word.add(1);
        }
    }
    let ok = f();
    let mut deepest = floor;
    // SAFETY: the same words, read back; all are aligned and inside RAM.
    while deepest < top && unsafe { (deepest as *const u32).read_volatile() } == PAINT {
        deepest += 4;
    }
    (top + GUARD - deepest, ok)
}

/// A valid message: every path agrees, re-encodes byte for byte, and frames at its last byte.
fn check_valid(v: &Valid, kept: &mut Owned, out: &mut [u8]) -> bool {
    let Ok(view) = HelloView::parse(v.bytes) else {
        return false;
    };
    let fits = v.hashes <= 33;
    let decoded = Owned::decode(v.bytes);
    let in_place = kept.decode_in_place(v.bytes);
    if view.cert_hashes().len() != v.hashes || decoded.is_ok() != fits || in_place.is_ok() != fits {
        return false;
    }
    if let Ok(owned) = &decoded {
        let len = owned.encode_into(out);
        if owned != kept || len != Ok(v.bytes.len()) || out.get(..v.bytes.len()) != Some(v.bytes) {
            return false;
        }
    }
    let prefixes_incomplete = (0..v.bytes.len())
        .all(|cut| matches!(frame(&v.bytes[..cut]), Ok(Frame::Incomplete { .. })));
    prefixes_incomplete
        && matches!(frame(v.bytes), Ok(Frame::Complete(f)) if f.encoded_len() == v.bytes.len())
}

/// An invalid message: the expected error kind and offset, and the expected lenient verdict.
fn check_invalid(v: &Invalid, kept: &mut Owned) -> bool {
    let before = kept.clone();
    let Err(error) = HelloView::parse(v.bytes) else {
        return false;
    };
    let unchanged = kept.decode_in_place(v.bytes) == Err(error) && *kept == before;
    let lenient = HelloView::parse_with(v.bytes, Policy::Lenient).is_ok();
    let framed = frame_with(v.bytes, Policy::Strict);
    unchanged
        && error.kind() == v.kind
        && error.offset() == v.offset
        && lenient == v.lenient_ok
        && framed.is_ok()
            == matches!(
                error,
                DecodeError::Truncated { .. } | DecodeError::TrailingBytes { .. }
            )
}

fn schedules_match_the_model() -> bool {
    let first = RetrySchedule::first_window();
    let last = first.attempts().last();
    let reopened = RetrySchedule::reopened_window().attempts().count();
    first.attempts().len() == 39
        && last.is_some_and(|a| a.at.as_secs() == 23 * 3600 && a.retry_count == 14)
        && reopened == 21
}

#[entry]
fn main() -> ! {
    let mut stdout = hio::hstdout().ok();
    let mut say = |args: core::fmt::Arguments<'_>| {
        if let Some(out) = stdout.as_mut() {
            let _ = out.write_fmt(args);
        }
    };
    let mut kept = Owned::EMPTY;
    let mut out = [0u8; Hello::<255>::MAX_LEN];
    let mut failures = 0;

    for v in VALID {
        if !check_valid(v, &mut kept, &mut out) {
            say(format_args!("FAIL valid {}\n", v.name));
            failures += 1;
        }
    }
    for v in INVALID {
        if !check_invalid(v, &mut kept) {
            say(format_args!("FAIL invalid {}\n", v.name));
            failures += 1;
        }
    }
    if crate::check().is_none() || !schedules_match_the_model() {
        say(format_args!("FAIL schedule\n"));
        failures += 1;
    }
    say(format_args!(
        "checked {} valid, {} invalid vectors and the schedules: {} failures\n",
        VALID.len(),
        INVALID.len(),
        failures
    ));

    // Stack high-water marks on a 33-hash SHA-256 Hello.
    say(format_args!(
        "size_of::<Hello<33>>() = {} bytes\n",
        size_of::<Owned>()
    ));
    let mut report = |name: &str, (bytes, ok): (usize, bool)| {
        say(format_args!(
            "stack {name}: {bytes} bytes{}\n",
            if ok { "" } else { " FAILED" }
        ));
        if !ok {
            failures += 1;
        }
    };
    report(
        "HelloView::parse + walk 33 hashes",
        measure(&mut || {
            HelloView::parse(black_box(PKI33)).is_ok_and(|v| {
                v.cert_hashes()
                    .map(|h| h.digest().as_bytes().len())
                    .sum::<usize>()
                    == 33 * 32
            })
        }),
    );
    report(
        "Hello::<33>::decode",
        measure(&mut || {
            let decoded = Owned::decode(black_box(PKI33));
            black_box(&decoded).is_ok()
        }),
    );
    report(
        "Hello::<33>::decode_in_place",
        measure(&mut || {
            black_box(&mut kept)
                .decode_in_place(black_box(PKI33))
                .is_ok()
        }),
    );
    report(
        "Hello::<33>::encode_into",
        measure(&mut || black_box(&kept).encode_into(black_box(&mut out)) == Ok(PKI33.len())),
    );
    report(
        "frame, every prefix",
        measure(&mut || (0..=PKI33.len()).all(|cut| frame(black_box(&PKI33[..cut])).is_ok())),
    );
    report(
        "RetrySchedule::first_window().attempts()",
        measure(&mut || black_box(RetrySchedule::first_window()).attempts().count() == 39),
    );

    debug::exit(if failures == 0 {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {
        cortex_m::asm::bkpt();
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    if let Ok(mut out) = hio::hstdout() {
        let _ = writeln!(out, "panic: {info}");
    }
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
