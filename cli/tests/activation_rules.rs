//! `amt-hello activation` on chains made with the openssl command: the good chain, the text
//! checklist, and the usage, domain and validity rules each failing alone, against a real
//! capture's hash list that trusts the chain's root.

#[macro_use]
mod chains;
mod common;

use chains::report::*;
use chains::*;
use common::*;

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
