//! A simulated Intel AMT device in Setup Mode: sends its Hello to an SCA on the crate's retry
//! schedule, one connection per attempt, each Hello carrying that attempt's retry count.
//!
//! ```sh
//! cargo run --example amt_device -- --connect 127.0.0.1:9971 --psk ABCD-1234 --time-scale 3600
//! cargo run --example amt_device -- --pki-hashes 23 --localized-bios --window 6h --chunk-bytes 7
//! ```
//!
//! `--help` lists every flag with its default.

mod common;

use std::net::ToSocketAddrs;
use std::process::ExitCode;
use std::time::Duration;

use amt_hello::{Cadence, Pid, RetrySchedule, Uuid};
use clap::Parser;
use common::device::{Device, Kind, clock};

/// A simulated Intel AMT device in Setup Mode, sending its Hello on the retry schedule.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The SCA's address.
    #[arg(long, default_value = "127.0.0.1:9971")]
    connect: String,
    /// Send PSK Hellos with this PID (the default, with ABCD-1234).
    #[arg(long, conflicts_with = "pki_hashes")]
    psk: Option<Pid>,
    /// Send PKI Hellos with this many SHA-256 hashes (0 to 255).
    #[arg(long, value_parser = clap::value_parser!(u8))]
    pki_hashes: Option<u8>,
    /// The device UUID.
    #[arg(long, default_value = "939b524b-13d4-1d18-e487-1c697a6b7a2b")]
    uuid: Uuid,
    /// Report a localized BIOS (admin-credentials word 0).
    #[arg(long)]
    localized_bios: bool,
    /// The network window: 24h, 6h, or a number of hours (0 to 255).
    #[arg(long, default_value = "24h", value_parser = window)]
    window: Duration,
    /// Simulated seconds per real second.
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Send each Hello in writes of this many bytes.
    #[arg(long)]
    chunk_bytes: Option<usize>,
    /// Stop after this many attempts.
    #[arg(long)]
    max_attempts: Option<usize>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
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
        .map_err(|_| format!("{text}: expected 24h, 6h or a number of hours"))?;
    Ok(Duration::from_secs(hours * 3600))
}

fn run(args: Args) -> Result<(), String> {
    let connect = args
        .connect
        .to_socket_addrs()
        .map_err(|e| format!("--connect {}: {e}", args.connect))?
        .next()
        .ok_or(format!("--connect {}: no address", args.connect))?;
    let kind = match (args.psk, args.pki_hashes) {
        (_, Some(n)) => Kind::Pki(usize::from(n)),
        (pid, None) => Kind::Psk(pid.unwrap_or("ABCD-1234".parse().map_err(|e| format!("{e}"))?)),
    };
    let device = Device {
        connect,
        kind,
        uuid: args.uuid,
        localized_bios: args.localized_bios,
        schedule: RetrySchedule::new(Cadence::DEFAULT, args.window)
            .map_err(|e| format!("--window: {e}"))?,
        time_scale: args.time_scale,
        chunk_bytes: args.chunk_bytes,
        max_attempts: args.max_attempts,
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
