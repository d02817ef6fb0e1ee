//! The provisioning path on a real network (issue 28): for each scenario, `netns/scenario.sh`
//! builds two network namespaces joined by a veth pair (dnsmasq, `amt-hello listen` and tcpdump
//! on one side; udhcpc and `amt-hello device --discover` on the other), and `amt-hello capture`
//! must name the scenario's cause from the recording. Needs root, `ip`, dnsmasq, udhcpc and
//! tcpdump; without them the test says SKIP and why (CI installs them as root).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const TOOLS: [&str; 4] = ["ip", "dnsmasq", "udhcpc", "tcpdump"];

/// Why the scenarios cannot run here, if they cannot.
fn missing() -> Option<String> {
    let root = Command::new("id").arg("-u").output().ok();
    if root.is_none_or(|o| String::from_utf8_lossy(&o.stdout).trim() != "0") {
        return Some("not root: network namespaces need it".into());
    }
    for tool in TOOLS {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!("{tool} is not installed"));
        }
    }
    let probe = format!("amth-probe-{}", std::process::id());
    let made = Command::new("ip").args(["netns", "add", &probe]).status();
    let _ = Command::new("ip").args(["netns", "del", &probe]).status();
    match made {
        Ok(status) if status.success() => None,
        _ => Some("network namespaces cannot be made here".into()),
    }
}

/// Runs one scenario; `amt-hello capture --format json` of its recording, and its folder.
fn scenario(name: &str) -> (Vec<Value>, PathBuf) {
    let out = std::env::temp_dir().join(format!("amt-hello-path-{}-{name}", std::process::id()));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/netns/scenario.sh");
    let status = Command::new("bash")
        .arg(script)
        .args([env!("CARGO_BIN_EXE_amt-hello"), name])
        .arg(&out)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "{name}: scenario.sh failed; see {}",
        out.display()
    );
    let report = common::amt_hello()
        .args(["capture", "--format", "json"])
        .arg(out.join("path.pcap"))
        .output()
        .unwrap();
    assert!(
        report.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&report.stderr)
    );
    let lines = String::from_utf8(report.stdout).unwrap();
    (
        lines
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        out,
    )
}

/// The diagnosis codes of the report's devices and addresses.
fn codes(report: &[Value]) -> Vec<&str> {
    let diagnosed = report
        .iter()
        .filter(|v| v.get("device").is_some() || v.get("host").is_some());
    diagnosed
        .filter_map(|v| v["diagnosis"]["code"].as_str())
        .collect()
}

#[test]
fn each_scenario_s_report_names_its_cause() {
    if let Some(why) = missing() {
        println!("SKIP: the provisioning-path scenarios ({why})");
        return;
    }
    let cases = [
        ("good", "hello_delivered"),
        ("no-option-15", "no_dns_suffix"),
        ("no-record", "lookup_failed"),
        ("nothing-listens", "sca_refused"),
    ];
    for (name, cause) in cases {
        let (report, out) = scenario(name);
        assert_eq!(codes(&report), [cause], "{name}: {report:#?}");
        // Every scenario's recording holds the device's lease.
        let lease = report.iter().find(|v| v.get("dhcp").is_some());
        assert!(lease.is_some(), "{name}: no DHCP lease in {report:#?}");
        if name == "good" {
            let listened = std::fs::read_to_string(out.join("listen.jsonl")).unwrap();
            let hellos = report
                .iter()
                .filter(|v| v.get("connection").is_some())
                .count();
            assert_eq!(
                hellos,
                listened.lines().filter(|l| l.contains("\"uuid\"")).count()
            );
        }
        let _ = std::fs::remove_dir_all(&out);
    }
}
