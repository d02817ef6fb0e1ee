//! `decode` and `listen` with `--provisioning-chain`: every activation rule per device.

#[macro_use]
mod chains;
mod common;

use chains::report::*;
use chains::*;
use common::*;
use serde_json::Value;

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
