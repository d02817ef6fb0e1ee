//! The provisioning decision: the SCA's roots matched against a Hello's entries, by every
//! algorithm, in preference order, on generated and public roots and the real captures.

mod common;

use amt_hello::trust::{Fingerprints, RootFingerprints, RootMatch};
use amt_hello::{CertHash, HashAlgorithm, Hello, HelloView, Payload};
use serde_json::Value;

fn fingerprints(path: &str) -> Fingerprints {
    Fingerprints::of_der(common::certificates(path).last().unwrap())
}

/// A PKI Hello listing these (algorithm, fingerprint) entries, encoded.
fn pki(entries: &[(HashAlgorithm, &Fingerprints)]) -> Vec<u8> {
    let mut hello: Hello = Hello::EMPTY;
    if let Payload::Pki(hashes) = &mut hello.payload {
        for (algorithm, fp) in entries {
            let digest = fp.fingerprint(*algorithm).unwrap();
            hashes
                .push(CertHash::new(*algorithm, digest).unwrap())
                .unwrap();
        }
    }
    let mut buf = vec![0u8; hello.encoded_len()];
    hello.encode_into(&mut buf).unwrap();
    buf
}

/// The match on the view and on the owned value, which must agree.
fn trusted<R: RootFingerprints>(bytes: &[u8], roots: &[R]) -> Option<RootMatch> {
    let view = HelloView::parse(bytes).unwrap();
    let owned: Hello = Hello::decode(bytes).unwrap();
    assert_eq!(view.trusted_root(roots), owned.trusted_root(roots));
    view.trusted_root(roots)
}

#[test]
fn the_chain_root_is_found_by_every_algorithm() {
    let root = fingerprints("trust/chain.pem"); // the last certificate: the root
    assert_eq!(root, fingerprints("trust/root.pem"));
    let other = fingerprints("trust/ISRG_Root_X1.pem");
    for algorithm in HashAlgorithm::KNOWN {
        let bytes = pki(&[(HashAlgorithm::Sha256, &other), (algorithm, &root)]);
        assert_eq!(
            trusted(&bytes, &[&root]),
            Some(RootMatch {
                root: 0,
                entry: 1,
                algorithm
            }),
            "{algorithm}"
        );
    }
}

#[test]
fn the_scas_preference_order_decides_and_the_strongest_entry_names_it() {
    use HashAlgorithm::*;
    let test_root = fingerprints("trust/root.pem");
    let digicert = fingerprints("trust/DigiCert_Global_Root_CA.pem");
    let isrg = fingerprints("trust/ISRG_Root_X1.pem");
    // The device trusts DigiCert (SHA-256) and the test root twice: SHA-1 and SHA-512.
    let bytes = pki(&[
        (Sha1, &test_root),
        (Sha256, &digicert),
        (Sha512, &test_root),
    ]);
    assert_eq!(
        trusted(&bytes, &[&isrg, &digicert, &test_root]),
        Some(RootMatch {
            root: 1,
            entry: 1,
            algorithm: Sha256
        })
    );
    assert_eq!(
        trusted(&bytes, &[&test_root, &digicert]),
        Some(RootMatch {
            root: 0,
            entry: 2,
            algorithm: Sha512
        })
    );
    assert_eq!(trusted(&bytes, &[&isrg]), None);
    // The same root listed twice under one algorithm: its first slot.
    let twice = pki(&[(Sha384, &isrg), (Sha384, &test_root), (Sha384, &test_root)]);
    assert_eq!(
        trusted(&twice, &[&test_root]),
        Some(RootMatch {
            root: 0,
            entry: 1,
            algorithm: Sha384
        })
    );
    // Precomputed fingerprints match without computing anything.
    let precomputed = CertHash::new(Sha384, test_root.fingerprint(Sha384).unwrap()).unwrap();
    assert_eq!(
        trusted(&twice, &[precomputed]),
        Some(RootMatch {
            root: 0,
            entry: 1,
            algorithm: Sha384
        })
    );
}

#[test]
fn the_real_captures_trust_public_roots_by_name() {
    let named = [
        ("trust/Go_Daddy_Root_Certificate_Authority_-_G2.pem", 1),
        ("trust/Baltimore_CyberTrust_Root.pem", 6),
        ("trust/DigiCert_Global_Root_CA.pem", 14),
    ];
    let isrg = fingerprints("trust/ISRG_Root_X1.pem");
    let (_, bytes, _) = &common::captures()[0];
    let view = HelloView::parse(bytes).unwrap();
    for (path, index) in named {
        let root = fingerprints(path);
        let entries: Vec<usize> = view
            .cert_hashes()
            .enumerate()
            .filter(|(_, e)| e.is_fingerprint_of(&root))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(entries, [index], "{path}");
        assert_eq!(
            trusted(bytes, &[&isrg, &root]),
            Some(RootMatch {
                root: 1,
                entry: index,
                algorithm: HashAlgorithm::Sha256
            })
        );
    }
    for (name, bytes, _) in common::captures() {
        assert_eq!(
            trusted(&bytes, &[&isrg]),
            None,
            "{name} does not trust ISRG Root X1"
        );
    }
}

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
