//! `amt-hello listen`: an SCA ("ProvisionServer") that receives Intel AMT Hellos over TCP and
//! prints one JSON line per connection: the decoded Hello (the keys of `decode` plus `peer`, and
//! a `notice` for a localized BIOS), or `{"peer": …, "error": …}`. On SIGINT or SIGTERM it
//! stops accepting, lets the connections in flight finish, prints `{"summary": {…}}` and exits 0.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket};

use super::TrustArgs;
use crate::out;
use crate::sca::{self, Config};

/// An Intel AMT provisioning server (SCA): one JSON line per connection.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Address to listen on (port 0 picks one, printed on stderr).
    #[arg(long, default_value = "127.0.0.1:9971")]
    pub listen: SocketAddr,
    /// Longest wait for a connection's next bytes, in ms.
    #[arg(long, default_value_t = 5000)]
    pub idle_timeout_ms: u64,
    /// Longest a connection may last, in ms, however its bytes trickle in.
    #[arg(long, default_value_t = 30_000)]
    pub deadline_ms: u64,
    /// Most bytes accepted from one connection (the default is the longest valid Hello).
    #[arg(long, default_value_t = amt_hello::MAX_LEN)]
    pub max_bytes: usize,
    /// Connections served at once; beyond it the one idle longest is shed.
    #[arg(long, default_value_t = 16_384)]
    pub max_connections: usize,
    /// Connections one source address may hold; beyond it its newest is refused.
    #[arg(long, default_value_t = 1024)]
    pub max_per_ip: usize,
    /// Listen backlog: connections the kernel queues before they are accepted.
    #[arg(long, default_value_t = BACKLOG)]
    pub backlog: u32,
    /// Stop after this many connections (and print the summary) [default: none: until SIGINT
    /// or SIGTERM]
    #[arg(long, value_name = "N")]
    pub exit_after: Option<usize>,
    #[command(flatten)]
    pub trust: TrustArgs,
}

/// The default of `--backlog` (`activation --listen` queues as many).
pub const BACKLOG: u32 = 1024;

/// Serves until `--exit-after` connections or a signal; the exit status.
pub fn run(args: Args) -> ExitCode {
    // Certificates first: a bad file is an error before any device is served.
    let certs = match args.trust.load() {
        Ok(certs) => certs,
        Err(e) => {
            out::stderr(&format!("amt-hello listen: {e}"));
            return ExitCode::from(2);
        }
    };
    let config = Config {
        idle_timeout: Duration::from_millis(args.idle_timeout_ms),
        deadline: Duration::from_millis(args.deadline_ms),
        max_bytes: args.max_bytes,
        policy: args.trust.policy(),
        max_connections: args.max_connections,
        max_per_ip: args.max_per_ip,
        certs: Arc::new(certs),
        describe: None,
    };
    let sink = Arc::new(|report: Box<serde_json::value::RawValue>| out::stdout(report.get()));
    let served = serve(
        "amt-hello listen",
        args.listen,
        args.backlog,
        args.exit_after,
        config,
        sink,
    );
    match served {
        Ok(summary) => {
            out::stdout(&summary.to_string());
            ExitCode::SUCCESS
        }
        Err(status) => status,
    }
}

/// Serves `config` on `addr` (saying where on stderr) until `exit_after` connections or SIGINT
/// or SIGTERM, each connection's report to `sink`; the summary. `amt-hello listen` and
/// `amt-hello activation --listen` share it. The error, said on stderr as `who: …`, is the
/// exit status.
pub(crate) fn serve(
    who: &str,
    addr: SocketAddr,
    backlog: u32,
    exit_after: Option<usize>,
    config: Config,
    sink: sca::Sink,
) -> Result<serde_json::Value, ExitCode> {
    crate::raise_open_files_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            out::stderr(&format!("{who}: cannot start tokio: {e}"));
            ExitCode::FAILURE
        })?;
    runtime.block_on(async {
        let listener = listen(addr, backlog).map_err(|e| {
            out::stderr(&format!("{who}: cannot listen on {addr}: {e}"));
            ExitCode::FAILURE
        })?;
        if let Ok(addr) = listener.local_addr() {
            out::stderr(&format!("listening on {addr}"));
        }
        let shutdown = shutdown_signal();
        Ok(sca::serve_async(listener, config, exit_after, sink, shutdown).await)
    })
}

fn listen(addr: SocketAddr, backlog: u32) -> std::io::Result<TcpListener> {
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
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
    out::stderr("shutting down: no new connections; finishing those in flight");
}
