//! A valid message fed to the framer in arbitrary pieces is complete exactly at its last byte.
#![no_main]

use amt_hello::{Frame, Needed, Policy, frame_with};
use amt_hello_fuzz::{arbitrary_hello, encode};
use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
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
});
