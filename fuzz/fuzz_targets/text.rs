//! The `text` target; its check is `amt_hello_fuzz::text` (the stable corpus replay runs it too).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| amt_hello_fuzz::text(data));
