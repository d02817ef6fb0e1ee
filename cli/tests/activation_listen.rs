//! `amt-hello activation --listen`: each device checked as it arrives, on loopback, from the
//! device simulator; `--exit-after`, SIGTERM, and what each exits with. The chain is the kept
//! one of `common/fixed.rs`.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use amt_hello::RetrySchedule;
use amt_hello_cli::device::{Device, Kind};
use common::amt_hello;
use common::fixed::{AT, CHAIN, activation, hello, single, without};
use common::snapshots::{A, B};
use common::to_hex;
use serde_json::Value;

/// `amt-hello activation … --listen 127.0.0.1:0 ARGS`, its address, and its stdout and stderr
/// lines as they come.
struct Listening {
    child: Child,
    addr: SocketAddr,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Listening {
    fn start(args: &[&str]) -> Listening {
        let mut child = amt_hello()
            .args([
                "activation",
                "--chain",
                CHAIN,
                "--dns-suffix",
                "example.com",
            ])
            .args(["--at", AT, "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = |pipe: Box<dyn std::io::Read + Send>| {
            let (tx, rx) = channel();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
            rx
        };
        let stdout = lines(Box::new(child.stdout.take().unwrap()));
        let stderr = lines(Box::new(child.stderr.take().unwrap()));
        let mut listening = Listening {
            child,
            addr: ([127, 0, 0, 1], 0).into(),
            stdout,
            stderr,
        };
        let first = listening.next_err();
        listening.addr = first
            .strip_prefix("listening on ")
            .unwrap()
            .parse()
            .unwrap();
        listening
    }

    fn next_out(&self) -> String {
        self.stdout
            .recv_timeout(Duration::from_secs(10))
            .expect("a line within 10 s")
    }

    fn next_err(&self) -> String {
        self.stderr
            .recv_timeout(Duration::from_secs(10))
            .expect("a line within 10 s")
    }

    /// Waits for the exit; its status.
    fn status(mut self) -> i32 {
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("amt-hello activation --listen did not exit within 10 s");
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let _ = self.child.kill(); // only this test's own child, if it is still running
        let _ = self.child.wait();
    }
}

/// The simulated device of `amt-hello device`, at `addr`.
fn device(addr: SocketAddr) -> Device {
    Device {
        connect: addr,
        kind: Kind::Pki(0),
        uuid: A.parse().unwrap(),
        localized_bios: false,
        schedule: RetrySchedule::first_window(),
        time_scale: 1.0,
        chunk_bytes: Some(50),
        max_attempts: Some(1),
    }
}

#[test]
fn listen_checks_each_device_as_it_arrives_until_exit_after() {
    let server = Listening::start(&["--format", "json", "--exit-after", "3"]);
    let sender = device(server.addr);
    let mut lines = Vec::new();
    for bytes in [hello(A, 0, 3, true), hello(B, 0, 3, false)] {
        sender.send(&bytes).unwrap();
        let line: Value = serde_json::from_str(&server.next_out()).unwrap();
        let peer: SocketAddr = line["peer"].as_str().unwrap().parse().unwrap();
        assert!(peer.ip().is_loopback(), "{line}");
        assert_eq!(without(line.clone(), &["peer"]), single(&bytes));
        lines.push(line);
    }
    assert_eq!(
        (&lines[0]["uuid"], &lines[0]["possible"]),
        (&A.into(), &true.into())
    );
    assert_eq!(
        (&lines[1]["uuid"], &lines[1]["possible"]),
        (&B.into(), &false.into())
    );
    // A connection without a Hello: a line on stderr, not a checklist.
    sender.send(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let probe = server.next_err();
    assert!(probe.ends_with(": no Hello: GET / HTTP/1.1"), "{probe}");
    assert_eq!(
        server.next_err(),
        "amt-hello activation: 3 connections, 2 Hellos checked, 1 of them cannot be activated"
    );
    assert_eq!(server.status(), 1);
}

#[test]
fn listen_prints_a_heading_and_the_checklist_and_stops_on_sigterm() {
    let server = Listening::start(&[]);
    let bytes = hello(A, 0, 1, true);
    device(server.addr).send(&bytes).unwrap();
    let heading = server.next_out();
    assert!(
        heading.starts_with(&format!("device {A} from 127.0.0.1:")),
        "{heading}"
    );
    assert!(heading.contains(" at 20"), "{heading}");
    let (_, alone, _) = activation(&["--hello", &to_hex(&bytes)]);
    for expected in alone.lines() {
        assert_eq!(server.next_out(), expected);
    }
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(server.next_err().starts_with("shutting down"));
    assert!(
        server
            .next_err()
            .ends_with("1 Hello checked, 0 of them cannot be activated")
    );
    assert_eq!(server.status(), 0);
}
