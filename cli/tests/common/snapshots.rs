//! The capture snapshot tests' shared part: device Hellos, and `check`, which runs
//! `amt-hello capture` on a synthetic capture (text and JSON) and compares each report, and the
//! capture itself, with its snapshot under `tests/snapshots/capture/` (`UPDATE_SNAPSHOTS=1`
//! rewrites them).

use std::path::PathBuf;

use amt_hello::{RetrySchedule, Uuid};
use amt_hello_cli::device::{Device, Kind};

use super::amt_hello;
use super::pcap::Capture;

pub const SCA: &str = "192.0.2.1:9971";
pub const A: &str = "33221100-5544-7766-8899-aabbccddeeff";
pub const B: &str = "939b524b-13d4-1d18-e487-1c697a6b7a2b";

/// A device's Hello: PSK (PID ABCD-1234) or PKI with `pki` hashes and a localized BIOS.
pub fn hello(uuid: &str, pki: Option<usize>, retry_count: u32) -> Vec<u8> {
    let device = Device {
        connect: ([127, 0, 0, 1], 9).into(),
        kind: pki.map_or_else(|| Kind::Psk("ABCD1234".parse().unwrap()), Kind::Pki),
        uuid: uuid.parse::<Uuid>().unwrap(),
        localized_bios: pki.is_some(),
        schedule: RetrySchedule::first_window(),
        time_scale: 1.0,
        chunk_bytes: None,
        max_attempts: None,
    };
    device.hello(retry_count)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amt-hello-capture-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Compares `actual` with the snapshot `file` (or writes it with UPDATE_SNAPSHOTS=1). The
/// captures themselves are snapshots too: `amt-hello capture tests/snapshots/capture/X.pcap`
/// shows a report by hand, and the fuzz target's seed corpus starts from them.
fn snapshot(file: &str, actual: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/capture")
        .join(file);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    assert!(
        actual == expected,
        "{} differs from its snapshot; now:\n{}",
        path.display(),
        String::from_utf8_lossy(actual)
    );
}

/// Writes the capture as `name`, runs `amt-hello capture ARGS name` in text and JSON, checks both
/// against their snapshots and returns them.
pub fn check(name: &str, capture: &Capture, args: &[&str]) -> (String, String) {
    check_with(name, capture, args, &[])
}

/// [`check`], with `files` (name, bytes) written beside the capture, for ARGS to name by a path
/// that is the same on every machine.
pub fn check_with(
    name: &str,
    capture: &Capture,
    args: &[&str],
    files: &[(&str, &[u8])],
) -> (String, String) {
    let dir = scratch(name);
    std::fs::write(dir.join(name), capture.bytes()).unwrap();
    for (file, bytes) in files {
        std::fs::write(dir.join(file), bytes).unwrap();
    }
    let mut reports = Vec::new();
    for format in ["text", "json"] {
        let out = amt_hello()
            .current_dir(&dir)
            .args(["capture", "--format", format])
            .args(args)
            .arg(name)
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            (out.status.code(), stderr.as_str()),
            (Some(0), ""),
            "{name}"
        );
        reports.push(String::from_utf8(out.stdout).unwrap());
    }
    let _ = std::fs::remove_dir_all(&dir);
    for line in reports[1].lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
    let stem = name.split('.').next().unwrap();
    snapshot(name, &capture.bytes());
    snapshot(&format!("{stem}.txt"), reports[0].as_bytes());
    snapshot(&format!("{stem}.jsonl"), reports[1].as_bytes());
    (reports.remove(0), reports.remove(0))
}
