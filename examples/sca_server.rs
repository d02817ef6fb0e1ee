//! An SCA ("ProvisionServer") that receives Intel AMT Hellos over TCP and prints one JSON line
//! per connection: the decoded Hello (the keys of `examples/decode.rs` plus `peer`, and a
//! `notice` for a localized BIOS), or `{"peer": …, "error": …}`.
//!
//! ```sh
//! cargo run --example sca_server -- --listen 127.0.0.1:9971 --idle-timeout-ms 5000
//! ```
//!
//! Flags: `--listen ADDR` (default 127.0.0.1:9971; port 0 picks one, printed on stderr),
//! `--idle-timeout-ms N` (default 5000), `--deadline-ms N` (longest a connection may last,
//! default 30000), `--max-bytes N` (default 65560, the longest valid
//! Hello), `--max-connections N` (default 1024), `--exit-after N`, `--lenient`.

mod common;

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use amt_hello::Policy;
use common::sca::{self, Config};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sca_server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if common::switch(&args, "--help") || common::switch(&args, "-h") {
        println!(
            "usage: sca_server [--listen ADDR] [--idle-timeout-ms N] [--deadline-ms N] [--max-bytes N] [--max-connections N] [--exit-after N] [--lenient]"
        );
        return Ok(());
    }
    let defaults = Config::default();
    let config = Config {
        idle_timeout: common::flag(&args, "--idle-timeout-ms")?
            .map_or(defaults.idle_timeout, Duration::from_millis),
        deadline: common::flag(&args, "--deadline-ms")?
            .map_or(defaults.deadline, Duration::from_millis),
        max_bytes: common::flag(&args, "--max-bytes")?.unwrap_or(defaults.max_bytes),
        policy: if common::switch(&args, "--lenient") {
            Policy::Lenient
        } else {
            Policy::Strict
        },
        max_connections: common::flag(&args, "--max-connections")?
            .unwrap_or(defaults.max_connections),
    };
    let listen: String = common::flag(&args, "--listen")?.unwrap_or("127.0.0.1:9971".to_string());
    let exit_after: Option<usize> = common::flag(&args, "--exit-after")?;

    let listener =
        TcpListener::bind(&listen).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("listening on {addr}");
    sca::serve(
        listener,
        config,
        exit_after,
        Arc::new(|report| println!("{report}")),
    );
    Ok(())
}
