//! The SCA of `amt-hello listen` over real TCP on loopback with well-behaved clients and the
//! simulated device of `amt-hello device`: the cli crate's own modules. (Hostile clients, the
//! limits and shutdown: `tcp_limits.rs`.)

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use amt_hello_cli::ca::{self, Certs};
use amt_hello_cli::device::Kind;
use amt_hello_cli::sca::Config;
use common::PSK;
use common::server::{device, send, start, without_peer};

#[test]
fn one_write_and_one_byte_writes_give_the_same_hello() {
    let server = start(Config::default(), 2);
    let whole = common::hex(PSK);
    device(server.addr, None).send(&whole).unwrap();
    let first = server.next();
    device(server.addr, Some(1)).send(&whole).unwrap();
    let second = server.next();
    server.finish();
    assert_eq!(first["pid"], "ABCD-1234", "{first}");
    assert!(first["peer"].as_str().unwrap().starts_with("127.0.0.1:"));
    assert_eq!(without_peer(first), without_peer(second));
}

#[test]
fn a_pki_hello_in_segments_is_reassembled() {
    let server = start(Config::default(), 1);
    let mut pki = device(server.addr, Some(50));
    pki.kind = Kind::Pki(33);
    pki.localized_bios = true;
    pki.send(&pki.hello(9)).unwrap();
    let report = server.next();
    server.finish();
    assert_eq!(
        (report["len"].as_u64(), report["retry_count"].as_u64()),
        (Some(25 + 33 * 34), Some(9))
    );
    assert_eq!(report["cert_hashes"].as_array().unwrap().len(), 33);
    assert_eq!(report["admin_credentials_set"], false);
    assert!(
        report["notice"]
            .as_str()
            .unwrap()
            .contains("new admin credentials must be set")
    );
}

#[test]
fn a_truncated_hello_is_an_error_and_nothing_is_invented() {
    let server = start(Config::default(), 1);
    send(server.addr, &common::hex(PSK)[..29]);
    let report = server.next();
    server.finish();
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["peer", "error"]);
    assert_eq!(
        report["error"],
        "truncated Hello: the field at byte 24 is incomplete; the message needs exactly 32 bytes, 29 present"
    );
}

#[test]
fn trailing_garbage_is_an_error() {
    let server = start(Config::default(), 1);
    let mut bytes = common::hex(PSK);
    bytes.extend_from_slice(b"garbage");
    send(server.addr, &bytes);
    let report = server.next();
    server.finish();
    assert_eq!(
        report["error"],
        "7 trailing byte(s) after the end of the Hello at byte 32"
    );
}

#[test]
fn a_browser_probe_gets_a_plain_text_answer() {
    let server = start(Config::default(), 1);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost:9971\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let report = server.next();
    server.finish();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("Intel AMT provisioning server"));
    assert_eq!(report["http_probe"], "GET / HTTP/1.1");
    assert!(report.get("error").is_none());
}

#[test]
fn the_device_sends_each_attempt_with_its_retry_count() {
    let attempts = 4;
    let server = start(Config::default(), attempts);
    let mut d = device(server.addr, None);
    d.time_scale = 600.0; // a simulated minute in 0.1 s
    d.max_attempts = Some(attempts);
    let mut sent = Vec::new();
    d.run(|a, r| sent.push((a.number, a.retry_count, r.is_ok())));
    let counts: Vec<u64> = (0..attempts)
        .map(|_| server.next()["retry_count"].as_u64().unwrap())
        .collect();
    server.finish();
    assert_eq!(
        sent,
        [(0, 0, true), (1, 1, true), (2, 2, true), (3, 3, true)]
    );
    assert_eq!(counts, [0, 1, 2, 3]);
}

#[test]
fn the_server_names_the_cas_and_the_activation_root() {
    let data = format!("{}/trust", common::DATA);
    let root = |file: &str| ca::read_chain_root(format!("{data}/{file}").as_ref()).unwrap();
    let certs = Certs {
        bundle: Some(ca::read_bundle(data.as_ref()).unwrap()),
        roots: Some(vec![root("chain.pem"), root("DigiCert_Global_Root_CA.pem")]),
        checks: None,
    };
    let config = Config {
        certs: Arc::new(certs),
        ..Config::default()
    };
    let server = start(config, 1);
    send(server.addr, &common::pki23());
    let report = server.next();
    server.finish();
    let entries = report["cert_hashes"].as_array().unwrap();
    assert_eq!(entries[14]["ca"], "DigiCert Global Root CA", "{report}");
    assert_eq!(entries.iter().filter(|e| e["ca"].is_string()).count(), 3);
    // Not the test root (the first choice): DigiCert Global Root CA, in slot 14.
    assert_eq!(
        report["activation"]["root"], "DigiCert Global Root CA",
        "{report}"
    );
    assert_eq!(report["activation"]["index"], 14);
}
