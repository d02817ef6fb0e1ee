//! The SCA of `amt-hello listen` over real TCP on loopback, under well-behaved and hostile
//! clients, with the simulated device of `amt-hello device`: the cli crate's own modules, and
//! the binary for its signal handling.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use amt_hello::{RetrySchedule, Uuid};
use amt_hello_cli::ca::{self, Certs};
use amt_hello_cli::device::{Device, Kind};
use amt_hello_cli::sca::{self, Config};
use common::PSK;
use serde_json::Value;

struct Server {
    addr: SocketAddr,
    reports: Receiver<Value>,
    thread: JoinHandle<Value>,
}

/// Starts the server on an ephemeral port; it exits after `connections` reports.
fn start(config: Config, connections: usize) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, reports) = channel();
    let tx = Mutex::new(tx);
    let sink = Arc::new(move |report: Value| tx.lock().unwrap().send(report).unwrap());
    let thread =
        thread::spawn(move || sca::serve(listener, config, Some(connections), sink).unwrap());
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

    /// Waits for the server to stop; its summary.
    fn finish(self) -> Value {
        self.thread.join().unwrap()
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
    // The order of the reports is the proof, not a clock: the device's Hello is reported
    // before the idle client's timeout, so it was served while that client waited.
    let first = server.next();
    assert_eq!(
        first["pid"], "ABCD-1234",
        "the device was served while the idle client waited"
    );
    let second = server.next();
    assert_eq!(
        second["error"],
        "idle timeout: no bytes for 400 ms after 0 received"
    );
    // A lower bound the server guarantees (it never cuts a client early), not a speed.
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

/// A connection from `source` (a loopback address) that sends nothing.
fn idle_from(source: [u8; 4], to: SocketAddr) -> socket2::Socket {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.bind(&SocketAddr::from((source, 0)).into()).unwrap();
    socket.connect(&to.into()).unwrap();
    socket
}

#[test]
fn one_address_over_its_cap_is_refused_and_others_are_served() {
    let config = Config {
        max_per_ip: 2,
        ..Config::default()
    };
    let server = start(config, 4);
    let held = [
        idle_from([127, 0, 0, 2], server.addr),
        idle_from([127, 0, 0, 2], server.addr),
    ];
    thread::sleep(Duration::from_millis(100));
    let third = idle_from([127, 0, 0, 2], server.addr);
    let refused = server.next();
    assert_eq!(
        refused["error"],
        "refused: 127.0.0.2 already holds 2 connections (at most 2 per address)"
    );
    assert_eq!(
        refused["peer"].as_str().unwrap(),
        third.local_addr().unwrap().as_socket().unwrap().to_string()
    );
    device(server.addr, None).send(&common::hex(PSK)).unwrap();
    let served = server.next();
    assert_eq!(
        served["pid"], "ABCD-1234",
        "another address is not affected: {served}"
    );
    drop(held);
    let closed = [server.next(), server.next()];
    let summary = server.finish();
    assert!(
        closed.iter().all(|r| r["error"] == "connection closed"),
        "{closed:?}"
    );
    assert_eq!(summary["summary"]["refused_per_ip"], 1);
    assert_eq!(summary["summary"]["decoded"], 1);
    assert_eq!(summary["summary"]["connections"], 4);
}

#[test]
fn a_full_server_sheds_the_connection_idle_longest() {
    let config = Config {
        max_connections: 2,
        ..Config::default()
    };
    let server = start(config, 3);
    let oldest = TcpStream::connect(server.addr).unwrap();
    thread::sleep(Duration::from_millis(100));
    let mut newer = TcpStream::connect(server.addr).unwrap();
    newer.write_all(&common::hex(PSK)[..10]).unwrap(); // active: not the one to shed
    thread::sleep(Duration::from_millis(100));
    device(server.addr, None).send(&common::hex(PSK)).unwrap();
    let mut reports = vec![server.next(), server.next()];
    drop(newer);
    reports.push(server.next());
    let summary = server.finish();
    let shed = reports
        .iter()
        .find(|r| r["error"].as_str().is_some_and(|e| e.starts_with("shed: ")));
    let shed = shed.unwrap_or_else(|| panic!("no shed report in {reports:?}"));
    assert_eq!(shed["peer"], oldest.local_addr().unwrap().to_string());
    assert!(
        shed["error"]
            .as_str()
            .unwrap()
            .ends_with("while the server was full (2 connections)"),
        "{shed}"
    );
    assert!(
        reports.iter().any(|r| r["pid"] == "ABCD-1234"),
        "the newcomer was served: {reports:?}"
    );
    assert_eq!(summary["summary"]["shed"], 1);
}

#[test]
fn shutdown_finishes_connections_in_flight_and_summarises() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    let (tx, reports) = channel();
    let tx = Mutex::new(tx);
    let sink: sca::Sink = Arc::new(move |r: Value| tx.lock().unwrap().send(r).unwrap());
    let server = runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        sca::serve_async(listener, Config::default(), None, sink, async {
            let _ = stopped.await;
        })
        .await
    });
    device(addr, None).send(&common::hex(PSK)).unwrap();
    send(addr, b"\x07\x00garbage");
    let recv = || reports.recv_timeout(Duration::from_secs(10)).unwrap();
    let _ = (recv(), recv());
    // A device in the middle of its Hello when the shutdown comes is still served.
    let mut in_flight = TcpStream::connect(addr).unwrap();
    in_flight.write_all(&common::hex(PSK)[..16]).unwrap();
    thread::sleep(Duration::from_millis(100));
    stop.send(()).unwrap();
    thread::sleep(Duration::from_millis(100));
    assert!(
        TcpStream::connect(addr).is_err(),
        "no new connections after the shutdown"
    );
    in_flight.write_all(&common::hex(PSK)[16..]).unwrap();
    drop(in_flight);
    let summary = runtime.block_on(server).unwrap();
    assert_eq!(recv()["pid"], "ABCD-1234");
    assert_eq!(
        summary,
        serde_json::json!({ "summary": {
            "connections": 3, "decoded": 2, "errors": { "invalid": 1 },
            "shed": 0, "refused_per_ip": 0, "http_probes": 0
        }})
    );
}

#[test]
fn the_server_binary_stops_on_sigterm_with_a_summary() {
    let mut child = common::amt_hello()
        .args(["listen", "--listen", "127.0.0.1:0", "--backlog", "64"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .parse()
        .unwrap();
    device(addr, None).send(&common::hex(PSK)).unwrap();
    thread::sleep(Duration::from_millis(200));
    let killed = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    assert!(killed.unwrap().success());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{:?}", output.status);
    let lines: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["pid"], "ABCD-1234");
    assert_eq!(lines[1]["summary"]["decoded"], 1);
}

#[test]
fn the_server_names_the_cas_and_the_activation_root() {
    let data = format!("{}/trust", common::DATA);
    let root = |file: &str| ca::read_chain_root(format!("{data}/{file}").as_ref()).unwrap();
    let certs = Certs {
        bundle: Some(ca::read_bundle(data.as_ref()).unwrap()),
        roots: Some(vec![root("chain.pem"), root("DigiCert_Global_Root_CA.pem")]),
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
