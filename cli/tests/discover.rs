//! `amt-hello device --discover`: the lookups a device makes to find its SCA, against a small DNS
//! server on loopback, and the Hellos it sends only to an address it found.

mod common;

use std::io::Read;
use std::net::{Ipv4Addr, TcpListener, UdpSocket};
use std::thread;
use std::time::Duration;

use common::run;
use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::A;
use hickory_proto::rr::{RData, Record};

/// A DNS server on 127.0.0.1 that answers `answers` queries: `ProvisionServer.example` with
/// 127.0.0.1, everything else NXDOMAIN. Its port.
fn dns_server(answers: usize) -> u16 {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let port = socket.local_addr().unwrap().port();
    thread::spawn(move || {
        let mut buffer = [0u8; 1500];
        for _ in 0..answers {
            let Ok((len, from)) = socket.recv_from(&mut buffer) else {
                return;
            };
            let query = Message::from_vec(&buffer[..len]).unwrap();
            let mut reply = Message::new(
                query.metadata.id,
                MessageType::Response,
                query.metadata.op_code,
            );
            let question = query.queries[0].clone();
            let name = question.name.to_ascii().to_ascii_lowercase();
            if name == "provisionserver.example." {
                let a = RData::A(A(Ipv4Addr::LOCALHOST));
                reply.add_answer(Record::from_rdata(question.name.clone(), 60, a));
            } else {
                reply.metadata.response_code = ResponseCode::NXDomain;
            }
            reply.add_query(question);
            socket.send_to(&reply.to_vec().unwrap(), from).unwrap();
        }
    });
    port
}

#[test]
fn the_device_asks_its_domain_then_each_suffix_and_sends_to_the_first_address_found() {
    let dns = dns_server(2);
    let sca = TcpListener::bind("127.0.0.1:0").unwrap();
    let sca_port = sca.local_addr().unwrap().port();
    let received = thread::spawn(move || {
        let (mut stream, _) = sca.accept().unwrap();
        let mut hello = Vec::new();
        stream.read_to_end(&mut hello).unwrap();
        hello
    });
    let (dns_arg, port_arg) = (format!("127.0.0.1:{dns}"), sca_port.to_string());
    let output = run(
        &[
            "device",
            "--discover",
            "--domain",
            "amt.test",
            "--dhcp-suffix",
            "example",
            "--dns",
            &dns_arg,
            "--port",
            &port_arg,
            "--max-attempts",
            "1",
            "--time-scale",
            "100000",
        ],
        b"",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("lookup ProvisionServer.amt.test via {dns_arg}: NXDOMAIN")
    );
    assert_eq!(
        lines[1],
        format!("lookup ProvisionServer.example via {dns_arg}: 127.0.0.1")
    );
    assert!(
        lines[2].contains(&format!("-> 127.0.0.1:{sca_port}")),
        "{stdout}"
    );
    assert!(lines[3].ends_with("sent"), "{stdout}");
    let hello = received.join().unwrap();
    assert!(amt_hello::HelloView::parse(&hello).is_ok());
}

#[test]
fn a_device_whose_names_all_fail_sends_nothing_and_says_so() {
    let dns = dns_server(2);
    let dns_arg = format!("127.0.0.1:{dns}");
    let output = run(
        &[
            "device",
            "--discover",
            "--dhcp-suffix",
            "nowhere.test",
            "--dns",
            &dns_arg,
        ],
        b"",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        format!("lookup ProvisionServer.nowhere.test via {dns_arg}: NXDOMAIN\n")
    );
    assert!(
        stderr.contains("no ProvisionServer name resolved: a device sends no Hello until one does"),
        "{stderr}"
    );
}

#[test]
fn discover_options_need_discover_and_exclude_connect() {
    for args in [
        &["device", "--domain", "example"][..],
        &["device", "--discover", "--connect", "127.0.0.1:9"][..],
        &["device", "--discover", "--dns", "not-an-address"][..],
    ] {
        let output = run(args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}
