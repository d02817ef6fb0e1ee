//! Property tests: round trips, no panics on any bytes, and framing of every prefix.

use amt_hello::{
    CertHash, DecodeError, Frame, HashAlgorithm, Hello, HelloView, Needed, Pid, Policy, Uuid,
    frame_with,
};
use arbitrary::Unstructured;
use proptest::prelude::*;

const CASES: u32 = 2048;

/// Hellos from the crate's own generator (feature `arbitrary`): ones `policy` accepts.
fn hello(policy: Policy) -> impl Strategy<Value = Hello<64>> {
    prop::collection::vec(any::<u8>(), 0..4096).prop_map(move |raw| {
        Hello::arbitrary_accepted_by(&mut Unstructured::new(&raw), policy).unwrap()
    })
}

fn encode(hello: &Hello<64>) -> Vec<u8> {
    let mut buf = vec![0u8; hello.encoded_len()];
    assert_eq!(hello.encode_into(&mut buf), Ok(buf.len()));
    buf
}

/// Parse, owned decode and framing must agree on any input.
fn check_agreement(bytes: &[u8], policy: Policy) {
    let view = HelloView::parse_with(bytes, policy);
    let owned = Hello::<255>::decode_with(bytes, policy);
    let framed = frame_with(bytes, policy);
    match &view {
        Ok(v) => {
            assert_eq!(v.encoded_len(), bytes.len());
            assert_eq!(v.cert_hashes().count(), v.cert_hashes().len());
            // The owned value refuses exactly the digests longer than it holds (lenient only).
            let too_long = v
                .cert_hashes()
                .any(|h| h.digest().as_bytes().len() > HashAlgorithm::MAX_DIGEST_LEN);
            match owned {
                Err(DecodeError::DigestTooLong { .. }) => assert!(too_long),
                owned => {
                    assert!(!too_long);
                    assert_eq!(owned.unwrap().encoded_len(), bytes.len());
                }
            }
            assert!(matches!(framed, Ok(Frame::Complete(f)) if f == *v));
        }
        Err(DecodeError::Truncated {
            offset,
            len,
            needed,
        }) => {
            assert_eq!(*len, bytes.len());
            assert!(*offset <= bytes.len());
            assert!(needed.at_least() > bytes.len());
            assert_eq!(
                framed,
                Ok(Frame::Incomplete {
                    offset: *offset,
                    needed: *needed
                })
            );
            assert_eq!(owned, Err(view.unwrap_err()));
        }
        Err(DecodeError::TrailingBytes { offset, extra }) => {
            assert_eq!(offset + extra, bytes.len());
            assert!(matches!(framed, Ok(Frame::Complete(f)) if f.encoded_len() == *offset));
            assert_eq!(owned, Err(view.unwrap_err()));
        }
        Err(e) => {
            assert!(e.offset() < bytes.len(), "{e}");
            assert_eq!(framed, Err(*e));
            assert_eq!(owned, Err(*e));
            assert!(!e.to_string().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn strict_hellos_round_trip(hello in hello(Policy::Strict)) {
        let bytes = encode(&hello);
        prop_assert_eq!(Hello::<64>::decode(&bytes), Ok(hello.clone()));
        let view = HelloView::parse(&bytes).unwrap();
        prop_assert_eq!(view.retry_count(), hello.retry_count);
        prop_assert_eq!(view.uuid(), hello.uuid);
        prop_assert_eq!(view.pid(), hello.pid());
        prop_assert!(view.cert_hashes().eq(hello.cert_hashes().iter().map(CertHash::as_view)));
    }

    #[test]
    fn any_encodable_hello_round_trips_leniently(hello in hello(Policy::Lenient)) {
        let bytes = encode(&hello);
        prop_assert!(bytes.len() <= Hello::<64>::MAX_LEN);
        prop_assert_eq!(Hello::<64>::decode_with(&bytes, Policy::Lenient), Ok(hello.clone()));
        // Strict accepts it exactly when every field is documented.
        let documented = hello.retry_count <= 14
            && hello.pid().is_none_or(|p| p.is_valid())
            && hello.cert_hashes().iter().all(|h| h.algorithm().is_known());
        prop_assert_eq!(HelloView::parse(&bytes).is_ok(), documented);
    }

    #[test]
    fn encode_into_refuses_short_buffers(hello in hello(Policy::Lenient), cut in 1usize..64) {
        let mut buf = vec![0u8; hello.encoded_len().saturating_sub(cut)];
        let err = hello.encode_into(&mut buf).unwrap_err();
        prop_assert_eq!(err.to_string().is_empty(), false);
    }

    #[test]
    fn every_strict_prefix_is_incomplete(hello in hello(Policy::Strict)) {
        let bytes = encode(&hello);
        for cut in 0..bytes.len() {
            let prefix = &bytes[..cut];
            let Ok(Frame::Incomplete { offset, needed }) = frame_with(prefix, Policy::Strict) else {
                panic!("prefix of {cut} bytes not incomplete");
            };
            prop_assert!(offset <= cut);
            prop_assert!(needed.at_least() > cut && needed.at_least() <= bytes.len());
            if let Needed::Exactly(n) = needed {
                prop_assert_eq!(n, bytes.len());
            }
            prop_assert_eq!(
                HelloView::parse(prefix),
                Err(DecodeError::Truncated { offset, len: cut, needed })
            );
        }
        let complete = frame_with(&bytes, Policy::Strict);
        prop_assert!(matches!(complete, Ok(Frame::Complete(v)) if v.encoded_len() == bytes.len()));
    }

    #[test]
    fn decode_in_place_over_any_hello_equals_a_fresh_decode(
        old in hello(Policy::Lenient),
        new in hello(Policy::Lenient),
    ) {
        let bytes = encode(&new);
        let mut value = old.clone();
        value.decode_in_place_with(&bytes, Policy::Lenient).unwrap();
        prop_assert_eq!(&value, &new);
        // Strict: the same value, or an error that leaves the old one untouched.
        let mut value = old.clone();
        match value.decode_in_place(&bytes) {
            Ok(()) => prop_assert_eq!(&value, &new),
            Err(e) => {
                prop_assert_eq!(Hello::<64>::decode(&bytes), Err(e));
                prop_assert_eq!(&value, &old);
            }
        }
    }

    #[test]
    fn indexed_access_agrees_with_the_walk(hello in hello(Policy::Lenient), skip in 0usize..70) {
        let bytes = encode(&hello);
        let view = HelloView::parse_with(&bytes, Policy::Lenient).unwrap();
        let walked: Vec<_> = view.cert_hashes().collect();
        for (i, hash) in walked.iter().enumerate() {
            prop_assert_eq!(view.cert_hash(i), Some(*hash));
        }
        prop_assert_eq!(view.cert_hash(walked.len()), None);
        let mut rest = view.cert_hashes();
        prop_assert_eq!(rest.nth(skip), walked.get(skip).copied());
        prop_assert_eq!(rest.len(), walked.len().saturating_sub(skip + 1));
        prop_assert!(rest.eq(walked.iter().skip(skip + 1).copied()));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_agreement(&bytes, Policy::Strict);
        check_agreement(&bytes, Policy::Lenient);
    }

    #[test]
    fn mutated_hellos_never_panic(
        hello in hello(Policy::Lenient),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
        extra in prop::collection::vec(any::<u8>(), 0..3),
    ) {
        let mut bytes = encode(&hello);
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        check_agreement(&bytes, Policy::Strict);
        check_agreement(&bytes, Policy::Lenient);
        let keep = cut.index(bytes.len() + 1);
        bytes.truncate(keep);
        bytes.extend_from_slice(&extra);
        check_agreement(&bytes, Policy::Strict);
        check_agreement(&bytes, Policy::Lenient);
    }

    #[test]
    fn lenient_accepts_everything_strict_does(bytes in prop::collection::vec(any::<u8>(), 24..200)) {
        if let Ok(strict) = HelloView::parse(&bytes) {
            prop_assert_eq!(HelloView::parse_with(&bytes, Policy::Lenient), Ok(strict));
        }
    }

    #[test]
    fn text_forms_round_trip(raw in any::<[u8; 16]>(), pid in "[A-Z0-9]{8}") {
        let uuid = Uuid::from_bytes(raw);
        prop_assert_eq!(uuid.to_string().parse::<Uuid>(), Ok(uuid));
        prop_assert_eq!(uuid.to_string().to_uppercase().parse::<Uuid>(), Ok(uuid));
        let parsed: Pid = pid.parse().unwrap();
        prop_assert_eq!(parsed.to_string().parse::<Pid>(), Ok(parsed));
        prop_assert_eq!(&parsed.to_string().replace('-', ""), &pid);
    }

    #[test]
    fn text_parsers_never_panic(text in "\\PC{0,40}") {
        let _ = text.parse::<Uuid>();
        let _ = text.parse::<Pid>();
        let _ = text.parse::<HashAlgorithm>();
    }
}
