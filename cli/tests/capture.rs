//! `amt-hello capture` over synthetic captures, one per situation, each report (text and JSON)
//! pinned by a snapshot under `tests/snapshots/capture/` (`UPDATE_SNAPSHOTS=1` rewrites them),
//! plus the facts each situation is about, asserted directly.

mod common;

use std::path::PathBuf;

use amt_hello::{RetrySchedule, Uuid};
use amt_hello_cli::device::{Device, Kind};
use common::amt_hello;
use common::pcap::{Capture, Conn, Format, Link};

const SCA: &str = "192.0.2.1:9971";
const A: &str = "33221100-5544-7766-8899-aabbccddeeff";
const B: &str = "939b524b-13d4-1d18-e487-1c697a6b7a2b";

/// A device's Hello: PSK (PID ABCD-1234) or PKI with `pki` hashes and a localized BIOS.
fn hello(uuid: &str, pki: Option<usize>, retry_count: u32) -> Vec<u8> {
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
fn check(name: &str, capture: &Capture, args: &[&str]) -> (String, String) {
    let dir = scratch(name);
    std::fs::write(dir.join(name), capture.bytes()).unwrap();
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

#[test]
fn psk_and_pki_hellos_in_order() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    Conn::new("192.0.2.10:49152", SCA, 1000).whole(&mut capture, 0, &hello(A, None, 0), 100);
    Conn::new("192.0.2.11:49153", SCA, 2000).whole(&mut capture, 10, &hello(B, Some(3), 0), 60);
    let (text, json) = check("in_order.pcap", &capture, &[]);
    assert!(
        text.contains("PSK Hello (interface version 2), 32 bytes"),
        "{text}"
    );
    assert!(
        text.contains("PKI Hello (interface version 3), 127 bytes"),
        "{text}"
    );
    assert!(text.contains("localized BIOS"), "{text}");
    assert_eq!(json.matches("\"event\":\"hello\"").count(), 2);
    assert!(!text.contains('!'), "no problem expected:\n{text}");
}

#[test]
fn out_of_order_segments_are_put_in_order() {
    let mut capture = Capture::new(Format::PcapNg, Link::Ethernet);
    let c = Conn::new("192.0.2.10:49152", SCA, u32::MAX - 10); // sequence numbers wrap
    let bytes = hello(B, Some(2), 3);
    capture.add(0, c.syn());
    capture.add(0, c.syn_ack());
    capture.add(1, c.data(50, &bytes[50..]));
    capture.add(2, c.fin(bytes.len() as u32));
    capture.add(3, c.data(0, &bytes[..50]));
    let (text, _) = check("out_of_order.pcapng", &capture, &[]);
    assert!(text.contains("retry count: 3"), "{text}");
    assert!(!text.contains("lost"), "{text}");
}

#[test]
fn retransmitted_segments_are_counted_once() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let c = Conn::new("192.0.2.10:49152", SCA, 5);
    let bytes = hello(A, None, 1);
    capture.add(0, c.syn());
    capture.add(0, c.syn_ack());
    capture.add(1, c.data(0, &bytes[..16]));
    capture.add(200, c.data(0, &bytes[..16]));
    capture.add(201, c.data(16, &bytes[16..]));
    capture.add(202, c.fin(32));
    let (text, _) = check("retransmitted.pcap", &capture, &[]);
    assert!(text.contains("1 retransmitted segments"), "{text}");
    assert!(text.contains("PSK Hello"), "{text}");
}

#[test]
fn overlapping_segments_with_other_bytes_are_a_conflict() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let c = Conn::new("192.0.2.10:49152", SCA, 5);
    let bytes = hello(A, None, 1);
    let mut other = bytes[8..24].to_vec();
    other[10] ^= 0xff;
    capture.add(0, c.syn());
    capture.add(0, c.syn_ack());
    capture.add(1, c.data(0, &bytes[..20]));
    capture.add(2, c.data(8, &other));
    capture.add(3, c.data(20, &bytes[20..]));
    capture.add(4, c.fin(32));
    let (text, json) = check("conflict.pcap", &capture, &[]);
    assert!(
        text.contains("conflict: 1 bytes from stream offset 18"),
        "{text}"
    );
    assert!(json.contains("\"event\":\"conflict\""), "{json}");
}

#[test]
fn a_lost_segment_is_reported_and_nothing_is_decoded_across_it() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let c = Conn::new("192.0.2.10:49152", SCA, 5);
    let bytes = hello(B, Some(3), 0);
    capture.add(0, c.syn());
    capture.add(0, c.syn_ack());
    capture.add(1, c.data(0, &bytes[..40]));
    capture.add(3, c.data(60, &bytes[60..]));
    capture.add(4, c.fin(bytes.len() as u32));
    let (text, json) = check("lost_segment.pcap", &capture, &[]);
    assert!(
        text.contains("capture lost 20 bytes at stream offset 40"),
        "{text}"
    );
    assert!(!json.contains("\"event\":\"hello\""), "{json}");
    assert!(
        !text.contains("closed after"),
        "a gap is no early close:\n{text}"
    );
}

#[test]
fn ipv6_vlan_sll2_and_bsd_loopback_links() {
    let bytes = hello(A, None, 0);
    let cases = [
        (
            "ipv6.pcapng",
            Link::Ethernet,
            "[2001:db8::10]:49152",
            "[2001:db8::1]:9971",
        ),
        ("vlan.pcap", Link::Vlan(42), "192.0.2.10:49152", SCA),
        ("sll2.pcap", Link::Sll2, "192.0.2.10:49152", SCA),
        ("loopback.pcap", Link::Null, "[::1]:49152", "[::1]:9971"),
    ];
    for (name, link, client, server) in cases {
        let format = if name.ends_with("ng") {
            Format::PcapNg
        } else {
            Format::Pcap
        };
        let mut capture = Capture::new(format, link);
        Conn::new(client, server, 77).whole(&mut capture, 0, &bytes, 10);
        let (text, _) = check(name, &capture, &[]);
        assert!(
            text.contains(&format!("{client} -> {server}")),
            "{name}: {text}"
        );
        assert!(text.contains("PSK Hello"), "{name}: {text}");
    }
}

#[test]
fn packets_cut_by_the_snaplen_are_gaps() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet).snaplen(96);
    let bytes = hello(B, Some(4), 0);
    Conn::new("192.0.2.10:49152", SCA, 5).whole(&mut capture, 0, &bytes, 100);
    let (text, json) = check("snaplen.pcap", &capture, &[]);
    assert!(text.contains("cut to the capture's snaplen"), "{text}");
    assert!(!json.contains("\"event\":\"hello\""), "{json}");
}

/// A PSK device and a PKI device whose connections interleave segment by segment.
fn two_devices() -> Capture {
    let mut capture = Capture::new(Format::PcapNg, Link::Ethernet);
    let (a, b) = (hello(A, None, 0), hello(B, Some(2), 0));
    let ca = Conn::new("192.0.2.10:49152", SCA, 100);
    let cb = Conn::new("192.0.2.11:49152", SCA, 200);
    for (t, seg) in [
        (0, ca.syn()),
        (1, cb.syn()),
        (2, ca.syn_ack()),
        (3, cb.syn_ack()),
        (4, cb.data(0, &b[..30])),
        (5, ca.data(0, &a[..10])),
        (6, cb.data(30, &b[30..])),
        (7, ca.data(10, &a[10..])),
        (8, cb.fin(b.len() as u32)),
        (9, ca.fin(32)),
    ] {
        capture.add(t, seg);
    }
    capture
}

#[test]
fn two_devices_interleaved_get_a_timeline_each() {
    let (text, json) = check("two_devices.pcapng", &two_devices(), &[]);
    assert_eq!(json.matches("{\"device\":").count(), 2, "{json}");
    assert!(text.contains(&format!("device {A}")) && text.contains(&format!("device {B}")));
}

#[test]
fn devices_beyond_max_devices_are_reported_early_and_whole() {
    let args = ["--max-devices", "1"];
    let (text, json) = check("evicted_device.pcapng", &two_devices(), &args);
    // B's Hello completes first; A's evicts it: B is reported then (before A), with its roots.
    let evicted = text.find(&format!("device {B}")).unwrap();
    assert!(
        evicted < text.find(&format!("device {A}")).unwrap(),
        "{text}"
    );
    assert!(text.contains("roots:       2 trusted"), "{text}");
    assert!(
        text.contains("! evicted: more than --max-devices devices"),
        "{text}"
    );
    assert_eq!(json.matches("\"evicted\":true").count(), 1, "{json}");
}

#[test]
fn a_device_that_restarts_its_count() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    // Retry counts 0, 1, 2 a minute apart, then 0 again (a power cycle) and 1 a minute later.
    for (i, (second, count)) in [(0, 0), (60, 1), (120, 2), (1000, 0), (1060, 1)]
        .iter()
        .enumerate()
    {
        let c = Conn::new(&format!("192.0.2.10:{}", 50_000 + i), SCA, 1000 * i as u32);
        c.whole(&mut capture, second * 1000, &hello(A, None, *count), 32);
    }
    let (text, json) = check("restart.pcap", &capture, &[]);
    assert!(text.contains("went from 2 back to 0"), "{text}");
    assert!(text.contains("the Hellos fit the retry schedule"), "{text}");
    assert!(json.contains("\"fits\":true"), "{json}");
}

#[test]
fn refused_probe_and_already_open_connections() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let refused = Conn::new("192.0.2.10:49152", SCA, 5);
    capture.add(0, refused.syn());
    capture.add(0, refused.refuse());
    let probe = Conn::new("192.0.2.20:40000", SCA, 9);
    let get = b"GET / HTTP/1.1\r\nHost: sca\r\n\r\n";
    probe.whole(&mut capture, 5, get, 100);
    // Open before the capture began: one lost its first segment, one only its handshake.
    let bytes = hello(B, Some(3), 4);
    let midway = Conn::new("192.0.2.11:49999", SCA, 300);
    capture.add(10, midway.data(50, &bytes[50..]));
    capture.add(11, midway.fin(bytes.len() as u32));
    let after_handshake = Conn::new("192.0.2.12:49998", SCA, 400);
    capture.add(12, after_handshake.data(0, &hello(A, None, 5)));
    capture.add(13, after_handshake.fin(32));
    let (text, json) = check("refused_probe_open.pcap", &capture, &[]);
    assert!(
        text.contains("refused: the server answered the SYN with a RST"),
        "{text}"
    );
    assert!(
        text.contains("not a Hello: an HTTP request: GET / HTTP/1.1"),
        "{text}"
    );
    assert!(
        text.contains("began before the capture: its first bytes are not in it"),
        "{text}"
    );
    assert!(json.contains("\"handshake\":false"), "{json}");
    assert!(text.contains("retry count: 5"), "{text}");
}

#[test]
fn early_close_trailing_bytes_invalid_hellos_and_unanswered_syns() {
    let mut capture = Capture::new(Format::PcapNg, Link::Raw);
    let bytes = hello(A, None, 0);
    Conn::new("192.0.2.10:40001", SCA, 1).whole(&mut capture, 0, &bytes[..20], 20);
    let mut long = bytes.clone();
    long.extend(b"more");
    Conn::new("192.0.2.10:40002", SCA, 2).whole(&mut capture, 10, &long, 40);
    let mut bad = bytes.clone();
    bad[2] = 9; // interface version 9
    Conn::new("192.0.2.10:40003", SCA, 3).whole(&mut capture, 20, &bad, 40);
    capture.add(30, Conn::new("192.0.2.10:40004", SCA, 4).syn());
    let (text, _) = check("problems.pcapng", &capture, &[]);
    assert!(
        text.contains("closed after 20 bytes, before a full Hello (at least 32 bytes)"),
        "{text}"
    );
    assert!(text.contains("4 bytes after the 32-byte Hello"), "{text}");
    assert!(text.contains("not a valid Hello: "), "{text}");
    assert!(
        text.contains("the SYN got no answer in the capture"),
        "{text}"
    );
}

#[test]
fn open_flows_beyond_max_flows_are_evicted_and_reported() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let bytes = hello(A, None, 0);
    let first = Conn::new("192.0.2.10:40001", SCA, 1);
    let second = Conn::new("192.0.2.10:40002", SCA, 2);
    capture.add(0, first.syn());
    capture.add(1, first.data(0, &bytes[..10]));
    capture.add(2, second.syn());
    capture.add(3, second.data(0, &bytes));
    capture.add(4, second.fin(32));
    let (text, _) = check("evicted.pcap", &capture, &["--max-flows", "1"]);
    assert!(text.contains("evicted while open"), "{text}");
    assert!(text.contains("1 evicted"), "{text}");
}

#[test]
fn a_real_pki_hello_names_its_roots_and_answers_activation() {
    let mut capture = Capture::new(Format::PcapNg, Link::Sll2);
    let real = common::pki23(); // 807 bytes: tcpdump -i any on an SCA sees it in segments
    Conn::new("198.51.100.7:51000", SCA, 42).whole(&mut capture, 0, &real, 300);
    let trust = format!("{}/trust", common::DATA);
    let chain = format!("{trust}/DigiCert_Global_Root_CA.pem");
    let args = ["--ca-bundle", &trust, "--provisioning-chain", &chain];
    let (text, json) = check("real_pki.pcapng", &capture, &args);
    assert!(text.contains("trusted roots: 23") && text.contains("roots:       23 trusted"));
    assert!(text.contains("  DigiCert Global Root CA"), "{text}");
    assert!(
        text.contains("activation:  possible: the device trusts DigiCert Global Root CA"),
        "{text}"
    );
    assert!(
        json.contains("\"activation\":{\"root\":\"DigiCert Global Root CA\""),
        "{json}"
    );
}
