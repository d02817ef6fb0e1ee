//! The SCA side over real TCP, on tokio: accept devices, decode each Hello with the crate's
//! tokio codec, and report one JSON value per connection. `amt-hello listen` runs it.
//!
//! A fleet and a hostile host cannot stall it: every connection has an idle timeout, a deadline
//! and a byte limit; one source address may hold only `max_per_ip` connections (its newest is
//! refused beyond that); and when `max_connections` are open, the one idle longest is shed so a
//! new device is still served.

mod connection;
mod registry;

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use amt_hello::{HelloView, Policy};
use serde_json::value::{RawValue, to_raw_value};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::ca::Certs;
use registry::{Admission, Registry};

/// How the server treats each connection.
#[derive(Clone)]
pub struct Config {
    /// Longest wait for the next bytes (and for the close after a complete Hello).
    pub idle_timeout: Duration,
    /// Longest a connection may last, however its bytes trickle in (slow-loris clients).
    pub deadline: Duration,
    /// Most bytes accepted from one connection; a longer Hello is cut off with an error.
    pub max_bytes: usize,
    /// Validation policy.
    pub policy: Policy,
    /// Connections served at once; beyond it the one idle longest is shed.
    pub max_connections: usize,
    /// Connections one source address may hold at once; beyond it its newest is refused.
    pub max_per_ip: usize,
    /// The CA bundle (each entry of a report names the certificate it matches, `"ca"`) and the
    /// provisioning chains' roots (each report says which one the device trusts,
    /// `"activation"`).
    pub certs: Arc<Certs>,
    /// Makes a decoded Hello's report instead of the keys of `decode` (`amt-hello activation
    /// --listen`: the device's checklist) [default: none]
    pub describe: Option<Describe>,
}

/// A decoded Hello's report, from its view and its peer: one JSON value, which the [`Sink`] gets
/// when the connection ends cleanly (no trailing bytes) instead of the decode report.
pub type Describe = Arc<dyn Fn(&HelloView<'_>, SocketAddr) -> Box<RawValue> + Send + Sync>;

impl Default for Config {
    fn default() -> Self {
        Config {
            idle_timeout: Duration::from_secs(5),
            deadline: Duration::from_secs(30),
            max_bytes: amt_hello::MAX_LEN,
            policy: Policy::Strict,
            max_connections: 16_384,
            max_per_ip: 1024,
            certs: Arc::default(),
            describe: None,
        }
    }
}

/// Where each connection's report goes, one JSON object (stdout in `amt-hello listen`, a
/// channel in tests).
pub type Sink = Arc<dyn Fn(Box<RawValue>) + Send + Sync>;

/// What the server did, reported when it stops.
#[derive(Debug, Default)]
pub struct Summary {
    connections: AtomicUsize,
    decoded: AtomicUsize,
    shed: AtomicUsize,
    refused_per_ip: AtomicUsize,
    http_probes: AtomicUsize,
    errors: Mutex<BTreeMap<&'static str, usize>>,
}

impl Summary {
    fn error(&self, kind: &'static str) {
        let mut errors = self.errors.lock().unwrap_or_else(PoisonError::into_inner);
        *errors.entry(kind).or_default() += 1;
    }

    /// `{"summary": {...}}`.
    pub fn json(&self) -> Value {
        let load = |n: &AtomicUsize| n.load(Ordering::Relaxed);
        let errors = self.errors.lock().unwrap_or_else(PoisonError::into_inner);
        json!({ "summary": {
            "connections": load(&self.connections),
            "decoded": load(&self.decoded),
            "errors": *errors,
            "shed": load(&self.shed),
            "refused_per_ip": load(&self.refused_per_ip),
            "http_probes": load(&self.http_probes),
        }})
    }
}

/// Serves a std listener on a tokio runtime of its own until `exit_after` connections have been
/// reported (forever if `None`), for callers that are not async (the tests); the summary.
pub fn serve(
    listener: std::net::TcpListener,
    config: Config,
    exit_after: Option<usize>,
    sink: Sink,
) -> std::io::Result<Value> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = TcpListener::from_std(listener)?;
        let pending = std::future::pending();
        Ok(serve_async(listener, config, exit_after, sink, pending).await)
    })
}

/// Serves until `exit_after` connections have been accepted or `shutdown` completes; then
/// accepts no more, lets the connections in flight finish (each within its deadline), and
/// returns the summary.
pub async fn serve_async(
    listener: TcpListener,
    config: Config,
    exit_after: Option<usize>,
    sink: Sink,
    shutdown: impl Future<Output = ()>,
) -> Value {
    let summary = Arc::new(Summary::default());
    let registry = Arc::new(Mutex::new(Registry::default()));
    let epoch = Instant::now();
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    let mut accepted = 0usize;
    while exit_after.is_none_or(|n| accepted < n) {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            result = listener.accept() => match result {
                Ok(connection) => connection,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before accept: go on.
                    crate::out::stderr(&format!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        accepted += 1;
        summary.connections.fetch_add(1, Ordering::Relaxed);
        let admitted = registry
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .admit(peer.ip(), &config, epoch);
        let (sink, summary, registry) = (sink.clone(), summary.clone(), registry.clone());
        let config = config.clone();
        match admitted {
            Admission::Refused => {
                summary.refused_per_ip.fetch_add(1, Ordering::Relaxed);
                drop(stream);
                let report = json!({
                    "peer": peer.to_string(),
                    "error": format!(
                        "refused: {} already holds {} connections (at most {} per address)",
                        peer.ip(), config.max_per_ip, config.max_per_ip
                    ),
                });
                sink(to_raw_value(&report).unwrap_or_default());
            }
            Admission::Admitted(slot) => {
                tasks.spawn(async move {
                    let report = connection::handle(stream, peer, &config, &slot, &summary).await;
                    let mut registry = registry.lock().unwrap_or_else(PoisonError::into_inner);
                    registry.release(slot.id, peer.ip());
                    drop(registry);
                    sink(report);
                });
            }
        }
        while tasks.try_join_next().is_some() {}
    }
    drop(listener);
    while tasks.join_next().await.is_some() {}
    summary.json()
}
