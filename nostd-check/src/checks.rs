//! The firmware checks, one source for both cores that run them under QEMU: the Cortex-M3
//! (`firmware.rs`) and the 32-bit x86 486 (`../i486/`, which includes this file by path). Every
//! shared vector and real capture through the view, `decode`, `decode_in_place`, `encode_into`
//! and `frame`; the default retry schedules; and the stack high-water mark of each entry point,
//! with the budgets of the two that firmware calls per message. A [`Board`] gives the output, the
//! free stack and the stack pointer.
//!
//! Output: a `FAIL ...` line per failed check, then `OK <n> checks` (or `FAILED <f> of <n>
//! checks`), then `STACK <entry point> <bytes>` per entry point; `run` returns the failures.
//!
//! Stack measurement: paint the free stack below the current frame with a pattern (from the
//! board's floor up to just under the stack pointer), run the entry point, and find the deepest
//! word that changed.

use core::hint::black_box;

use amt_hello::{DecodeError, Frame, Hello, HelloView, Policy, RetrySchedule, frame, frame_with};

/// What the checks need from the machine they run on.
pub trait Board {
    /// Writes to the console (semihosting, a serial port).
    fn say(&mut self, args: core::fmt::Arguments<'_>);
    /// The lowest address of the free stack (the end of static data, or the stack's bottom).
    fn stack_floor(&self) -> usize;
    /// The stack pointer now.
    fn stack_pointer(&self) -> usize;
}

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

/// A board's own check: its name, and the check.
pub type Extra = (&'static str, fn() -> bool);

/// The capacity measured: the default, the largest documented device table.
type Owned = Hello<33>;

/// Stack budgets, in bytes, of what firmware runs per Hello: the view walking 33 hashes, and
/// decoding into a kept `Hello<33>`.
const VIEW_BUDGET: usize = 256;
const IN_PLACE_BUDGET: usize = 512;

const PAINT: u32 = 0xa5a5_a5a5;
/// Bytes below the stack pointer left unpainted for `measure`'s own calls.
const GUARD: usize = 64;

/// The stack `f` used below this function's frame, in bytes, and what `f` returned.
#[inline(never)]
fn measure(board: &dyn Board, f: &mut dyn FnMut() -> bool) -> (usize, bool) {
    let floor = (board.stack_floor() + 3) & !3;
    let top = board.stack_pointer().saturating_sub(GUARD) & !3;
    // SAFETY: [floor, top) is the free stack between the board's floor and this frame: nothing
    // lives there now, and only this function reads the pattern back.
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
fn check_invalid(v: &Invalid, kept: &mut Owned) -> Result<(), Option<DecodeError>> {
    let before = kept.clone();
    let Err(error) = HelloView::parse(v.bytes) else {
        return Err(None);
    };
    let unchanged = kept.decode_in_place(v.bytes) == Err(error) && *kept == before;
    let lenient = HelloView::parse_with(v.bytes, Policy::Lenient).is_ok();
    let framed = frame_with(v.bytes, Policy::Strict);
    let ok = unchanged
        && error.kind() == v.kind
        && error.offset() == v.offset
        && lenient == v.lenient_ok
        && framed.is_ok()
            == matches!(
                error,
                DecodeError::Truncated { .. } | DecodeError::TrailingBytes { .. }
            );
    if ok { Ok(()) } else { Err(Some(error)) }
}

/// Both default schedules as the model has them: 39 attempts in the first window (the last at
/// 23 h carrying retry count 14), 21 in a reopened one.
fn schedules_match_the_model() -> bool {
    let first = RetrySchedule::first_window();
    let last = first.attempts().last();
    let reopened = RetrySchedule::reopened_window().attempts().count();
    first.attempts().len() == 39
        && last.is_some_and(|a| a.at.as_secs() == 23 * 3600 && a.retry_count == 14)
        && reopened == 21
}

/// Runs every check, and the board's `extra` ones, and reports; returns the failures.
pub fn run(board: &mut dyn Board, extra: &[Extra]) -> usize {
    let mut kept = Owned::EMPTY;
    let mut out = [0u8; Hello::<255>::MAX_LEN];
    let mut checks = 0;
    let mut failures = 0;
    let mut check = |board: &mut dyn Board, ok: bool, what: core::fmt::Arguments<'_>| {
        checks += 1;
        if !ok {
            failures += 1;
            board.say(format_args!("FAIL {what}\n"));
        }
    };

    for v in VALID {
        let ok = check_valid(v, &mut kept, &mut out);
        check(board, ok, format_args!("valid {}", v.name));
    }
    for v in INVALID {
        match check_invalid(v, &mut kept) {
            Ok(()) => check(board, true, format_args!("")),
            Err(None) => check(board, false, format_args!("invalid {}: accepted", v.name)),
            Err(Some(e)) => check(
                board,
                false,
                format_args!(
                    "invalid {}: {} at {}, expected {} at {}",
                    v.name,
                    e.kind(),
                    e.offset(),
                    v.kind,
                    v.offset
                ),
            ),
        }
    }
    check(
        board,
        schedules_match_the_model(),
        format_args!("the default retry schedules"),
    );
    for (name, f) in extra {
        check(board, f(), format_args!("{name}"));
    }

    // Stack high-water marks on a 33-hash SHA-256 Hello.
    let view = measure(board, &mut || {
        HelloView::parse(black_box(PKI33)).is_ok_and(|v| {
            v.cert_hashes()
                .map(|h| h.digest().as_bytes().len())
                .sum::<usize>()
                == 33 * 32
        })
    });
    let decode = measure(board, &mut || {
        let decoded = Owned::decode(black_box(PKI33));
        black_box(&decoded).is_ok()
    });
    let in_place = measure(board, &mut || {
        black_box(&mut kept)
            .decode_in_place(black_box(PKI33))
            .is_ok()
    });
    let encode = measure(board, &mut || {
        black_box(&kept).encode_into(black_box(&mut out)) == Ok(PKI33.len())
    });
    let framing = measure(board, &mut || {
        (0..=PKI33.len()).all(|cut| frame(black_box(&PKI33[..cut])).is_ok())
    });
    let schedule = measure(board, &mut || {
        black_box(RetrySchedule::first_window()).attempts().count() == 39
    });
    let stacks = [
        ("view", view, VIEW_BUDGET),
        ("decode", decode, usize::MAX),
        ("inplace", in_place, IN_PLACE_BUDGET),
        ("encode", encode, usize::MAX),
        ("frame", framing, usize::MAX),
        ("schedule", schedule, usize::MAX),
    ];
    for (name, (bytes, ok), budget) in stacks {
        check(board, ok, format_args!("{name} on the 33-hash Hello"));
        if budget != usize::MAX {
            check(
                board,
                bytes <= budget,
                format_args!("stack {name}: {bytes} bytes, over the budget of {budget}"),
            );
        }
    }

    if failures == 0 {
        board.say(format_args!("OK {checks} checks\n"));
    } else {
        board.say(format_args!("FAILED {failures} of {checks} checks\n"));
    }
    board.say(format_args!(
        "VECTORS {} valid, {} invalid; size_of::<Hello<33>>() = {} bytes\n",
        VALID.len(),
        INVALID.len(),
        core::mem::size_of::<Owned>()
    ));
    for (name, (bytes, _), _) in stacks {
        board.say(format_args!("STACK {name} {bytes}\n"));
    }
    failures
}
