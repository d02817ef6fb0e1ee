//! The fuzz targets' checks, one source for two callers: the cargo-fuzz targets in `fuzz/`
//! (through `fuzz/src/lib.rs`, which includes this file by path) and the stable replay of the
//! committed corpus, `tests/fuzz_corpus.rs`. Each function panics where its target would report
//! a crash. (Here, not in `fuzz/`, so that the published crate's tests still compile.) The
//! `capture` target's check needs the `amt-hello` command and lives in `fuzz/src/capture.rs`.
#![allow(dead_code)] // each includer uses a different part

use std::time::Duration;

use amt_hello::{
    Cadence, DecodeError, Frame, Hello, HelloView, Needed, Phase, Policy, RetrySchedule, frame_with,
};
use arbitrary::{Arbitrary, Unstructured};

/// The capacity the fuzz targets use for owned values.
pub const CAPACITY: usize = 64;

/// Any Hello this crate can encode: the crate's own generator (feature `arbitrary`).
pub fn arbitrary_hello(u: &mut Unstructured<'_>) -> arbitrary::Result<Hello<CAPACITY>> {
    Hello::arbitrary(u)
}

/// Encodes a generated Hello, checking that `encoded_len` is what `encode_into` writes.
pub fn encode(hello: &Hello<CAPACITY>) -> Vec<u8> {
    let mut buf = vec![0u8; hello.encoded_len()];
    assert_eq!(hello.encode_into(&mut buf), Ok(buf.len()));
    buf
}

/// `decode`: arbitrary bytes; view parse, hash walk, owned decode and framing must agree,
/// strict and lenient.
pub fn decode(data: &[u8]) {
    decode_with(data, Policy::Strict);
    decode_with(data, Policy::Lenient);
}

fn decode_with(data: &[u8], policy: Policy) {
    let view = HelloView::parse_with(data, policy);
    let framed = frame_with(data, policy);
    let big = Hello::<255>::decode_with(data, policy);
    let small = Hello::<4>::decode_with(data, policy);
    match view {
        Ok(view) => {
            assert_eq!(view.encoded_len(), data.len());
            assert_eq!(view.cert_hashes().len(), view.cert_hashes().count());
            for hash in view.cert_hashes() {
                let len = hash.digest().as_bytes().len();
                assert!(hash.algorithm().digest_len().is_none_or(|l| l == len));
            }
            assert!(matches!(framed, Ok(Frame::Complete(f)) if f == view));
            // The owned values fail only for capacity, with exactly that error.
            for owned in [
                big.as_ref().map(|h| h.encoded_len()),
                small.as_ref().map(|h| h.encoded_len()),
            ] {
                match owned {
                    Ok(len) => assert_eq!(len, data.len()),
                    Err(DecodeError::TooManyHashes {
                        offset: 24, found, ..
                    }) => {
                        assert_eq!(usize::from(*found), view.cert_hashes().len())
                    }
                    Err(DecodeError::DigestTooLong {
                        found,
                        capacity: 64,
                        ..
                    }) => assert!(*found > 64),
                    Err(e) => panic!("owned decode failed where the view did not: {e}"),
                }
            }
        }
        Err(e) => {
            assert_eq!(big, Err(e));
            assert_eq!(small, Err(e));
            match (e, framed) {
                (
                    DecodeError::Truncated {
                        offset,
                        len,
                        needed,
                    },
                    Ok(Frame::Incomplete {
                        offset: o,
                        needed: n,
                    }),
                ) => {
                    assert_eq!((offset, needed, len), (o, n, data.len()));
                    assert!(needed.at_least() > data.len());
                }
                (DecodeError::TrailingBytes { offset, extra }, Ok(Frame::Complete(f))) => {
                    assert_eq!((f.encoded_len(), offset + extra), (offset, data.len()));
                }
                (e, Err(f)) => assert_eq!(e, f),
                (e, other) => panic!("parse said {e}, framing said {other:?}"),
            }
            let _ = e.to_string();
        }
    }
}

/// `lenient`: lenient accepts everything strict accepts, with the same fields; whatever
/// lenient accepts frames to the same length and re-encodes to the same bytes.
pub fn lenient(data: &[u8]) {
    let strict = HelloView::parse(data);
    let lenient = HelloView::parse_with(data, Policy::Lenient);
    if let Ok(strict) = strict {
        assert_eq!(lenient, Ok(strict));
    }
    if let Ok(view) = lenient {
        assert!(
            matches!(frame_with(data, Policy::Lenient), Ok(Frame::Complete(f)) if f.encoded_len() == data.len())
        );
        if let Ok(owned) = Hello::<255>::try_from(&view) {
            let mut out = vec![0u8; owned.encoded_len()];
            owned.encode_into(&mut out).unwrap();
            assert_eq!(out, data);
        } else {
            // Only a digest longer than an owned hash holds can stop the copy.
            assert!(view.cert_hashes().any(|h| h.digest().as_bytes().len() > 64));
        }
    } else {
        // Lenient never accepts less than strict: what it rejects, strict rejects too.
        assert!(strict.is_err());
    }
}

/// `roundtrip`: decoding then encoding gives back the input; a generated Hello encodes and
/// decodes back equal.
pub fn roundtrip(data: &[u8]) {
    // Byte-level: whatever parses re-encodes byte for byte.
    for policy in [Policy::Strict, Policy::Lenient] {
        if let Ok(hello) = Hello::<255>::decode_with(data, policy) {
            let mut out = vec![0u8; hello.encoded_len()];
            assert_eq!(hello.encode_into(&mut out), Ok(data.len()));
            assert_eq!(out, data);
        }
    }

    // Structure-aware: any encodable Hello survives the trip.
    let Ok(hello) = arbitrary_hello(&mut Unstructured::new(data)) else {
        return;
    };
    let bytes = encode(&hello);
    assert!(bytes.len() <= Hello::<CAPACITY>::MAX_LEN);
    assert_eq!(
        Hello::<CAPACITY>::decode_with(&bytes, Policy::Lenient),
        Ok(hello.clone())
    );
    let documented = hello.retry_count <= 14
        && hello.pid().is_none_or(|p| p.is_valid())
        && hello.cert_hashes().iter().all(|h| h.algorithm().is_known());
    assert_eq!(HelloView::parse(&bytes).is_ok(), documented);
    // A buffer one byte short is refused, not overrun.
    let mut short = vec![0u8; bytes.len() - 1];
    assert!(hello.encode_into(&mut short).is_err());
}

/// `stream`: a valid message fed to the framer in arbitrary pieces is complete exactly at its
/// last byte.
pub fn stream(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(hello) = arbitrary_hello(&mut u) else {
        return;
    };
    let bytes = encode(&hello);
    let mut received = 0;
    while received < bytes.len() {
        let piece = u
            .int_in_range(1..=bytes.len() - received)
            .unwrap_or(bytes.len() - received);
        received += piece;
        match frame_with(&bytes[..received], Policy::Lenient).unwrap() {
            Frame::Complete(view) => {
                assert_eq!(received, bytes.len(), "complete too early");
                assert_eq!(view.encoded_len(), bytes.len());
            }
            Frame::Incomplete { offset, needed } => {
                assert!(received < bytes.len(), "incomplete at the last byte");
                assert!(offset <= received);
                assert!(needed.at_least() > received && needed.at_least() <= bytes.len());
                if let Needed::Exactly(n) = needed {
                    assert_eq!(n, bytes.len());
                }
            }
        }
    }
    // Bytes after the message never change where it ends.
    let mut more = bytes.clone();
    more.extend_from_slice(u.take_rest());
    assert!(
        matches!(frame_with(&more, Policy::Lenient), Ok(Frame::Complete(v)) if v.encoded_len() == bytes.len())
    );
}

/// `schedule`: arbitrary cadences and windows; the constructors accept or refuse without
/// panicking; the iterator terminates, is monotone, stays inside the window and agrees with
/// the lookups.
pub fn schedule(data: &[u8]) {
    let _ = schedule_from(&mut Unstructured::new(data));
}

fn duration(u: &mut Unstructured<'_>) -> arbitrary::Result<Duration> {
    Ok(match u.int_in_range(0..=3)? {
        0 => Duration::from_secs(u.int_in_range(0..=7200)?),
        1 => Duration::from_secs(u.int_in_range(0..=256 * 3600)?),
        2 => Duration::new(u.arbitrary()?, u.int_in_range(0..=999_999_999)?),
        _ => Duration::from_secs(60 * u.int_in_range(0..=300)?),
    })
}

fn schedule_from(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let mut phases = Vec::new();
    for _ in 0..u.int_in_range(0..=8)? {
        phases.push(Phase::new(duration(u)?, duration(u)?));
    }
    let Ok(cadence) = Cadence::new(&phases, duration(u)?) else {
        return Ok(());
    };
    let Ok(schedule) = RetrySchedule::new(cadence, duration(u)?) else {
        return Ok(());
    };

    let total = schedule.attempt_count();
    let scan_all = total <= 20_000;
    let mut previous: Option<amt_hello::Attempt> = None;
    let mut seen = 0u32;
    for a in schedule.attempts().take(20_000) {
        assert_eq!(a.number, seen);
        assert!(a.at < schedule.window());
        assert_eq!(a.retry_count, a.number.min(14));
        assert_eq!(a.is_last, a.number + 1 == total);
        if let Some(p) = previous {
            assert!(p.at < a.at);
            assert_eq!(a.delay, a.at - p.at);
        }
        if seen < 64 {
            assert_eq!(schedule.attempt(seen), Some(a));
        }
        previous = Some(a);
        seen += 1;
    }
    if scan_all {
        assert_eq!(seen, total);
        let elapsed = duration(u)?;
        let brute = schedule.attempts().take_while(|a| a.at <= elapsed).last();
        assert_eq!(schedule.attempt_at(elapsed), brute);
        assert_eq!(
            schedule.next_after(elapsed),
            schedule.attempts().find(|a| a.at > elapsed)
        );
        let rc = u.int_in_range(0..=20)?;
        let brute = schedule
            .attempts()
            .find(|a| a.retry_count == rc.min(14))
            .map(|a| a.at);
        assert_eq!(schedule.earliest_send_time(rc), brute);
    }
    Ok(())
}

/// A fuzz target's check of one input.
pub type Check = fn(&[u8]);

/// Each codec target's check, by the target's name (the `capture` target's is the command's).
pub const TARGETS: [(&str, Check); 5] = [
    ("decode", decode),
    ("roundtrip", roundtrip),
    ("lenient", lenient),
    ("stream", stream),
    ("schedule", schedule),
];
