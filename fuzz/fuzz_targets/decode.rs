//! Arbitrary bytes: view parse, hash walk, owned decode and framing must agree.
#![no_main]

use amt_hello::{DecodeError, Frame, Hello, HelloView, Policy, frame_with};
use libfuzzer_sys::fuzz_target;

fn check(data: &[u8], policy: Policy) {
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

fuzz_target!(|data: &[u8]| {
    check(data, Policy::Strict);
    check(data, Policy::Lenient);
});
