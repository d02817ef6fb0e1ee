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

/// `amt-hello activation` on a bad chain file: exit 2 and one line on stderr naming the file.
fn bad_input(file: &Path, args: &[&str]) -> String {
    let hello = common::PSK;
    let (status, report, stderr) = activation(file, hello, args);
    assert_eq!((status, report), (2, Value::Null), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {}: ", file.display())),
        "{stderr}"
    );
    stderr
}

#[test]
fn bad_files_are_one_line_naming_the_file_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("amt-hello-activation-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let root = std::fs::read(format!("{DATA}/trust/root.pem")).unwrap();
    let der = pem::parse(&root).unwrap().into_contents();

    let stderr = bad_input(&write("text.txt", b"hello, world\n"), &[]);
    assert!(stderr.contains("neither PEM, DER nor PKCS#12"), "{stderr}");
    let stderr = bad_input(&write("truncated.der", &der[..der.len() / 2]), &[]);
    assert!(
        stderr.contains("DER certificate 1: not an X.509 certificate"),
        "{stderr}"
    );
    let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIE1vbmtleSBzZWVkIG9mIDMyIGJ5dGVzLCBmb3IgdGVzdA==\n-----END PRIVATE KEY-----\n";
    let stderr = bad_input(&write("key-only.pem", key.as_bytes()), &[]);
    assert!(
        stderr.ends_with("no certificate in the PEM file\n"),
        "{stderr}"
    );
    let stderr = bad_input(
        &write(
            "bad-base64.pem",
            b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
        ),
        &[],
    );
    assert!(stderr.contains("bad PEM"), "{stderr}");
    bad_input(&write("empty.pem", b""), &[]);
    bad_input(&dir.join("missing.pem"), &[]);

    // The key file is named when it is the bad one.
    let chain = dir.join("root.pem");
    std::fs::write(&chain, &root).unwrap();
    let not_a_key = write("not-a-key.pem", &root);
    let out = run(
        &[
            "activation",
            "--chain",
            chain.to_str().unwrap(),
            "--hello",
            common::PSK,
            "--key",
            not_a_key.to_str().unwrap(),
        ],
        b"",
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: {}: no private key in the PEM file\n",
            not_a_key.display()
        )
    );

    // A bad Hello or --at is bad input too.
    for (flag, value, message) in [
        ("--hello", "0100", "error: --hello: "),
        ("--at", "yesterday", "error: --at: not an RFC 3339 time"),
    ] {
        let mut args = vec![
            "activation",
            "--chain",
            chain.to_str().unwrap(),
            "--hello",
            common::PSK,
        ];
        if flag == "--hello" {
            args[4] = value;
        } else {
            args.extend([flag, value]);
        }
        let out = run(&args, b"");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            (out.status.code(), stderr.lines().count()),
            (Some(2), 1),
            "{stderr}"
        );
        assert!(stderr.starts_with(message), "{stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pkcs12_chains_are_read_with_their_key_and_a_wrong_password_is_bad_input() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    let rest = pki.pem_file("rest.pem", &[&certs[1], &certs[2]], None);
    let pfx = pki.path("chain.pfx");
    chains::openssl(&[
        "pkcs12",
        "-export",
        "-in",
        certs[0].cert.to_str().unwrap(),
        "-inkey",
        certs[0].key.to_str().unwrap(),
        "-certfile",
        rest.to_str().unwrap(),
        "-passout",
        "pass:s3cret",
        "-out",
        pfx.to_str().unwrap(),
    ]);
    let hello = real_hello_trusting(&certs[2]);
    let (status, report, stderr) = activation(
        &pfx,
        &hello,
        &["--password", "s3cret", "--dns-suffix", "example.com"],
    );
    assert_eq!(status, 0, "{report:#} {stderr}");
    assert_eq!(report["chain"][2], "Test Root");
    assert!(rules(&report, "pass").contains(&"private_key".to_string()));

    let stderr = bad_input(&pfx, &["--password", "wrong"]);
    assert!(stderr.contains("wrong PKCS#12 password"), "{stderr}");
    let stderr = bad_input(&pfx, &[]);
    assert!(stderr.contains("give it with --password"), "{stderr}");
}

#[test]
fn help_lists_every_flag_and_its_default() {
    let out = run(&["activation", "--help"], b"");
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    for flag in [
        "--chain",
        "--password",
        "--key",
        "--hello",
        "--dns-suffix",
        "--me-version",
        "--at",
        "--format",
    ] {
        assert!(
            help.split_whitespace().any(|w| w == flag),
            "--help lacks {flag}: {help}"
        );
    }
    for default in [
        "[default: 16]",
        "[default: text]",
        "[default: now]",
        "[default: none: the empty password]",
    ] {
        assert!(help.contains(default), "--help lacks {default}: {help}");
    }
    for command in ["decode", "listen"] {
        let help = String::from_utf8(run(&[command, "--help"], b"").stdout).unwrap();
        for flag in ["--dns-suffix", "--me-version"] {
            assert!(
                help.split_whitespace().any(|w| w == flag),
                "{command} --help lacks {flag}"
            );
        }
        assert!(help.contains("[default: 16]"), "{help}");
    }
}

/// `decode` and `listen` with `--provisioning-chain` add `"activation_checks"` (each chain's
/// full checklist) beside the old `"activation"` (the root match), which stays as it was.
#[test]
fn decode_with_a_provisioning_chain_reports_every_rule_per_device() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, ca, _| ca.md = "sha1".into());
    let file = pki.pem_file("chain.pem", &[&certs[0], &certs[1], &certs[2]], None);
    let hello = real_hello_trusting(&certs[2]);
    let file_arg = file.to_str().unwrap();
    let args = [
        "decode",
        "--provisioning-chain",
        file_arg,
        "--dns-suffix",
        "example.com",
        &hello,
    ];
    let out = run(&args, b"");
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["activation"]["root"], "Test Root");
    assert_eq!(report["activation"]["index"], 24);
    let checks = &report["activation_checks"][0];
    assert_eq!(checks["file"], file_arg);
    assert_eq!(checks["possible"], false);
    assert_eq!(rules(checks, "fail"), ["algorithms"]);
    assert_eq!(
        rules(checks, "pass")
            .iter()
            .filter(|r| *r == "domain")
            .count(),
        1
    );

    // ME 15 accepts a SHA-1 intermediate; text output says so in a line per chain.
    let args = [
        "decode",
        "--format",
        "text",
        "--provisioning-chain",
        file_arg,
        "--me-version",
        "15",
        &hello,
    ];
    let text = String::from_utf8(run(&args, b"").stdout).unwrap();
    let line = format!("  {file_arg}: this device can be activated with this chain");
    assert!(text.lines().any(|l| l == line), "{text}");

    // A file with the root alone: the report is as it was, without "activation_checks".
    let root = pki.pem_file("root.pem", &[&certs[2]], None);
    let args = [
        "decode",
        "--provisioning-chain",
        root.to_str().unwrap(),
        &hello,
    ];
    let report: Value = serde_json::from_slice(&run(&args, b"").stdout).unwrap();
    assert_eq!(report["activation"]["index"], 24);
    assert!(report.get("activation_checks").is_none());
}

#[test]
fn listen_with_a_provisioning_chain_reports_every_rule_per_device() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    let file = pki.pem_file("chain.pem", &[&certs[0], &certs[1], &certs[2]], None);
    let trust = amt_hello_cli::cmd::TrustArgs {
        provisioning_chain: vec![file],
        dns_suffix: Some("example.com".into()),
        ..Default::default()
    };
    let config = amt_hello_cli::sca::Config {
        certs: std::sync::Arc::new(trust.load().unwrap()),
        ..Default::default()
    };
    let server = common::server::start(config, 2);
    common::server::send(server.addr, &hex(&real_hello_trusting(&certs[2])));
    let trusted = server.next();
    common::server::send(server.addr, &common::pki23());
    let untrusted = server.next();
    server.finish();
    assert_eq!(
        trusted["activation_checks"][0]["possible"], true,
        "{trusted:#}"
    );
    assert_eq!(untrusted["activation"], Value::Null);
    assert_eq!(untrusted["activation_checks"][0]["possible"], false);
    assert_eq!(
        rules(&untrusted["activation_checks"][0], "fail"),
        ["root_trusted"]
    );
}
