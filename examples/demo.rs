//! The one-command demo: an SCA on an ephemeral loopback port, and two simulated devices
//! sending their Hellos over real TCP on the retry schedule, with time compressed so the first
//! quarter hour passes in about two seconds.
//!
//! ```sh
//! cargo run --example demo
//! ```

mod common;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use amt_hello::RetrySchedule;
use clap::Parser;
use common::device::{Device, Kind, clock};
use common::sca::{self, Config};
use serde_json::Value;

const ATTEMPTS: usize = 8; // 0, 1, 2, 3, 4, 5, 10 and 15 minutes into the window
const TIME_SCALE: f64 = 480.0; // 8 simulated minutes per real second

/// The one-command demo: an SCA and two simulated devices on loopback, time compressed.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {}

fn main() {
    Args::parse();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    println!("SCA listening on {addr} (an ephemeral loopback port)\n");

    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink_seen = seen.clone();
    let server = std::thread::spawn(move || {
        let sink = Arc::new(move |report: Value| {
            println!("  SCA  <- {}", describe(&report));
            sink_seen.lock().unwrap().push(report);
        });
        sca::serve(listener, Config::default(), Some(2 * ATTEMPTS), sink);
    });

    let psk = Device {
        connect: addr,
        kind: Kind::Psk("DEMO0001".parse().unwrap()),
        uuid: "33221100-5544-7766-8899-aabbccddeeff".parse().unwrap(),
        localized_bios: false,
        schedule: RetrySchedule::first_window(),
        time_scale: TIME_SCALE,
        chunk_bytes: None,
        max_attempts: Some(ATTEMPTS),
    };
    let pki = Device {
        kind: Kind::Pki(23),
        uuid: "939b524b-13d4-1d18-e487-1c697a6b7a2b".parse().unwrap(),
        localized_bios: true,
        schedule: RetrySchedule::reopened_window(),
        chunk_bytes: Some(100), // an 807-byte Hello in 9 segments: the SCA must reassemble it
        ..psk.clone()
    };
    for (name, device) in [("PSK device", &psk), ("PKI device", &pki)] {
        println!(
            "{name}: {} attempts scheduled in a {} h window; sending the first {ATTEMPTS}",
            device.schedule.attempt_count(),
            device.schedule.window().as_secs() / 3600
        );
    }
    println!();

    let devices: Vec<_> = [("PSK", psk), ("PKI", pki)]
        .into_iter()
        .map(|(name, device)| {
            std::thread::spawn(move || {
                device.run(|attempt, result| {
                    let status = if result.is_ok() { "sent" } else { "FAILED" };
                    println!(
                        "  {name} -> attempt {} at {} with retry count {}: {status}",
                        attempt.number,
                        clock(attempt.at),
                        attempt.retry_count
                    );
                });
            })
        })
        .collect();
    for device in devices {
        device.join().unwrap();
    }
    server.join().unwrap();

    let seen = seen.lock().unwrap();
    let decoded = seen.iter().filter(|r| r.get("error").is_none()).count();
    println!("\nThe SCA decoded {decoded} of {} Hellos.", seen.len());
    if let Some(last) = seen.iter().rev().find(|r| r["version"] == 2) {
        println!("The last PSK Hello as the SCA logs it (one JSON line per connection):\n{last}");
    }
}

/// One line a person can read.
fn describe(r: &Value) -> String {
    if let Some(error) = r.get("error") {
        return format!("error: {error}");
    }
    let what = match r["pid"].as_str() {
        Some(pid) => format!("PSK Hello, PID {pid}"),
        None => format!(
            "PKI Hello, {} root-certificate hashes",
            r["cert_hashes"].as_array().map_or(0, Vec::len)
        ),
    };
    let notice = r
        .get("notice")
        .and_then(Value::as_str)
        .map(|n| format!(" [{n}]"))
        .unwrap_or_default();
    format!(
        "{what}, retry count {}, {} bytes, UUID {}{notice}",
        r["retry_count"],
        r["len"],
        r["uuid"].as_str().unwrap_or("")
    )
}
