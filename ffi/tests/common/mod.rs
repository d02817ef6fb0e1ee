//! The shared data for the ffi crate's tests and bench: tests/data at the repository root.
#![allow(dead_code)]

use std::path::PathBuf;

/// A file under tests/data.
pub fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(path)
}

/// Bytes from hex (whitespace ignored), by the crate's own decoder.
pub fn hex(text: &str) -> Vec<u8> {
    let digits: String = text.split_whitespace().collect();
    let mut bytes = vec![0; digits.len() / 2];
    amt_hello::hex::decode(&digits, &mut bytes).unwrap();
    bytes
}

/// The shared vectors' JSON.
pub fn vectors() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(data("hello-vectors.json")).unwrap()).unwrap()
}

/// The real capture `meshcentral-pki-v3-N.hex`.
pub fn capture(n: usize) -> Vec<u8> {
    hex(&std::fs::read_to_string(data(&format!("real/meshcentral-pki-v3-{n}.hex"))).unwrap())
}
