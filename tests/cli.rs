//! The example CLIs as a user runs them: the provisioning decision from `decode`, and clear
//! errors for bad certificate files. (These run the built example binaries; the library's own
//! tests, which mutation testing runs, are the other files.)

mod common;

use amt_hello::HashAlgorithm;
use amt_hello::trust::RootFingerprints;
use common::{fingerprints, pki};
use serde_json::Value;

fn decode(args: &[&str], stdin: &[u8]) -> (bool, Vec<Value>, String) {
    use std::io::Write;
    let mut child = common::example("decode")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    let lines = String::from_utf8(out.stdout).unwrap();
    let json = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.success(),
        json,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn decode_names_the_cas_and_the_activation_root() {
    let data = common::DATA;
    let capture = std::fs::read(format!("{data}/real/meshcentral-pki-v3-1.hex")).unwrap();
    let (ok, out, _) = decode(&["--ca-bundle", &format!("{data}/trust")], &capture);
    assert!(ok);
    let names: Vec<&Value> = out[0]["cert_hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["ca"])
        .collect();
    assert_eq!(names[1], "Go Daddy Root Certificate Authority - G2");
    assert_eq!(names[6], "Baltimore CyberTrust Root");
    assert_eq!(names[14], "DigiCert Global Root CA");
    assert_eq!(names.iter().filter(|n| n.is_null()).count(), 20);
    assert!(out[0].get("activation").is_none());

    // A device that trusts the provisioning chain's root by SHA-384.
    let root = fingerprints("trust/root.pem");
    let other = fingerprints("trust/ISRG_Root_X1.pem");
    let hello = pki(&[
        (HashAlgorithm::Sha1, &other),
        (HashAlgorithm::Sha384, &root),
    ]);
    let hex: String = hello.iter().map(|b| format!("{b:02x}")).collect();
    let chain = format!("{data}/trust/chain.pem");
    let (ok, out, _) = decode(&["--provisioning-chain", &chain, &hex], b"");
    assert!(ok);
    assert_eq!(
        out[0]["activation"],
        serde_json::json!({
            "root": "amt-hello Test Root CA",
            "algorithm": "sha384",
            "digest": Digest(root.fingerprint(HashAlgorithm::Sha384).unwrap()).to_string(),
            "index": 1,
        })
    );
    let (ok, out, _) = decode(&["--provisioning-chain", &chain], &capture);
    assert!(ok);
    assert_eq!(out[0]["activation"], Value::Null);
}

struct Digest<'a>(&'a [u8]);
impl std::fmt::Display for Digest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

#[test]
fn bad_certificate_files_are_errors_naming_the_path() {
    let dir = std::env::temp_dir().join(format!("amt-hello-trust-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let bad = dir.join("bad.pem");
    std::fs::write(
        &bad,
        "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let no_cert = dir.join("key-only.pem");
    std::fs::write(
        &no_cert,
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    let psk = "010002000000000000112233445566778899aabbccddeeff4142434431323334";
    for (flag, path) in [
        ("--ca-bundle", &bad),
        ("--ca-bundle", &dir.join("empty")),
        ("--ca-bundle", &dir.join("missing.pem")),
        ("--provisioning-chain", &no_cert),
    ] {
        let (ok, out, err) = decode(&[flag, path.to_str().unwrap(), psk], b"");
        assert!(!ok && out.is_empty(), "{flag} {}", path.display());
        assert!(err.contains(path.to_str().unwrap()), "{err}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn hex_input_errors_say_what_is_wrong() {
    let psk = "010002000000000000112233445566778899aabbccddeeff4142434431323334";
    // Whitespace anywhere is ignored; either case decodes.
    let spaced = format!(" {} \n{}", &psk[..10], psk[10..].to_uppercase());
    let (ok, json, _) = decode(&[&spaced], b"");
    assert!(ok);
    assert_eq!(json[0]["pid"], "ABCD-1234");
    let cases: [(&str, &str); 5] = [
        ("010", "error: odd number of hex digits (3)\n"),
        ("0g", "error: not a hex byte: \"0g\"\n"),
        // A sign is not a hex digit, though Rust's integer parser takes "+f".
        ("+f", "error: not a hex byte: \"+f\"\n"),
        // Pairs of bytes, not characters: a pair that splits a character is not text.
        ("0\u{e9}0", "error: non-ASCII input\n"),
        ("\u{e9}", "error: not a hex byte: \"\u{e9}\"\n"),
    ];
    for (input, message) in cases {
        let (ok, json, stderr) = decode(&[input], b"");
        assert!(!ok && json.is_empty(), "{input:?}");
        assert_eq!(stderr, message, "{input:?}");
    }
}
