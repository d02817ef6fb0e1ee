//! Decoding then encoding gives back the input; a generated Hello encodes and decodes back equal.
#![no_main]

use amt_hello::{Hello, HelloView, Policy};
use amt_hello_fuzz::{CAPACITY, arbitrary_hello, encode};
use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
});
