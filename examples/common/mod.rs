//! Helpers shared by the examples: hex input, the JSON form of a decoded Hello, the SCA server
//! and the simulated device (which `tests/tcp.rs` also drives, as the code under test).
//! Examples may use std; the library does not.
#![allow(dead_code)]

use amt_hello::HelloView;
use serde_json::Value;

pub mod ca;
pub mod device;
pub mod sca;

/// Bytes from a hex string (whitespace ignored, either case).
pub fn hex_to_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).map_err(|_| "non-ASCII input".to_string())?;
            // Two hex digits exactly: `from_str_radix` alone would also take "+f".
            let byte = pair.bytes().all(|c| c.is_ascii_hexdigit());
            let byte = byte.then(|| u8::from_str_radix(pair, 16).ok()).flatten();
            byte.ok_or_else(|| format!("not a hex byte: {pair:?}"))
        })
        .collect()
}

/// The decoded Hello as one JSON object, with the keys of the shared test vectors: the crate's
/// own `Serialize` (feature `serde`).
pub fn hello_json(hello: &HelloView<'_>) -> Value {
    serde_json::to_value(hello).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }))
}

/// Raises this process's open-files limit to its hard limit, for servers and load clients that
/// hold thousands of sockets. Failing to raise it is not an error: the old limit stays.
pub fn raise_open_files_limit() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
}
