//! `amt-hello activation` as a user runs it: chains made here with the openssl command, one good
//! and one for each rule failing alone, checked against the real captures' hash lists and
//! synthetic Hellos with SHA-384 and SHA-512 entries; exit statuses and bad-file messages.

mod chains;
mod common;

use std::path::Path;

use amt_hello::trust::{Fingerprints, RootFingerprints};
use amt_hello::{CertHash, HashAlgorithm, Hello, Payload};
use chains::{AMT_OU, Issued, Pki, Spec, chain, days_from_now, openssl_available};
use common::{DATA, hex, run, to_hex};
use serde_json::Value;

/// A real capture (24 SHA-256 hashes) with `root`'s SHA-256 fingerprint added as entry 24.
fn real_hello_trusting(root: &Issued) -> String {
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
fn activation(chain: &Path, hello: &str, args: &[&str]) -> (i32, Value, String) {
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
fn rules(report: &Value, result: &str) -> Vec<String> {
    let checks = report["checks"].as_array().unwrap();
    checks
        .iter()
        .filter(|c| c["result"] == result)
        .map(|c| c["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Checks the chain (file order leaf first, the leaf's key appended) against a real capture
/// that trusts its root, with `--dns-suffix example.com` and `args`.
fn check(certs: &[Issued], pki: &Pki, args: &[&str]) -> (i32, Value) {
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

macro_rules! need_openssl {
    () => {
        if !openssl_available() {
            return;
        }
    };
}

#[test]
fn a_good_chain_passes_every_rule() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    let (status, report) = check(&certs, &pki, &[]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(report["possible"], true);
    assert_eq!(
        report["chain"],
        serde_json::json!(["amt.example.com", "Test Intermediate", "Test Root"])
    );
    assert_eq!(rules(&report, "fail"), Vec::<String>::new());
    assert_eq!(rules(&report, "warning"), Vec::<String>::new());
    assert_eq!(rules(&report, "not checked"), Vec::<String>::new());
    let pass = rules(&report, "pass");
    for rule in [
        "chain",
        "root_trusted",
        "usage",
        "domain",
        "validity",
        "algorithms",
        "private_key",
    ] {
        assert!(pass.contains(&rule.to_string()), "{rule} in {pass:?}");
    }
    let trusted = &report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "root_trusted")
        .unwrap()["reason"];
    assert_eq!(
        trusted,
        "the root's sha256 fingerprint is entry 24 of the device's 25 hashes"
    );
}

#[test]
fn the_text_checklist_ends_with_the_verdict() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| leaf.ou = Some(AMT_OU.into()));
    let file = pki.pem_file("chain.pem", &[&certs[0], &certs[1], &certs[2]], None);
    let hello = real_hello_trusting(&certs[2]);
    let out = run(
        &[
            "activation",
            "--chain",
            file.to_str().unwrap(),
            "--hello",
            &hello,
        ],
        b"",
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let first = "Can this chain activate device 939b524b-13d4-1d18-e487-1c697a6b7a2b? (25 trusted roots; ME 16 rules; DNS suffix not given; at ";
    assert!(text.starts_with(first), "{text}");
    assert!(
        text.contains("\n  chain: amt.example.com → Test Intermediate → Test Root\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  not checked  domain        no --dns-suffix"),
        "{text}"
    );
    assert!(
        text.contains("\n  not checked  private key   no private key given"),
        "{text}"
    );
    assert!(
        text.ends_with("Verdict: this device can be activated with this chain\n"),
        "{text}"
    );
}

/// Asserts that exactly `rule` fails (and activation is refused, exit 1).
fn fails_alone(certs: &[Issued], pki: &Pki, args: &[&str], rule: &str) -> Value {
    let (status, report) = check(certs, pki, args);
    assert_eq!(rules(&report, "fail"), [rule], "{report:#}");
    assert_eq!(status, 1);
    assert_eq!(report["possible"], false);
    report
}

fn reason_of(report: &Value, rule: &str, result: &str) -> String {
    let checks = report["checks"].as_array().unwrap();
    let found = checks
        .iter()
        .find(|c| c["rule"] == rule && c["result"] == result);
    found.unwrap_or_else(|| panic!("no {result} {rule} in {report:#}"))["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

const SERVER_AUTH_ONLY: &str =
    "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:amt.example.com\n";

#[test]
fn usage_without_the_oid_or_the_ou_fails() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| leaf.ext = SERVER_AUTH_ONLY.into());
    let report = fails_alone(&certs, &pki, &[], "usage");
    assert!(reason_of(&report, "usage", "fail").contains("neither the Intel AMT OID"));
}

#[test]
fn usage_by_the_ou_alone_is_a_warning_and_another_case_fails() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| {
        leaf.ext = SERVER_AUTH_ONLY.into();
        leaf.ou = Some(AMT_OU.into());
    });
    let (status, report) = check(&certs, &pki, &[]);
    assert_eq!(
        (status, rules(&report, "warning")),
        (0, vec!["usage".to_string()]),
        "{report:#}"
    );

    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| {
        leaf.ext = SERVER_AUTH_ONLY.into();
        leaf.ou = Some("Intel(R) Client Setup certificate".into());
    });
    let report = fails_alone(&certs, &pki, &[], "usage");
    assert!(reason_of(&report, "usage", "fail").contains("differs in case"));
}

#[test]
fn usage_text_in_o_instead_of_ou_fails_with_a_warning() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| {
        leaf.ext = SERVER_AUTH_ONLY.into();
        leaf.o = Some(AMT_OU.into());
    });
    let report = fails_alone(&certs, &pki, &[], "usage");
    assert!(reason_of(&report, "usage", "warning").contains("belongs in OU"));
}

#[test]
fn usage_without_server_auth_fails() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| {
        leaf.ext = format!(
            "extendedKeyUsage={}\nsubjectAltName=DNS:amt.example.com\n",
            chains::AMT_OID
        );
    });
    let report = fails_alone(&certs, &pki, &[], "usage");
    assert!(reason_of(&report, "usage", "fail").contains("lacks serverAuth"));
}

#[test]
fn domain_a_wrong_suffix_fails_and_so_does_one_without_a_label_boundary() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    fails_alone(&certs, &pki, &["--dns-suffix", "example.org"], "domain");
    let report = fails_alone(&certs, &pki, &["--dns-suffix", "ample.com"], "domain");
    assert!(reason_of(&report, "domain", "fail").contains("on a label boundary"));
    // A private suffix: a warning beside the failure.
    let (_, report) = check(&certs, &pki, &["--dns-suffix", "example.corp"]);
    assert!(reason_of(&report, "domain", "warning").contains("private suffix"));
}

#[test]
fn domain_a_wildcard_leaf_counts_by_its_domain() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| *leaf = Spec::leaf("*.example.com"));
    let (status, report) = check(&certs, &pki, &[]);
    assert_eq!(status, 0, "{report:#}");
    assert!(reason_of(&report, "domain", "pass").contains("\"*.example.com\""));
    fails_alone(&certs, &pki, &["--dns-suffix", "amt.example.com"], "domain");
}

#[test]
fn validity_an_expired_leaf_and_a_not_yet_valid_intermediate_fail() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| {
        leaf.start = Some(days_from_now(-30));
        leaf.end = Some(days_from_now(-1));
    });
    let report = fails_alone(&certs, &pki, &[], "validity");
    assert!(reason_of(&report, "validity", "fail").starts_with("expired on"));

    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, ca, _| ca.start = Some(days_from_now(2)));
    let report = fails_alone(&certs, &pki, &[], "validity");
    assert!(reason_of(&report, "validity", "fail").starts_with("not valid before"));
    // --at: three days on, it is.
    let at = time::OffsetDateTime::now_utc() + time::Duration::days(3);
    let at = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    assert_eq!(check(&certs, &pki, &["--at", &at]).0, 0);
}

#[test]
fn algorithms_a_sha1_intermediate_fails_on_me_16_and_warns_on_me_15() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, ca, _| ca.md = "sha1".into());
    let report = fails_alone(&certs, &pki, &[], "algorithms");
    let checks = report["checks"].as_array().unwrap();
    let sha1 = checks.iter().find(|c| c["result"] == "fail").unwrap();
    assert_eq!(sha1["certificate"], "Test Intermediate");
    let (status, report) = check(&certs, &pki, &["--me-version", "15"]);
    assert_eq!(
        (status, rules(&report, "warning")),
        (0, vec!["algorithms".to_string()])
    );
}

#[test]
fn algorithms_a_sha1_root_fails() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |root, _, _| root.md = "sha1".into());
    let report = fails_alone(&certs, &pki, &[], "algorithms");
    assert!(reason_of(&report, "algorithms", "fail").starts_with("signed with SHA-1"));
}

#[test]
fn algorithms_an_rsa_1024_intermediate_fails() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, ca, _| ca.key = "rsa:1024".into());
    let (status, report) = check(&certs, &pki, &[]);
    assert_eq!(
        (status, rules(&report, "fail")),
        (1, vec!["algorithms".to_string()]),
        "{report:#}"
    );
    assert!(reason_of(&report, "algorithms", "fail").contains("RSA-1024"));
    // The verifier takes no RSA key that short: the leaf's signature is said to be unchecked.
    assert_eq!(rules(&report, "not checked"), ["chain"]);
}

#[test]
fn algorithms_an_ecdsa_leaf_and_five_certificates_are_warnings() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, leaf| leaf.key = "ec".into());
    let (status, report) = check(&certs, &pki, &[]);
    assert_eq!(
        (status, rules(&report, "warning")),
        (0, vec!["algorithms".to_string()]),
        "{report:#}"
    );
    assert!(reason_of(&report, "algorithms", "warning").contains("ECDSA P-256"));
    assert!(rules(&report, "pass").contains(&"private_key".to_string()));

    let mut pki = Pki::new();
    let root = pki.issue(&Spec::ca("Test Root"), None);
    let ca1 = pki.issue(&Spec::ca("CA 1"), Some(&root));
    let ca2 = pki.issue(&Spec::ca("CA 2"), Some(&ca1));
    let ca3 = pki.issue(&Spec::ca("CA 3"), Some(&ca2));
    let leaf = pki.issue(&Spec::leaf("amt.example.com"), Some(&ca3));
    let (status, report) = check(&[leaf, ca3, ca2, ca1, root], &pki, &[]);
    assert_eq!(
        (status, rules(&report, "warning")),
        (0, vec!["algorithms".to_string()]),
        "{report:#}"
    );
    assert!(reason_of(&report, "algorithms", "warning").starts_with("5 certificates"));
}

#[test]
fn chain_a_broken_signature_fails_an_out_of_order_file_warns() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    let mut der = certs[1].der();
    *der.last_mut().unwrap() ^= 1;
    let broken = pem::encode(&pem::Pem::new("CERTIFICATE", der));
    let file = pki.path("broken.pem");
    std::fs::write(&file, [certs[0].pem(), broken, certs[2].pem()].concat()).unwrap();
    let (status, report, _) = activation(
        &file,
        &real_hello_trusting(&certs[2]),
        &["--dns-suffix", "example.com"],
    );
    assert_eq!(
        (status, rules(&report, "fail")),
        (1, vec!["chain".to_string()]),
        "{report:#}"
    );
    let checks = report["checks"].as_array().unwrap();
    let failed = checks.iter().find(|c| c["result"] == "fail").unwrap();
    assert_eq!(failed["certificate"], "Test Intermediate");

    let file = pki.pem_file("shuffled.pem", &[&certs[2], &certs[0], &certs[1]], None);
    let (status, report, _) = activation(
        &file,
        &real_hello_trusting(&certs[2]),
        &["--dns-suffix", "example.com"],
    );
    assert_eq!(
        (status, rules(&report, "warning")),
        (0, vec!["chain".to_string()]),
        "{report:#}"
    );
    assert_eq!(report["chain"][0], "amt.example.com");
}

#[test]
fn chain_a_leaf_alone_and_a_missing_root_fail() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    let file = pki.pem_file("no-root.pem", &[&certs[0], &certs[1]], None);
    let (status, report, _) = activation(&file, &real_hello_trusting(&certs[2]), &[]);
    assert_eq!(status, 1);
    assert!(reason_of(&report, "chain", "fail").contains("the root is missing"));
}

#[test]
fn private_key_not_matching_fails() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    let other = certs[1].key.to_str().unwrap();
    let report = fails_alone(&certs, &pki, &["--key", other], "private_key");
    assert!(reason_of(&report, "private_key", "fail").contains("not the leaf's"));
}

#[test]
fn root_trusted_fails_against_the_real_capture_and_matches_sha384_and_sha512_entries() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    let file = pki.pem_file("chain.pem", &[&certs[0], &certs[1], &certs[2]], None);
    let real = std::fs::read_to_string(format!("{DATA}/real/meshcentral-pki-v3-1.hex")).unwrap();
    let (status, report, _) = activation(&file, real.trim(), &["--dns-suffix", "example.com"]);
    assert_eq!(
        (status, rules(&report, "fail")),
        (1, vec!["root_trusted".to_string()])
    );
    assert_eq!(
        reason_of(&report, "root_trusted", "fail"),
        "the root's fingerprint is none of the device's 23 hashes (sha256)"
    );

    let root = Fingerprints::of_der(&certs[2].der());
    let other = common::fingerprints("trust/ISRG_Root_X1.pem");
    for (algorithm, name) in [
        (HashAlgorithm::Sha384, "sha384"),
        (HashAlgorithm::Sha512, "sha512"),
    ] {
        let hello = to_hex(&common::pki(&[
            (HashAlgorithm::Sha256, &other),
            (algorithm, &root),
        ]));
        let (status, report, _) = activation(&file, &hello, &["--dns-suffix", "example.com"]);
        assert_eq!(status, 0, "{report:#}");
        assert_eq!(
            reason_of(&report, "root_trusted", "pass"),
            format!("the root's {name} fingerprint is entry 1 of the device's 2 hashes")
        );
    }
}
