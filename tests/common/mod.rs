//! Support for the integration tests (and the benches): the library's hex decoder and one loader for the
//! shared vectors and real captures copied into `tests/data/`.
#![allow(dead_code)] // each test binary uses a different part

use serde_json::Value;

/// The data directory inside the package.
pub const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// Bytes from a hex string, through the library's decoder; whitespace is ignored. Panics,
/// naming the text, on anything else.
pub fn hex(text: &str) -> Vec<u8> {
    let digits: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut bytes = vec![0; digits.len() / 2];
    amt_hello::hex::decode(&digits, &mut bytes).unwrap_or_else(|e| panic!("{e} in {text:?}"));
    bytes
}

/// A JSON file under `tests/data/`.
pub fn json(path: &str) -> Value {
    let path = format!("{DATA}/{path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One shared test vector: its name, its bytes and the whole JSON entry.
pub struct Vector {
    pub name: String,
    pub bytes: Vec<u8>,
    pub json: Value,
}

/// The vector file, parsed once per test binary (parsing it is slow under Miri).
fn vector_file() -> &'static Value {
    static FILE: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    FILE.get_or_init(|| json("hello-vectors.json"))
}

/// The vectors of one section of `hello-vectors.json`: `"valid"` or `"invalid"`.
pub fn vectors(section: &str) -> Vec<Vector> {
    let all = vector_file();
    let entries = all[section]
        .as_array()
        .unwrap_or_else(|| panic!("no section {section}"));
    entries
        .iter()
        .map(|v| Vector {
            name: v["name"].as_str().unwrap().to_string(),
            bytes: hex(v["hex"].as_str().unwrap()),
            json: v.clone(),
        })
        .collect()
}

/// The bytes of the vector (valid or invalid) called `name`.
pub fn vector(name: &str) -> Vec<u8> {
    let all = vector_file();
    let entries = ["valid", "invalid"]
        .into_iter()
        .flat_map(|s| all[s].as_array().unwrap());
    let found = entries.into_iter().find(|v| v["name"] == name);
    hex(found.unwrap_or_else(|| panic!("no vector {name}"))["hex"]
        .as_str()
        .unwrap())
}

/// The real device captures: file name, bytes, and the expected fields from `expected.json`.
pub fn captures() -> Vec<(String, Vec<u8>, Value)> {
    let expected = json("real/expected.json");
    expected
        .as_object()
        .unwrap()
        .iter()
        .map(|(file, expect)| {
            let path = format!("{DATA}/real/{file}");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            (file.clone(), hex(&text), expect.clone())
        })
        .collect()
}

/// The first real capture: 23 SHA-256 hashes, 807 bytes.
pub fn pki23() -> Vec<u8> {
    let (_, bytes, _) = captures()
        .into_iter()
        .find(|(file, _, _)| file == "meshcentral-pki-v3-1.hex")
        .unwrap();
    assert_eq!(bytes.len(), 807);
    bytes
}

/// The DER bytes of each certificate in a PEM file under `tests/data/`.
pub fn certificates(path: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read(format!("{DATA}/{path}")).unwrap();
    pem::parse_many(text)
        .unwrap()
        .into_iter()
        .map(|p| p.into_contents())
        .collect()
}

/// The fingerprints of the last certificate of a PEM file under `tests/data/` (a chain's root).
pub fn fingerprints(path: &str) -> amt_hello::trust::Fingerprints {
    amt_hello::trust::Fingerprints::of_der(certificates(path).last().unwrap())
}

/// A PKI Hello listing these (algorithm, root) entries, encoded.
pub fn pki(entries: &[(amt_hello::HashAlgorithm, &amt_hello::trust::Fingerprints)]) -> Vec<u8> {
    use amt_hello::trust::RootFingerprints;
    let mut hello: amt_hello::Hello = amt_hello::Hello::EMPTY;
    if let amt_hello::Payload::Pki(hashes) = &mut hello.payload {
        for (algorithm, root) in entries {
            let digest = root.fingerprint(*algorithm).unwrap();
            hashes
                .push(amt_hello::CertHash::new(*algorithm, digest).unwrap())
                .unwrap();
        }
    }
    let mut buf = vec![0u8; hello.encoded_len()];
    hello.encode_into(&mut buf).unwrap();
    buf
}
