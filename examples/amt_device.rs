//! A simulated Intel AMT device in Setup Mode: sends its Hello to an SCA on the crate's retry
//! schedule, one connection per attempt, each Hello carrying that attempt's retry count.
//!
//! ```sh
//! cargo run --example amt_device -- --connect 127.0.0.1:9971 --psk ABCD-1234 --time-scale 3600
//! cargo run --example amt_device -- --pki-hashes 23 --localized-bios --window 6h --chunk-bytes 7
//! ```
//!
//! Flags: `--connect ADDR` (default 127.0.0.1:9971), `--psk PID` or `--pki-hashes N` (default
//! `--psk ABCD-1234`), `--uuid UUID`, `--localized-bios`, `--window 24h|6h|HOURS` (default 24h),
//! `--time-scale K` (simulated seconds per real second, default 1), `--chunk-bytes N`,
//! `--max-attempts N`.

mod common;

use std::net::ToSocketAddrs;
use std::process::ExitCode;
use std::time::Duration;

use amt_hello::{Cadence, Pid, RetrySchedule, Uuid};
use common::device::{Device, Kind, clock};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("amt_device: {e}");
            ExitCode::FAILURE
        }
    }
}

fn window(text: &str) -> Result<Duration, String> {
    let hours: u64 = text
        .trim_end_matches('h')
        .parse()
        .map_err(|_| format!("--window {text}: expected 24h, 6h or a number of hours"))?;
    Ok(Duration::from_secs(hours * 3600))
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if common::switch(&args, "--help") || common::switch(&args, "-h") {
        println!(
            "usage: amt_device [--connect ADDR] [--psk PID | --pki-hashes N] [--uuid UUID] [--localized-bios] [--window 24h|6h|HOURS] [--time-scale K] [--chunk-bytes N] [--max-attempts N]"
        );
        return Ok(());
    }
    let connect: String = common::flag(&args, "--connect")?.unwrap_or("127.0.0.1:9971".to_string());
    let connect = connect
        .to_socket_addrs()
        .map_err(|e| format!("--connect {connect}: {e}"))?
        .next()
        .ok_or(format!("--connect {connect}: no address"))?;
    let kind = match (
        common::flag::<Pid>(&args, "--psk")?,
        common::flag::<usize>(&args, "--pki-hashes")?,
    ) {
        (Some(_), Some(_)) => return Err("choose one of --psk and --pki-hashes".to_string()),
        (None, Some(n)) if n > 255 => return Err("--pki-hashes: at most 255".to_string()),
        (None, Some(n)) => Kind::Pki(n),
        (pid, None) => Kind::Psk(pid.unwrap_or("ABCD-1234".parse().map_err(|e| format!("{e}"))?)),
    };
    let window = match common::flag::<String>(&args, "--window")? {
        None => RetrySchedule::FIRST_WINDOW,
        Some(text) => window(&text)?,
    };
    let device = Device {
        connect,
        kind,
        uuid: common::flag::<Uuid>(&args, "--uuid")?.unwrap_or(
            "939b524b-13d4-1d18-e487-1c697a6b7a2b"
                .parse()
                .map_err(|e| format!("{e}"))?,
        ),
        localized_bios: common::switch(&args, "--localized-bios"),
        schedule: RetrySchedule::new(Cadence::DEFAULT, window)
            .map_err(|e| format!("--window: {e}"))?,
        time_scale: common::flag(&args, "--time-scale")?.unwrap_or(1.0),
        chunk_bytes: common::flag(&args, "--chunk-bytes")?,
        max_attempts: common::flag(&args, "--max-attempts")?,
    };
    println!(
        "device {} ({} Hello, {} bytes) -> {}: {} attempts over a {} h window",
        device.uuid,
        match device.kind {
            Kind::Psk(_) => "PSK",
            Kind::Pki(_) => "PKI",
        },
        device.hello(0).len(),
        device.connect,
        device.schedule.attempt_count(),
        device.schedule.window().as_secs() / 3600,
    );
    device.run(|attempt, result| {
        let outcome = match result {
            Ok(()) => "sent".to_string(),
            Err(e) => format!("failed: {e}"),
        };
        println!(
            "attempt {:>2} at {} (retry count {:>2}): {outcome}",
            attempt.number,
            clock(attempt.at),
            attempt.retry_count
        );
    });
    Ok(())
}
