//! The `capture` target; its check is `amt_hello_fuzz::capture::capture` (the stable corpus replay runs it too).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| amt_hello_fuzz::capture::capture(data));
