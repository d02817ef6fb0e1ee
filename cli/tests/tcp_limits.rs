//! The SCA of `amt-hello listen` under hostile and heavy clients: its byte limit, idle timeout,
//! deadline, per-address cap and shedding, 200 devices at once, and shutdown (in the library
//! and, by SIGTERM, in the binary).

mod common;

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use amt_hello::Uuid;
use amt_hello_cli::device::Kind;
use amt_hello_cli::sca::{self, Config};
use common::PSK;
use common::server::{device, idle_from, send, start};
use serde_json::Value;
use serde_json::value::RawValue;

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
    let sink: sca::Sink = Arc::new(move |r: Box<RawValue>| {
        let report: Value = serde_json::from_str(r.get()).unwrap();
        tx.lock().unwrap().send(report).unwrap()
    });
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
