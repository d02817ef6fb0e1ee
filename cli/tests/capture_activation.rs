//! `amt-hello capture --provisioning-chain`: each device's section and object carry every chain
//! file's full checklist for its latest Hello, as `decode` reports it, not only the root match.
//! Pinned by a snapshot (see `common/snapshots.rs`) made with the kept chain of
//! `common/fixed.rs`.

mod common;

use common::fixed::{AT, CHAIN, hello};
use common::pcap::{Capture, Conn, Format, Link};
use common::snapshots::{A, B, SCA, check_with};
use serde_json::Value;

/// A trusts the chain's root; B lists two other roots, then a minute later three.
fn capture() -> Capture {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let a = Conn::new("192.0.2.10:49152", SCA, 100);
    a.whole(&mut capture, 0, &hello(A, 0, 3, true), 200);
    let b = Conn::new("192.0.2.11:49152", SCA, 200);
    b.whole(&mut capture, 10, &hello(B, 0, 2, false), 200);
    let b = Conn::new("192.0.2.11:49153", SCA, 300);
    b.whole(&mut capture, 60_010, &hello(B, 1, 3, false), 200);
    capture
}

/// `decode`'s `"activation_checks"` for `hello`, the chain named `chain.pem` as in the capture.
fn decode_checks(hello: &[u8]) -> Value {
    let dir = std::path::Path::new(CHAIN).parent().unwrap();
    let out = common::amt_hello()
        .current_dir(dir)
        .args(["decode", "--provisioning-chain", "chain.pem"])
        .args(["--dns-suffix", "example.com", "--at", AT])
        .arg(common::to_hex(hello))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["activation_checks"].clone()
}

#[test]
fn each_device_carries_every_chain_files_checklist_for_its_latest_hello() {
    let chain = std::fs::read(CHAIN).unwrap();
    let args = [
        "--provisioning-chain",
        "chain.pem",
        "--dns-suffix",
        "example.com",
        "--at",
        AT,
    ];
    let files = [("chain.pem", chain.as_slice())];
    let (text, json) = check_with("provisioning_chain.pcap", &capture(), &args, &files);

    // Text: under each device, the chain file's verdict, and what blocks activation.
    let device_b = &text[text.find(&format!("device {B}")).unwrap()..];
    let device_a = &text[text.find(&format!("device {A}")).unwrap()..];
    let device_a = &device_a[..device_a.find("\ndevice ").unwrap_or(device_a.len())];
    assert!(
        device_a.contains("\n  chain.pem: this device can be activated with this chain\n"),
        "{device_a}"
    );
    assert!(
        device_b.contains(
            "\n  chain.pem: this device cannot be activated with this chain: 1 rule blocks it\n    - root trusted: "
        ),
        "{device_b}"
    );
    assert!(
        device_b.contains("none of the device's 3 hashes"),
        "{device_b}"
    );

    // JSON: in latest_hello, the very array decode gives for the device's latest Hello.
    let devices: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|l| l.get("device").is_some())
        .collect();
    assert_eq!(devices.len(), 2);
    for (device, latest) in [(A, hello(A, 0, 3, true)), (B, hello(B, 1, 3, false))] {
        let line = devices.iter().find(|d| d["device"] == device).unwrap();
        let checks = &line["latest_hello"]["activation_checks"];
        assert_eq!(checks, &decode_checks(&latest), "{device}");
        assert_eq!(checks[0]["file"], "chain.pem");
        assert_eq!(checks[0]["possible"], device == A, "{device}");
    }
}

#[test]
fn a_bad_at_is_one_line_and_exit_2() {
    for command in ["capture", "decode"] {
        let out = common::amt_hello()
            .args([command, "--provisioning-chain", CHAIN, "--at", "yesterday"])
            .arg(if command == "capture" {
                "none.pcap"
            } else {
                common::PSK
            })
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            (out.status.code(), stderr.lines().count()),
            (Some(2), 1),
            "{stderr}"
        );
        assert!(stderr.contains("--at: not an RFC 3339 time"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}
