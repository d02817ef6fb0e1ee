//! Helpers shared by the examples (and, through `#[path]`, by the integration tests): hex input
//! and the JSON form of a decoded Hello. Examples may use std; the library does not.
#![allow(dead_code)]

use amt_hello::HelloView;
use serde_json::{Value, json};

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
            u8::from_str_radix(pair, 16).map_err(|_| format!("not a hex byte: {pair:?}"))
        })
        .collect()
}

/// The decoded Hello as one JSON object, with the keys of the shared test vectors.
pub fn hello_json(hello: &HelloView<'_>) -> Value {
    let hashes: Vec<Value> = hello
        .cert_hashes()
        .map(
            |h| json!({ "algorithm": h.algorithm().to_string(), "digest": h.digest().to_string() }),
        )
        .collect();
    json!({
        "len": hello.encoded_len(),
        "version": hello.version().to_wire(),
        "admin_credentials_set": hello.admin_credentials().is_set(),
        "retry_count": hello.retry_count(),
        "uuid": hello.uuid().to_string(),
        "uuid_raw": amt_hello::Digest::new(hello.uuid().as_bytes()).to_string(),
        "pid": hello.pid().map(|p| p.to_string()),
        "cert_hashes": hashes,
    })
}

/// The value after `--flag` in `args`, parsed; `Err` names the flag when it does not parse.
pub fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Result<Option<T>, String>
where
    T::Err: std::fmt::Display,
{
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => {
            let value = args.get(i + 1).ok_or(format!("{name} needs a value"))?;
            value
                .parse()
                .map(Some)
                .map_err(|e| format!("{name} {value}: {e}"))
        }
    }
}

/// Whether `--flag` is present.
pub fn switch(args: &[String], name: &str) -> bool {
    args.iter().any(|a| a == name)
}
