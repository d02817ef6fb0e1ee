//! `amt-hello capture` over synthetic captures of connection outcomes (refused, probed, open
//! before the capture, closed early, invalid, evicted) and of devices' timelines (two devices,
//! a restarted count, eviction, a real PKI Hello with its roots named). Each report is pinned by
//! a snapshot (see `common/snapshots.rs`).

mod common;

use common::pcap::{Capture, Conn, Format, Link};
use common::snapshots::{A, B, SCA, check, hello};

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

#[test]
fn a_new_syn_from_the_same_port_replaces_an_unfinished_connection() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let bytes = hello(A, None, 3);
    let first = Conn::new("192.0.2.10:40000", SCA, 100);
    capture.add(0, first.syn());
    capture.add(0, first.syn_ack());
    capture.add(1, first.data(0, &bytes[..20]));
    // The device restarted mid-Hello and its stack chose the same port again.
    Conn::new("192.0.2.10:40000", SCA, 90_000).whole(&mut capture, 5000, &hello(A, None, 0), 32);
    let (text, json) = check("reused.pcap", &capture, &[]);
    assert!(
        text.contains("replaced by a new SYN from the same port"),
        "{text}"
    );
    assert!(
        text.contains("replaced by a new connection after 20 bytes"),
        "{text}"
    );
    assert!(json.contains("\"end\":\"reused\""), "{json}");
    assert!(text.contains("retry count: 0"), "{text}");
}
