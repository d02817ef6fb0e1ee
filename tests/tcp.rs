//! The SCA example's server over real TCP on loopback, under well-behaved and hostile clients.

mod common;
// The server and device under test are the examples' own code.
#[path = "../examples/common/mod.rs"]
mod example;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use amt_hello::{RetrySchedule, Uuid};
use example::device::{Device, Kind};
use example::sca::{self, Config};
use serde_json::Value;

const PSK: &str = "010002000000000000112233445566778899aabbccddeeff4142434431323334";

struct Server {
    addr: SocketAddr,
    reports: Receiver<Value>,
    thread: JoinHandle<()>,
}

/// Starts the server on an ephemeral port; it exits after `connections` reports.
fn start(config: Config, connections: usize) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, reports) = channel();
    let tx = Mutex::new(tx);
    let sink = Arc::new(move |report: Value| tx.lock().unwrap().send(report).unwrap());
    let thread = thread::spawn(move || sca::serve(listener, config, Some(connections), sink));
    Server {
        addr,
        reports,
        thread,
    }
}

impl Server {
    fn next(&self) -> Value {
        self.reports
            .recv_timeout(Duration::from_secs(10))
            .expect("a report within 10 s")
    }

    fn finish(self) {
        self.thread.join().unwrap();
    }
}

fn send(addr: SocketAddr, bytes: &[u8]) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let _ = stream.write_all(bytes); // the server may cut a hostile stream off mid-write
}

fn device(addr: SocketAddr, chunk_bytes: Option<usize>) -> Device {
    Device {
        connect: addr,
        kind: Kind::Psk("ABCD1234".parse().unwrap()),
        uuid: "33221100-5544-7766-8899-aabbccddeeff".parse().unwrap(),
        localized_bios: false,
        schedule: RetrySchedule::first_window(),
        time_scale: 1.0,
        chunk_bytes,
        max_attempts: None,
    }
}

fn without_peer(mut report: Value) -> Value {
    report.as_object_mut().unwrap().remove("peer");
    report
}

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
fn an_oversize_stream_is_cut_off_at_the_limit() {
    let config = Config {
        max_bytes: 1000,
        ..Config::default()
    };
    let server = start(config, 2);
    // A valid 8 695-byte Hello over this server's limit, in one write: the server keeps at most
    // 1000 bytes and stops as soon as the count says the message cannot fit.
    let mut big = device(server.addr, None);
    big.kind = Kind::Pki(255);
    send(server.addr, &big.hello(0));
    let report = server.next();
    let error = report["error"].as_str().unwrap();
    assert!(error.starts_with("cut off after "), "{report}");
    assert!(
        error.ends_with("bytes, more than the 1000-byte limit"),
        "{report}"
    );
    let numbers: Vec<usize> = error
        .split([' ', ':'])
        .filter_map(|w| w.parse().ok())
        .collect();
    let [kept, needed] = numbers[..] else {
        panic!("{report}")
    };
    assert!(kept <= 1000 && needed > 1000 && needed <= 8695, "{report}");
    // The server still serves the next device.
    send(server.addr, &common::hex(PSK));
    assert_eq!(server.next()["pid"], "ABCD-1234");
    server.finish();
}

#[test]
fn an_idle_client_times_out_without_stalling_others() {
    let config = Config {
        idle_timeout: Duration::from_millis(400),
        ..Config::default()
    };
    let server = start(config, 2);
    let started = Instant::now();
    let idle = TcpStream::connect(server.addr).unwrap();
    device(server.addr, None).send(&common::hex(PSK)).unwrap();
    let first = server.next();
    assert_eq!(
        first["pid"], "ABCD-1234",
        "the device was served while the idle client waited"
    );
    assert!(started.elapsed() < Duration::from_millis(400));
    let second = server.next();
    assert_eq!(
        second["error"],
        "idle timeout: no bytes for 400 ms after 0 received"
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
    drop(idle);
    server.finish();
}

#[test]
fn a_trickling_client_is_cut_off_at_the_deadline() {
    let config = Config {
        idle_timeout: Duration::from_millis(300),
        deadline: Duration::from_millis(500),
        ..Config::default()
    };
    let server = start(config, 1);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    let started = Instant::now();
    for byte in common::hex(PSK) {
        if stream.write_all(&[byte]).is_err() || started.elapsed() > Duration::from_secs(2) {
            break;
        }
        thread::sleep(Duration::from_millis(100)); // never idle for 300 ms, never done either
    }
    let report = server.next();
    server.finish();
    let error = report["error"].as_str().unwrap();
    assert!(
        error.starts_with("deadline: the connection lasted 500 ms with "),
        "{report}"
    );
}

#[test]
fn two_hundred_concurrent_devices_are_all_decoded() {
    const DEVICES: usize = 200;
    let server = start(Config::default(), DEVICES);
    let senders: Vec<_> = (0..DEVICES)
        .map(|i| {
            let mut d = device(server.addr, if i % 3 == 0 { Some(5) } else { None });
            let mut raw = [0u8; 16];
            raw[..8].copy_from_slice(&(i as u64).to_le_bytes());
            d.uuid = Uuid::from_bytes(raw);
            if i % 2 == 0 {
                d.kind = Kind::Pki(i % 34);
            }
            thread::spawn(move || d.send(&d.hello((i % 15) as u32)))
        })
        .collect();
    for s in senders {
        s.join().unwrap().unwrap();
    }
    let mut uuids: Vec<String> = (0..DEVICES)
        .map(|_| {
            let r = server.next();
            assert!(r.get("error").is_none(), "{r}");
            r["uuid"].as_str().unwrap().to_string()
        })
        .collect();
    server.finish();
    uuids.sort();
    uuids.dedup();
    assert_eq!(uuids.len(), DEVICES, "every device reported exactly once");
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
