//! `amt-hello activation`: the algorithms, chain, private-key and root-trusted rules each failing
//! alone, against a real capture's hash list and synthetic Hellos with SHA-384 and SHA-512 entries.

#[macro_use]
mod chains;
mod common;

use amt_hello::HashAlgorithm;
use amt_hello::trust::Fingerprints;
use chains::report::*;
use chains::*;
use common::*;

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
