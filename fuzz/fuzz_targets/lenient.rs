//! Lenient accepts everything strict accepts, with the same fields; whatever lenient accepts
//! frames to the same length and re-encodes to the same bytes.
#![no_main]

use amt_hello::{Frame, Hello, HelloView, Policy, frame_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
});
