//! The shared data for the ffi crate's tests and bench: tests/data at the repository root.
#![allow(dead_code)]

use std::path::PathBuf;

/// A file under tests/data.
pub fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(path)
}

/// Bytes from hex (whitespace ignored).
pub fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

/// The shared vectors' JSON.
pub fn vectors() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(data("hello-vectors.json")).unwrap()).unwrap()
}

/// The real capture `meshcentral-pki-v3-N.hex`.
pub fn capture(n: usize) -> Vec<u8> {
    hex(&std::fs::read_to_string(data(&format!("real/meshcentral-pki-v3-{n}.hex"))).unwrap())
}
