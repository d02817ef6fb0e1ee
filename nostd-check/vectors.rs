//! Build-script code shared by the firmwares' build.rs files (this one's and i486/'s): the shared
//! vectors and real captures (the copies in tests/data) as Rust statics, for `src/checks.rs`.
use std::fmt::Write as _;
use std::path::Path;

fn hex(text: &str) -> Vec<u8> {
    let digits: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut bytes = vec![0; digits.len() / 2];
    amt_hello::hex::decode(&digits, &mut bytes).unwrap();
    bytes
}

/// The vectors and real captures in `data` (the repository's tests/data) as Rust statics.
pub fn rust(data: &Path) -> String {
    println!("cargo:rerun-if-changed={}", data.display());
    let read = |p: &str| std::fs::read_to_string(data.join(p)).unwrap();
    let all: serde_json::Value = serde_json::from_str(&read("hello-vectors.json")).unwrap();
    let mut rs = String::from("static VALID: &[Valid] = &[\n");
    let mut valid: Vec<(String, Vec<u8>, usize)> = all["valid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let hashes = v["expect"]["cert_hashes"].as_array().unwrap().len();
            (
                v["name"].as_str().unwrap().into(),
                hex(v["hex"].as_str().unwrap()),
                hashes,
            )
        })
        .collect();
    let expected: serde_json::Value = serde_json::from_str(&read("real/expected.json")).unwrap();
    for (file, expect) in expected.as_object().unwrap() {
        let hashes = expect["cert_hashes"].as_array().unwrap().len();
        valid.push((file.clone(), hex(&read(&format!("real/{file}"))), hashes));
    }
    for (name, bytes, hashes) in valid {
        writeln!(
            rs,
            "    Valid {{ name: {name:?}, bytes: &{bytes:?}, hashes: {hashes} }},"
        )
        .unwrap();
    }
    rs.push_str("];\nstatic INVALID: &[Invalid] = &[\n");
    for v in all["invalid"].as_array().unwrap() {
        writeln!(
            rs,
            "    Invalid {{ name: {:?}, bytes: &{:?}, kind: {:?}, offset: {}, lenient_ok: {} }},",
            v["name"].as_str().unwrap(),
            hex(v["hex"].as_str().unwrap()),
            v["error"]["kind"].as_str().unwrap(),
            v["error"]["offset"].as_u64().unwrap(),
            v["lenient"] == "ok",
        )
        .unwrap();
    }
    rs.push_str("];\n");
    // A 33-entry SHA-256 Hello: the largest documented device table, the default capacity.
    let mut pki33 = vec![1, 0, 3, 0, 0, 0, 0, 0];
    pki33.extend((0..16).map(|i| i as u8));
    pki33.push(33);
    for i in 0..33u8 {
        pki33.extend([2, 32]);
        pki33.extend([i; 32]);
    }
    writeln!(rs, "static PKI33: &[u8] = &{pki33:?};").unwrap();
    rs
}
