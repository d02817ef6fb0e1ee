//! Running `amt-hello activation` on the chains made here, and reading its JSON report.

use std::path::Path;

use amt_hello::trust::{Fingerprints, RootFingerprints};
use amt_hello::{CertHash, HashAlgorithm, Hello, Payload};
use serde_json::Value;

use super::{Issued, Pki};
use crate::common::{DATA, hex, run, to_hex};

/// A real capture (24 SHA-256 hashes) with `root`'s SHA-256 fingerprint added as entry 24.
pub fn real_hello_trusting(root: &Issued) -> String {
    let text = std::fs::read_to_string(format!("{DATA}/real/meshcentral-pki-v3-2.hex")).unwrap();
    let mut hello: Hello = Hello::decode(&hex(&text)).unwrap();
    let fingerprints = Fingerprints::of_der(&root.der());
    if let Payload::Pki(hashes) = &mut hello.payload {
        assert_eq!(hashes.len(), 24);
        let digest = fingerprints.fingerprint(HashAlgorithm::Sha256).unwrap();
        hashes
            .push(CertHash::new(HashAlgorithm::Sha256, digest).unwrap())
            .unwrap();
    }
    let mut buf = vec![0u8; hello.encoded_len()];
    hello.encode_into(&mut buf).unwrap();
    to_hex(&buf)
}

/// `amt-hello activation --format json ARGS`: exit status, the report, stderr.
pub fn activation(chain: &Path, hello: &str, args: &[&str]) -> (i32, Value, String) {
    let chain = chain.to_str().unwrap();
    let base = [
        "activation",
        "--format",
        "json",
        "--chain",
        chain,
        "--hello",
        hello,
    ];
    let out = run(&[&base[..], args].concat(), b"");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap(),
        report,
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The rules with a finding of `result` ("fail", "warning"…), in order.
pub fn rules(report: &Value, result: &str) -> Vec<String> {
    let checks = report["checks"].as_array().unwrap();
    checks
        .iter()
        .filter(|c| c["result"] == result)
        .map(|c| c["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Checks the chain (file order leaf first, the leaf's key appended) against a real capture
/// that trusts its root, with `--dns-suffix example.com` and `args`.
pub fn check(certs: &[Issued], pki: &Pki, args: &[&str]) -> (i32, Value) {
    let refs: Vec<&Issued> = certs.iter().collect();
    let file = pki.pem_file("chain.pem", &refs, Some(&certs[0].key));
    let hello = real_hello_trusting(certs.last().unwrap());
    let suffix: &[&str] = if args.contains(&"--dns-suffix") {
        &[]
    } else {
        &["--dns-suffix", "example.com"]
    };
    let (status, report, stderr) = activation(&file, &hello, &[suffix, args].concat());
    assert!(stderr.is_empty(), "{stderr}");
    (status, report)
}

/// Asserts that exactly `rule` fails (and activation is refused, exit 1).
pub fn fails_alone(certs: &[Issued], pki: &Pki, args: &[&str], rule: &str) -> Value {
    let (status, report) = check(certs, pki, args);
    assert_eq!(rules(&report, "fail"), [rule], "{report:#}");
    assert_eq!(status, 1);
    assert_eq!(report["possible"], false);
    report
}

pub fn reason_of(report: &Value, rule: &str, result: &str) -> String {
    let checks = report["checks"].as_array().unwrap();
    let found = checks
        .iter()
        .find(|c| c["rule"] == rule && c["result"] == result);
    found.unwrap_or_else(|| panic!("no {result} {rule} in {report:#}"))["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

/// `amt-hello activation` on a bad chain file: exit 2 and one line on stderr naming the file.
pub fn bad_input(file: &Path, args: &[&str]) -> String {
    let hello = crate::common::PSK;
    let (status, report, stderr) = activation(file, hello, args);
    assert_eq!((status, report), (2, Value::Null), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {}: ", file.display())),
        "{stderr}"
    );
    stderr
}
