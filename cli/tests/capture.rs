//! `amt-hello capture` over synthetic captures of one connection's bytes: order, retransmission,
//! conflicts, loss, snaplen cuts and link types. Each report (text and JSON) is pinned by a
//! snapshot (see `common/snapshots.rs`), and the fact each situation is about is asserted too.
//! Devices and connection outcomes: `capture_devices.rs`.

mod common;

use common::pcap::{Capture, Conn, Format, Link};
use common::snapshots::{A, B, SCA, check, hello};

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
fn a_client_whose_own_port_is_watched_is_still_the_client() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let c = Conn::new("192.0.2.10:9971", SCA, 1000);
    let bytes = hello(A, None, 0);
    c.whole(&mut capture, 0, &bytes, 20);
    capture.add(9, c.fin_ack(bytes.len() as u32));
    let (text, json) = check("client_port_watched.pcap", &capture, &[]);
    let connections = json.lines().filter(|l| l.starts_with("{\"connection\":"));
    assert_eq!(connections.count(), 1, "{json}");
    assert!(text.contains("from 192.0.2.10:9971"), "{text}");
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
    assert!(text.contains("1 retransmitted segment ("), "{text}");
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
        text.contains("conflict: two copies in the capture differ in 1 byte from stream offset 18"),
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
fn ipv6_vlan_sll_sll2_and_bsd_loopback_links() {
    let bytes = hello(A, None, 0);
    let cases = [
        (
            "ipv6.pcapng",
            Link::Ethernet,
            "[2001:db8::10]:49152",
            "[2001:db8::1]:9971",
        ),
        ("vlan.pcap", Link::Vlan(42), "192.0.2.10:49152", SCA),
        (
            "sll.pcap",
            Link::Sll,
            "[2001:db8::10]:49152",
            "[2001:db8::1]:9971",
        ),
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
