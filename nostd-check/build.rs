//! Link settings per target, and (for the QEMU firmware) the shared vectors as Rust statics.
//!
//! On Linux: link without the C runtime's start files, since `_start` is ours. (build.rs, not
//! .cargo/config.toml, because cargo looks the config up from the working directory.)
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-nostartfiles");
    }
    if std::env::var_os("CARGO_FEATURE_QEMU").is_some() {
        // lm3s6965evb: 256 KiB flash, 64 KiB RAM; cortex-m-rt's link.x includes memory.x.
        std::fs::write(
            out.join("memory.x"),
            "MEMORY { FLASH : ORIGIN = 0x00000000, LENGTH = 256K\n RAM : ORIGIN = 0x20000000, LENGTH = 64K }\n",
        )
        .unwrap();
        println!("cargo:rustc-link-search={}", out.display());
        println!("cargo:rustc-link-arg-bins=-Tlink.x");
        std::fs::write(out.join("vectors.rs"), vectors()).unwrap();
    }
}

fn hex(text: &str) -> Vec<u8> {
    let digits: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut bytes = vec![0; digits.len() / 2];
    amt_hello::hex::decode(&digits, &mut bytes).unwrap();
    bytes
}

/// The shared vectors and real captures (the copies in ../tests/data) as Rust statics.
fn vectors() -> String {
    let data = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../tests/data");
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
