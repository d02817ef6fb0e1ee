//! A real capture: `tcpdump -i lo` records `amt-hello device` (PSK and PKI, split into
//! segments, several attempts) sending to `amt-hello listen` on loopback, and
//! `amt-hello capture` must name every Hello the listener logged, with the same fields.
//! Skipped, saying why, where tcpdump is missing or we are not root.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::amt_hello;
use serde_json::Value;

/// A child process ended (by its own id) when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn skip_reason() -> Option<String> {
    let tcpdump = Command::new("tcpdump").arg("--version").output();
    if tcpdump.is_err() {
        return Some("tcpdump is not installed (apt-get install tcpdump)".into());
    }
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("capturing on lo needs root".into());
    }
    None
}

/// Reads `child`'s stderr until a line containing `marker`; that line.
fn wait_for_line(child: &mut Child, marker: &str) -> String {
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "no {marker:?} line"
        );
        if line.contains(marker) {
            // Keep draining in the background so the child never blocks on a full pipe.
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
            return line.trim().to_string();
        }
    }
}

fn device(port: u16, args: &[&str]) {
    let connect = format!("127.0.0.1:{port}");
    let out = amt_hello()
        .args(["device", "--connect", &connect, "--time-scale", "600"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_tcpdump_capture_names_every_hello_the_listener_logged() {
    if let Some(reason) = skip_reason() {
        println!("SKIP: {reason}");
        return;
    }
    let dir = std::env::temp_dir().join(format!("amt-hello-tcpdump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lo.pcap");

    let listen = amt_hello()
        .args(["listen", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut listen = Running(listen);
    let line = wait_for_line(&mut listen.0, "listening on");
    let port: u16 = line.rsplit(':').next().unwrap().parse().unwrap();
    let filter = format!("tcp port {port}");
    let tcpdump = Command::new("tcpdump")
        .args(["-i", "lo", "--immediate-mode", "-U", "-w"])
        .arg(&file)
        .arg(&filter)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut tcpdump = Running(tcpdump);
    wait_for_line(&mut tcpdump.0, "listening on");
    probe_until_recorded(port, &file);

    device(port, &["--max-attempts", "3", "--chunk-bytes", "7"]);
    let pki_uuid = "11111111-2222-3333-4444-555555555555";
    device(
        port,
        &[
            "--pki-hashes",
            "5",
            "--localized-bios",
            "--uuid",
            pki_uuid,
            "--max-attempts",
            "2",
            "--chunk-bytes",
            "50",
        ],
    );
    let logged = finish_listener(listen);
    // Packets reach the file as they arrive (--immediate-mode -U); a second more for slack.
    std::thread::sleep(Duration::from_secs(1));
    terminate(&tcpdump);
    let _ = tcpdump.0.wait();

    let hellos: Vec<&Value> = logged.iter().filter(|l| l.get("uuid").is_some()).collect();
    assert_eq!(hellos.len(), 5, "{logged:?}");
    let out = amt_hello()
        .args(["capture", "--format", "json", "--port", &port.to_string()])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for logged in &hellos {
        let peer = logged["peer"].as_str().unwrap();
        let connection = report
            .iter()
            .find(|r| r["client"] == peer)
            .unwrap_or_else(|| panic!("no connection from {peer} in the capture: {report:?}"));
        let hello = connection["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["event"] == "hello")
            .unwrap_or_else(|| panic!("no Hello from {peer}: {connection}"));
        for (key, value) in logged.as_object().unwrap() {
            if key != "peer" && key != "notice" {
                assert_eq!(&hello[key], value, "{key} of the Hello from {peer}");
            }
        }
    }
    let devices: Vec<&Value> = report
        .iter()
        .filter(|r| r.get("device").is_some())
        .collect();
    assert_eq!(devices.len(), 2, "{report:?}");
    let probe = report
        .iter()
        .find(|r| r["events"][0]["event"] == "not_a_hello");
    assert!(probe.is_some(), "the readiness probe is in the capture too");
    let _ = std::fs::remove_dir_all(&dir);
}

/// SIGTERM to the child, by its id.
fn terminate(child: &Running) {
    let pid = child.0.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
}

/// Sends an HTTP request (the listener answers it) every 200 ms until the capture file holds
/// packets: then tcpdump is recording.
fn probe_until_recorded(port: u16, file: &Path) {
    let started = Instant::now();
    while std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) <= 24 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "tcpdump recorded nothing"
        );
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let _ = stream.read_to_end(&mut Vec::new());
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Stops the listener with SIGTERM and waits (10 s at most); its JSON lines.
fn finish_listener(mut listen: Running) -> Vec<Value> {
    terminate(&listen);
    let started = Instant::now();
    while listen.0.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "listen did not exit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stdout = String::new();
    listen
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
