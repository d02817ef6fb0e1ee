//! A load check for the SCA example: N simulated devices send Hellos as fast as they can for a
//! few seconds, one connection per Hello, and report how many they sent.
//!
//! ```sh
//! cargo run --release --example sca_server -- --listen 127.0.0.1:9971 > hellos.jsonl &
//! cargo run --release --example load -- --connect 127.0.0.1:9971 --devices 64 --seconds 5
//! ```
//!
//! Flags: `--connect ADDR`, `--devices N` (default 32), `--seconds S` (default 5),
//! `--pki-hashes N` (default 23; 0 sends PSK Hellos).

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use amt_hello::{RetrySchedule, Uuid};
use common::device::{Device, Kind};

/// Sends one Hello like a device, then waits for the server to close: each device then has one
/// connection in flight, so the load measures the server rather than overflowing its listen
/// backlog (a dropped SYN costs a one-second retransmit and says nothing about the server).
fn send_and_wait(addr: SocketAddr, hello: &[u8]) -> std::io::Result<()> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.write_all(hello)?;
    stream.shutdown(Shutdown::Write)?;
    stream.read(&mut [0u8; 1]).map(|_| ())
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let connect: String = common::flag(&args, "--connect")?.unwrap_or("127.0.0.1:9971".to_string());
    let connect = connect
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no address")?;
    let devices: usize = common::flag(&args, "--devices")?.unwrap_or(32);
    let seconds: f64 = common::flag(&args, "--seconds")?.unwrap_or(5.0);
    let hashes: usize = common::flag(&args, "--pki-hashes")?.unwrap_or(23);

    let (sent, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let threads: Vec<_> = (0..devices)
        .map(|i| {
            let (sent, failed) = (sent.clone(), failed.clone());
            let mut raw = [0u8; 16];
            raw[..8].copy_from_slice(&(i as u64).to_le_bytes());
            let device = Device {
                connect,
                kind: if hashes == 0 {
                    Kind::Psk("LOAD0000".parse().unwrap())
                } else {
                    Kind::Pki(hashes)
                },
                uuid: Uuid::from_bytes(raw),
                localized_bios: false,
                schedule: RetrySchedule::first_window(),
                time_scale: 1.0,
                chunk_bytes: None,
                max_attempts: None,
            };
            let hello = device.hello(0);
            std::thread::spawn(move || {
                while Instant::now() < deadline {
                    let counter = if send_and_wait(connect, &hello).is_ok() {
                        &sent
                    } else {
                        &failed
                    };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let started = Instant::now();
    for t in threads {
        let _ = t.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let (sent, failed) = (sent.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!(
        "{devices} devices, {elapsed:.2} s: {sent} Hellos sent ({:.0}/s), {failed} failed",
        sent as f64 / elapsed
    );
    Ok(())
}
