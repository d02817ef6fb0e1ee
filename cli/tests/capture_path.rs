//! `amt-hello capture` over the whole provisioning path (issue 28): synthetic captures with DHCP,
//! DNS (UDP and TCP), Hellos and the SCA's connect-back, one per diagnosis; each report is a
//! snapshot, and each device's (or address's) diagnosis code is asserted from the JSON.

mod common;

use std::net::{Ipv4Addr, Ipv6Addr};

use common::pcap::{Capture, Conn, Format, Link};
use common::snapshots::{A, B, SCA, check, hello};
use dhcproto::{Encodable, Encoder, v4, v6};
use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::A as ARecord;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use serde_json::Value;

const DEVICE: &str = "192.0.2.10";
const DHCP_SERVER: &str = "192.0.2.2:67";
const DNS_SERVER: &str = "192.0.2.53:53";
const LOOKUP_PORT: &str = "192.0.2.10:5353";

fn dhcp_ack(domain: Option<&str>) -> Vec<u8> {
    let (zero, device) = (Ipv4Addr::UNSPECIFIED, DEVICE.parse().unwrap());
    let mut message = v4::Message::new(zero, device, zero, zero, &[2, 0, 0, 0, 0, 0x10]);
    message.set_xid(0x0102_0304); // dhcproto picks a random one: snapshots need the same bytes
    let opts = message.opts_mut();
    opts.insert(v4::DhcpOption::MessageType(v4::MessageType::Ack));
    opts.insert(v4::DhcpOption::DomainNameServer(vec![Ipv4Addr::new(
        192, 0, 2, 53,
    )]));
    if let Some(domain) = domain {
        opts.insert(v4::DhcpOption::DomainName(domain.into()));
    }
    let mut bytes = Vec::new();
    message.encode(&mut Encoder::new(&mut bytes)).unwrap();
    bytes
}

fn dns(id: u16, name: &str, answer: Option<(ResponseCode, Option<Ipv4Addr>)>) -> Vec<u8> {
    let kind = if answer.is_some() {
        MessageType::Response
    } else {
        MessageType::Query
    };
    let mut message = Message::new(id, kind, OpCode::Query);
    let name = Name::from_ascii(name).unwrap();
    message.add_query(Query::query(name.clone(), RecordType::A));
    if let Some((code, address)) = answer {
        message.metadata.response_code = code;
        if let Some(address) = address {
            message.add_answer(Record::from_rdata(name, 60, RData::A(ARecord(address))));
        }
    }
    message.to_vec().unwrap()
}

/// A lookup of `name` from the device at `ms`, answered 5 ms later (or never).
fn lookup(
    capture: &mut Capture,
    ms: u64,
    name: &str,
    answer: Option<(ResponseCode, Option<Ipv4Addr>)>,
) {
    capture.add_udp(ms, LOOKUP_PORT, DNS_SERVER, &dns(7, name, None));
    if answer.is_some() {
        capture.add_udp(ms + 5, DNS_SERVER, LOOKUP_PORT, &dns(7, name, answer));
    }
}

fn found() -> Option<(ResponseCode, Option<Ipv4Addr>)> {
    Some((ResponseCode::NoError, Some(Ipv4Addr::new(192, 0, 2, 1))))
}

fn tls_record(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut record = vec![kind, 3, 3];
    record.extend(u16::try_from(body.len()).unwrap().to_be_bytes());
    record.extend(body);
    record
}

/// A TLS 1.2 handshake message record.
fn handshake(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut message = vec![kind, 0, 0, u8::try_from(body.len()).unwrap()];
    message.extend(body);
    tls_record(22, &message)
}

fn server_hello() -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend([0u8; 32]);
    body.extend([0, 0xc0, 0x2f, 0]);
    handshake(2, &body)
}

/// The SCA's connect-back at `ms`: the SCA's records, then the device's, then both FINs.
fn connect_back(capture: &mut Capture, ms: u64, sca: &[u8], device: &[u8]) {
    let c = Conn::new("192.0.2.1:50000", "192.0.2.10:16993", 9000);
    capture.add(ms, c.syn());
    capture.add(ms, c.syn_ack());
    capture.add(ms + 1, c.data(0, sca));
    capture.add(ms + 2, c.reply(0, device));
    capture.add(ms + 3, c.server_fin(device.len() as u32));
    capture.add(ms + 4, c.fin(sca.len() as u32));
}

/// The diagnosis codes of the report's devices and addresses, in order.
fn codes(json: &str) -> Vec<String> {
    let lines = json
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap());
    let diagnosed = lines.filter(|v| v.get("device").is_some() || v.get("host").is_some());
    diagnosed
        .map(|v| v["diagnosis"]["code"].as_str().unwrap().to_string())
        .collect()
}

/// A device's Hello from 192.0.2.10 to the SCA at `ms`, in `chunk`-byte segments.
fn hello_at(capture: &mut Capture, ms: u64, port: u16, uuid: &str, chunk: usize) {
    let c = Conn::new(&format!("{DEVICE}:{port}"), SCA, 1000 + u32::from(port));
    c.whole(capture, ms, &hello(uuid, Some(2), 0), chunk);
}

#[test]
fn no_option_15_and_a_bare_lookup_is_no_dns_suffix() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    capture.add_udp(0, DHCP_SERVER, &format!("{DEVICE}:68"), &dhcp_ack(None));
    lookup(
        &mut capture,
        10,
        "ProvisionServer.",
        Some((ResponseCode::NXDomain, None)),
    );
    let (text, json) = check("path_no_option_15.pcap", &capture, &[]);
    assert!(text.contains("no option 15 (domain name)"), "{text}");
    assert!(text.contains("set DHCP option 15 to the domain"), "{text}");
    assert_eq!(codes(&json), ["no_dns_suffix"]);
}

#[test]
fn a_lookup_answered_nxdomain_or_never_is_lookup_failed() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    capture.add_udp(
        0,
        DHCP_SERVER,
        &format!("{DEVICE}:68"),
        &dhcp_ack(Some("example.com")),
    );
    lookup(
        &mut capture,
        10,
        "ProvisionServer.example.com.",
        Some((ResponseCode::NXDomain, None)),
    );
    let (text, json) = check("path_nxdomain.pcap", &capture, &[]);
    assert!(
        text.contains("add a DNS record for ProvisionServer.example.com"),
        "{text}"
    );
    assert_eq!(codes(&json), ["lookup_failed"]);

    // The answer comes after the capture ends.
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    lookup(&mut capture, 10, "ProvisionServer.example.com.", None);
    let (text, json) = check("path_unanswered_lookup.pcap", &capture, &[]);
    assert!(text.contains("no answer in the capture"), "{text}");
    assert_eq!(codes(&json), ["lookup_failed"]);
}

#[test]
fn a_found_sca_that_refuses_or_never_answers_is_named() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    lookup(&mut capture, 10, "ProvisionServer.example.com.", found());
    let c = Conn::new(&format!("{DEVICE}:49152"), SCA, 100);
    capture.add(20, c.syn());
    capture.add(20, c.refuse());
    let (text, json) = check("path_refused.pcap", &capture, &[]);
    assert!(text.contains("nothing listens on 192.0.2.1:9971"), "{text}");
    assert_eq!(codes(&json), ["sca_refused"]);

    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    capture.add(20, Conn::new(&format!("{DEVICE}:49152"), SCA, 100).syn());
    let (_, json) = check("path_syn_unanswered.pcap", &capture, &[]);
    assert_eq!(codes(&json), ["sca_unanswered"]);
}

#[test]
fn a_hello_with_no_connect_back_names_meshcentrals_known_causes() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    hello_at(&mut capture, 0, 49152, A, 40); // 3 segments
    hello_at(&mut capture, 100, 49153, B, 1000);
    // Something else 90 s later: the capture covers the 60 s a connect-back is due in.
    lookup(
        &mut capture,
        90_000,
        "ProvisionServer.example.com.",
        found(),
    );
    let (text, json) = check("path_no_connect_back.pcap", &capture, &[]);
    assert!(
        text.contains("the SCA received the Hello and did not act"),
        "{text}"
    );
    assert!(
        text.contains("2 devices send Hellos from this address"),
        "{text}"
    );
    assert!(text.contains("the Hello came in 3 segments"), "{text}");
    assert_eq!(codes(&json), ["no_connect_back", "no_connect_back"]);
}

#[test]
fn a_connect_back_the_device_ends_with_an_alert_is_a_rejected_certificate() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    hello_at(&mut capture, 0, 49152, A, 1000);
    let sca = [handshake(1, &[3, 3]), handshake(11, &[0, 0, 0])].concat();
    let device = [server_hello(), tls_record(21, &[2, 48])].concat();
    connect_back(&mut capture, 500, &sca, &device);
    let (text, json) = check("path_certificate_rejected.pcap", &capture, &[]);
    assert!(
        text.contains("the device sent a fatal TLS alert: unknown_ca"),
        "{text}"
    );
    assert!(
        text.contains("the device rejected the SCA's certificate (unknown_ca)"),
        "{text}"
    );
    assert_eq!(codes(&json), ["certificate_rejected"]);
}

#[test]
fn a_lease_and_then_nothing_is_no_lookup() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    capture.add_udp(
        0,
        DHCP_SERVER,
        "192.0.2.10:68",
        &dhcp_ack(Some("example.com")),
    );
    let (text, json) = check("path_no_lookup.pcap", &capture, &[]);
    assert!(
        text.contains("took a lease under example.com but looked up no ProvisionServer"),
        "{text}"
    );
    assert_eq!(codes(&json), ["no_lookup"]);
}

#[test]
fn a_found_sca_whose_connection_brings_no_hello_is_hello_failed() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    lookup(&mut capture, 10, "ProvisionServer.example.com.", found());
    let c = Conn::new(&format!("{DEVICE}:49152"), SCA, 100);
    capture.add(20, c.syn());
    capture.add(20, c.syn_ack());
    capture.add(21, c.data(0, b"\x01\x00\x09\x00")); // interface version 9
    capture.add(22, c.fin(4));
    let (text, json) = check("path_hello_failed.pcap", &capture, &[]);
    assert!(text.contains("delivered no Hello"), "{text}");
    assert_eq!(codes(&json), ["hello_failed"]);
}

#[test]
fn a_connect_back_the_sca_ends_or_never_finishes_is_named() {
    // The SCA sends its own alert after the device's ServerHello: its side gave up.
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    hello_at(&mut capture, 0, 49152, A, 1000);
    let sca = [handshake(1, &[3, 3]), tls_record(21, &[2, 40])].concat();
    connect_back(&mut capture, 500, &sca, &server_hello());
    let (text, json) = check("path_sca_aborted_tls.pcap", &capture, &[]);
    assert!(text.contains("the SCA ended the TLS handshake"), "{text}");
    assert_eq!(codes(&json), ["sca_aborted_tls"]);

    // Hellos, then the SCA's SYN to 16993, never answered.
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    hello_at(&mut capture, 0, 49152, A, 1000);
    capture.add(
        500,
        Conn::new("192.0.2.1:50000", "192.0.2.10:16993", 9000).syn(),
    );
    let (text, json) = check("path_connect_back_unanswered.pcap", &capture, &[]);
    assert!(text.contains("got no answer or a RST"), "{text}");
    assert_eq!(codes(&json), ["connect_back_unanswered"]);

    // The handshake starts and the capture ends before it finishes.
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    hello_at(&mut capture, 0, 49152, A, 1000);
    connect_back(&mut capture, 500, &handshake(1, &[3, 3]), &server_hello());
    let (text, json) = check("path_connect_back_unfinished.pcap", &capture, &[]);
    assert!(text.contains("did not finish in the capture"), "{text}");
    assert_eq!(codes(&json), ["connect_back_unfinished"]);
}

#[test]
fn a_connect_back_whose_handshake_completes_is_connected() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    hello_at(&mut capture, 0, 49152, A, 1000);
    let ccs = tls_record(20, &[1]);
    let sca = [
        handshake(1, &[3, 3]),
        ccs.clone(),
        tls_record(22, &[9; 40]),
        tls_record(23, &[9; 64]),
    ];
    let device = [server_hello(), ccs, tls_record(22, &[9; 40])];
    connect_back(&mut capture, 500, &sca.concat(), &device.concat());
    let (text, json) = check("path_connected.pcap", &capture, &[]);
    assert!(text.contains("TLS 1.2 handshake completed"), "{text}");
    assert_eq!(codes(&json), ["connected"]);
}

#[test]
fn dns_over_tcp_and_a_dhcpv6_search_list_are_read() {
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    let mut reply = v6::Message::new_with_id(v6::MessageType::Reply, [1, 2, 3]);
    reply
        .opts_mut()
        .insert(v6::DhcpOption::DomainSearchList(vec![
            dhcproto::Name::from_ascii("corp.example.").unwrap(),
        ]));
    reply
        .opts_mut()
        .insert(v6::DhcpOption::DomainNameServers(vec![
            "2001:db8::53".parse::<Ipv6Addr>().unwrap(),
        ]));
    let mut bytes = Vec::new();
    reply.encode(&mut Encoder::new(&mut bytes)).unwrap();
    capture.add_udp(0, "[2001:db8::2]:547", "[fe80::10]:546", &bytes);
    let framed = |message: Vec<u8>| {
        [
            u16::try_from(message.len()).unwrap().to_be_bytes().to_vec(),
            message,
        ]
        .concat()
    };
    let query = framed(dns(9, "ProvisionServer.corp.example.", None));
    let answer = framed(dns(9, "ProvisionServer.corp.example.", found()));
    let c = Conn::new(&format!("{DEVICE}:40000"), DNS_SERVER, 500);
    capture.add(10, c.syn());
    capture.add(10, c.syn_ack());
    capture.add(11, c.data(0, &query));
    capture.add(12, c.reply(0, &answer));
    capture.add(13, c.fin(query.len() as u32));
    capture.add(14, c.server_fin(answer.len() as u32));
    let (text, json) = check("path_dns_tcp_dhcpv6.pcap", &capture, &[]);
    assert!(text.contains("dhcp reply"), "{text}");
    assert!(text.contains("search list corp.example"), "{text}");
    assert!(
        text.contains("for ProvisionServer.corp.example (A, tcp): 192.0.2.1"),
        "{text}"
    );
    assert_eq!(codes(&json), ["no_hello"]);
}
