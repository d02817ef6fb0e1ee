//! The `stream` target; its check is `amt_hello_fuzz::stream` (the stable corpus replay runs it too).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| amt_hello_fuzz::stream(data));
