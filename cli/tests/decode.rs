//! `amt-hello decode` as a user runs it: its JSON and text reports, hex and file input and their
//! errors, and the provisioning decision with bad certificate files.

mod common;

use amt_hello::HashAlgorithm;
use amt_hello::trust::RootFingerprints;
use common::{DATA, PSK, fingerprints, pki, run, to_hex};
use serde_json::Value;

/// `amt-hello decode ARGS` with `stdin`: success, the JSON lines, stderr.
fn decode(args: &[&str], stdin: &[u8]) -> (bool, Vec<Value>, String) {
    let out = run(&[&["decode"], args].concat(), stdin);
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
    let capture = std::fs::read(format!("{DATA}/real/meshcentral-pki-v3-1.hex")).unwrap();
    let (ok, out, _) = decode(&["--ca-bundle", &format!("{DATA}/trust")], &capture);
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
    let chain = format!("{DATA}/trust/chain.pem");
    let (ok, out, _) = decode(&["--provisioning-chain", &chain, &to_hex(&hello)], b"");
    assert!(ok);
    assert_eq!(
        out[0]["activation"],
        serde_json::json!({
            "root": "amt-hello Test Root CA",
            "algorithm": "sha384",
            "digest": to_hex(root.fingerprint(HashAlgorithm::Sha384).unwrap()),
            "index": 1,
        })
    );
    let (ok, out, _) = decode(&["--provisioning-chain", &chain], &capture);
    assert!(ok);
    assert_eq!(out[0]["activation"], Value::Null);
}

#[test]
fn bad_certificate_files_are_errors_naming_the_path() {
    let dir = std::env::temp_dir().join(format!("amt-hello-cli-trust-{}", std::process::id()));
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
    for (flag, path) in [
        ("--ca-bundle", &bad),
        ("--ca-bundle", &dir.join("empty")),
        ("--ca-bundle", &dir.join("missing.pem")),
        ("--provisioning-chain", &no_cert),
    ] {
        for command in ["decode", "listen"] {
            let path_text = path.to_str().unwrap();
            let args = match command {
                "decode" => vec![command, flag, path_text, PSK],
                _ => vec![command, flag, path_text, "--listen", "127.0.0.1:0"],
            };
            let out = run(&args, b"");
            let err = String::from_utf8(out.stderr).unwrap();
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} {flag} {path:?}: {err}"
            );
            assert!(out.stdout.is_empty(), "{command} {flag} {}", path.display());
            assert!(err.contains(path.to_str().unwrap()), "{err}");
            assert_eq!(err.lines().count(), 1, "one line: {err}");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn hex_input_errors_say_what_is_wrong() {
    // Whitespace anywhere is ignored; either case decodes.
    let spaced = format!(" {} \n{}", &PSK[..10], PSK[10..].to_uppercase());
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

#[test]
fn decode_json_has_the_vector_keys() {
    let (ok, json, _) = decode(&[], format!("{PSK}\n\n").as_bytes());
    assert!(ok);
    let keys: Vec<&String> = json[0].as_object().unwrap().keys().collect();
    let expected = [
        "len",
        "version",
        "admin_credentials_set",
        "retry_count",
        "uuid",
        "uuid_raw",
        "pid",
        "cert_hashes",
    ];
    assert_eq!(keys, expected);
}

#[test]
fn decode_text_is_a_few_lines_for_people() {
    let out = run(&["decode", "--format", "text", PSK], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "PSK Hello (interface version 2), 32 bytes\n\
         \x20 uuid:        33221100-5544-7766-8899-aabbccddeeff\n\
         \x20 retry count: 0\n\
         \x20 credentials: set\n\
         \x20 pid:         ABCD-1234\n"
    );

    let capture = std::fs::read(format!("{DATA}/real/meshcentral-pki-v3-1.hex")).unwrap();
    let bundle = format!("{DATA}/trust");
    let chain = format!("{DATA}/trust/DigiCert_Global_Root_CA.pem");
    let args = [
        "decode",
        "--format",
        "text",
        "--ca-bundle",
        &bundle,
        "--provisioning-chain",
        &chain,
    ];
    let out = run(&args, &capture);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "PKI Hello (interface version 3), 807 bytes");
    assert_eq!(lines[4], "  trusted roots: 23");
    assert_eq!(lines.len(), 5 + 23 + 1, "{text}");
    assert!(
        lines[5 + 14].ends_with("  DigiCert Global Root CA"),
        "{text}"
    );
    assert!(lines[5].ends_with("  (not in the CA bundle)"), "{text}");
    assert_eq!(
        lines[28],
        "  activation:  possible: the device trusts DigiCert Global Root CA (entry 14, sha256)"
    );
}

#[test]
fn decode_reads_raw_bytes_from_files_in_order() {
    let dir = std::env::temp_dir().join(format!("amt-hello-cli-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let psk = dir.join("psk.bin");
    std::fs::write(&psk, common::hex(PSK)).unwrap();
    let short = dir.join("short.bin");
    std::fs::write(&short, &common::hex(PSK)[..29]).unwrap();
    let pki = dir.join("pki.bin");
    std::fs::write(&pki, common::pki23()).unwrap();
    let missing = dir.join("missing.bin");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let args = [
        "decode".to_string(),
        "--file".into(),
        path(&psk),
        "--file".into(),
        path(&short),
        "--file".into(),
        path(&missing),
        "--file".into(),
        path(&dir),
        "--file".into(),
        path(&pki),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args, b"");
    assert_eq!(out.status.code(), Some(2), "an unreadable file is status 2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let reports: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["pid"], "ABCD-1234");
    assert_eq!(reports[1]["len"], 807);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().collect();
    assert_eq!(errors.len(), 3, "{stderr}");
    assert!(errors[0].starts_with(&format!("error: {}: truncated Hello", path(&short))));
    assert!(errors[1].starts_with(&format!("error: {}: ", path(&missing))));
    assert!(errors[2].starts_with(&format!("error: {}: ", path(&dir))));

    // Only invalid Hellos: status 1. Files and hex arguments do not mix.
    let out = run(&["decode", "--file", &path(&short)], b"");
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["decode", "--file", &path(&psk), PSK], b"");
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}
