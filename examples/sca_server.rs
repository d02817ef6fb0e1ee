//! An SCA ("ProvisionServer") on tokio that receives Intel AMT Hellos over TCP and prints one
//! JSON line per connection: the decoded Hello (the keys of `examples/decode.rs` plus `peer`, and
//! a `notice` for a localized BIOS), or `{"peer": …, "error": …}`. On SIGINT or SIGTERM it stops
//! accepting, lets the connections in flight finish, prints `{"summary": {…}}` and exits 0.
//!
//! ```sh
//! cargo run --example sca_server -- --listen 127.0.0.1:9971 --idle-timeout-ms 5000
//! cargo run --example sca_server -- --help
//! ```

mod common;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use amt_hello::Policy;
use clap::Parser;
use common::sca::{self, Config};
use tokio::net::TcpSocket;

/// An Intel AMT provisioning server (SCA): one JSON line per connection.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on (port 0 picks one, printed on stderr).
    #[arg(long, default_value = "127.0.0.1:9971")]
    listen: std::net::SocketAddr,
    /// Longest wait for a connection's next bytes, in ms.
    #[arg(long, default_value_t = 5000)]
    idle_timeout_ms: u64,
    /// Longest a connection may last, in ms, however its bytes trickle in.
    #[arg(long, default_value_t = 30_000)]
    deadline_ms: u64,
    /// Most bytes accepted from one connection (default: the longest valid Hello).
    #[arg(long, default_value_t = amt_hello::MAX_LEN)]
    max_bytes: usize,
    /// Connections served at once; beyond it the one idle longest is shed.
    #[arg(long, default_value_t = 16_384)]
    max_connections: usize,
    /// Connections one source address may hold; beyond it its newest is refused.
    #[arg(long, default_value_t = 1024)]
    max_per_ip: usize,
    /// Listen backlog: connections the kernel queues before they are accepted.
    #[arg(long, default_value_t = 1024)]
    backlog: u32,
    /// Stop after this many connections (and print the summary).
    #[arg(long)]
    exit_after: Option<usize>,
    /// Accept what the lenient policy accepts (retry counts above 14, odd PID bytes, unknown
    /// hash algorithms).
    #[arg(long)]
    lenient: bool,
    /// A PEM bundle, or a directory of PEM files such as /etc/ssl/certs: each entry of a report
    /// gets "ca", the matching certificate's subject or null.
    #[arg(long)]
    ca_bundle: Option<std::path::PathBuf>,
    /// A PEM file whose last certificate is the root of your provisioning chain: each report
    /// gets "activation", the device entry that trusts it, or null. Repeat it for several
    /// chains, in your order of preference.
    #[arg(long)]
    provisioning_chain: Vec<std::path::PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    // Certificates first: a bad file is an error before any device is served.
    let loaded = common::ca::load(args.ca_bundle.as_deref(), &args.provisioning_chain)
        .map(|(bundle, roots)| (bundle.map(Arc::new), roots.map(Arc::new)));
    let (ca_bundle, provisioning_roots) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("sca_server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = Config {
        idle_timeout: Duration::from_millis(args.idle_timeout_ms),
        deadline: Duration::from_millis(args.deadline_ms),
        max_bytes: args.max_bytes,
        policy: if args.lenient {
            Policy::Lenient
        } else {
            Policy::Strict
        },
        max_connections: args.max_connections,
        max_per_ip: args.max_per_ip,
        ca_bundle,
        provisioning_roots,
    };
    common::raise_open_files_limit();
    let listener = match listen(args.listen, args.backlog) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("sca_server: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    if let Ok(addr) = listener.local_addr() {
        eprintln!("listening on {addr}");
    }
    let summary = sca::serve_async(
        listener,
        config,
        args.exit_after,
        Arc::new(|report| println!("{report}")),
        shutdown_signal(),
    )
    .await;
    println!("{summary}");
    ExitCode::SUCCESS
}

fn listen(addr: std::net::SocketAddr, backlog: u32) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    eprintln!("shutting down: no new connections; finishing those in flight");
}
