//! The SCA side over real TCP, on tokio: accept devices, decode each Hello with the crate's
//! tokio codec, and report one JSON value per connection.
//!
//! A fleet and a hostile host cannot stall it: every connection has an idle timeout, a deadline
//! and a byte limit; one source address may hold only `max_per_ip` connections (its newest is
//! refused beyond that); and when `max_connections` are open, the one idle longest is shed so a
//! new device is still served.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use amt_hello::stream::ReadError;
use amt_hello::stream::codec::HelloCodec;
use amt_hello::{DecodeError, Hello, HelloView, Policy};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio::time::sleep_until;
use tokio_stream::StreamExt;

use super::ca::Cert;
use super::hello_json;

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
    /// The CA bundle: each entry of a report names the certificate it matches (`"ca"`).
    pub ca_bundle: Option<Arc<Vec<Cert>>>,
    /// The provisioning chains' roots, in order of preference: each report says which one the
    /// device trusts (`"activation"`).
    pub provisioning_roots: Option<Arc<Vec<Cert>>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            idle_timeout: Duration::from_secs(5),
            deadline: Duration::from_secs(30),
            max_bytes: amt_hello::MAX_LEN,
            policy: Policy::Strict,
            max_connections: 16_384,
            max_per_ip: 1024,
            ca_bundle: None,
            provisioning_roots: None,
        }
    }
}

/// Where each connection's report goes (stdout in the example, a channel in tests).
pub type Sink = Arc<dyn Fn(Value) + Send + Sync>;

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
        *self.errors.lock().unwrap().entry(kind).or_default() += 1;
    }

    /// `{"summary": {...}}`.
    pub fn json(&self) -> Value {
        let load = |n: &AtomicUsize| n.load(Ordering::Relaxed);
        json!({ "summary": {
            "connections": load(&self.connections),
            "decoded": load(&self.decoded),
            "errors": *self.errors.lock().unwrap(),
            "shed": load(&self.shed),
            "refused_per_ip": load(&self.refused_per_ip),
            "http_probes": load(&self.http_probes),
        }})
    }
}

/// Serves a std listener on a tokio runtime of its own until `exit_after` connections have been
/// reported (forever if `None`), for callers that are not async (the tests, the demo).
pub fn serve(
    listener: std::net::TcpListener,
    config: Config,
    exit_after: Option<usize>,
    sink: Sink,
) -> Value {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let listener = TcpListener::from_std(listener).expect("a tokio listener");
        serve_async(listener, config, exit_after, sink, std::future::pending()).await
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
                    eprintln!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        accepted += 1;
        summary.connections.fetch_add(1, Ordering::Relaxed);
        let admitted = registry.lock().unwrap().admit(peer.ip(), &config, epoch);
        let (sink, summary, registry) = (sink.clone(), summary.clone(), registry.clone());
        let config = config.clone();
        match admitted {
            Admission::Refused => {
                summary.refused_per_ip.fetch_add(1, Ordering::Relaxed);
                drop(stream);
                sink(json!({
                    "peer": peer.to_string(),
                    "error": format!(
                        "refused: {} already holds {} connections (at most {} per address)",
                        peer.ip(), config.max_per_ip, config.max_per_ip
                    ),
                }));
            }
            Admission::Admitted(slot) => {
                tasks.spawn(async move {
                    let report = handle(stream, peer, &config, &slot, &summary).await;
                    registry.lock().unwrap().release(slot.id, peer.ip());
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

/// One connection's place in the registry: when it last received bytes, and how to shed it.
struct Slot {
    id: u64,
    epoch: Instant,
    last_bytes_ms: AtomicU64,
    received: AtomicUsize,
    shed: Notify,
}

impl Slot {
    fn touch(&self, bytes: usize) {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_bytes_ms.store(now, Ordering::Relaxed);
        self.received.fetch_add(bytes, Ordering::Relaxed);
    }

    fn last_bytes(&self) -> Instant {
        self.epoch + Duration::from_millis(self.last_bytes_ms.load(Ordering::Relaxed))
    }
}

enum Admission {
    Admitted(Arc<Slot>),
    Refused,
}

/// The open connections, by id, and how many each source address holds.
#[derive(Default)]
struct Registry {
    next_id: u64,
    open: HashMap<u64, Arc<Slot>>,
    per_ip: HashMap<IpAddr, usize>,
}

impl Registry {
    /// Admits a connection from `ip`, shedding the connection idle longest when full.
    fn admit(&mut self, ip: IpAddr, config: &Config, epoch: Instant) -> Admission {
        let held = self.per_ip.get(&ip).copied().unwrap_or(0);
        if held >= config.max_per_ip {
            return Admission::Refused;
        }
        if self.open.len() >= config.max_connections {
            let idlest = self
                .open
                .values()
                .min_by_key(|s| s.last_bytes_ms.load(Ordering::Relaxed));
            if let Some(idlest) = idlest.cloned() {
                self.open.remove(&idlest.id); // no longer counted, though its task still ends
                idlest.shed.notify_one();
            }
        }
        self.next_id += 1;
        let slot = Arc::new(Slot {
            id: self.next_id,
            epoch,
            last_bytes_ms: AtomicU64::new(0),
            received: AtomicUsize::new(0),
            shed: Notify::new(),
        });
        slot.touch(0);
        self.open.insert(slot.id, slot.clone());
        *self.per_ip.entry(ip).or_default() += 1;
        Admission::Admitted(slot)
    }

    fn release(&mut self, id: u64, ip: IpAddr) {
        self.open.remove(&id);
        if let Some(held) = self.per_ip.get_mut(&ip) {
            *held -= 1;
            if *held == 0 {
                self.per_ip.remove(&ip);
            }
        }
    }
}

/// A stream that tells its slot whenever bytes arrive, and ends after `max_bytes` (so no buffer
/// ever holds more than the limit).
struct Tracked<'a> {
    stream: tokio::io::Take<TcpStream>,
    slot: &'a Slot,
}

impl AsyncRead for Tracked<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        if read > 0 {
            self.slot.touch(read);
        }
        polled
    }
}

/// Why a connection stopped before its Hello.
enum Stop {
    Idle,
    Deadline,
    Shed,
}

/// Reads one connection to its end and describes what arrived.
async fn handle(
    stream: TcpStream,
    peer: SocketAddr,
    config: &Config,
    slot: &Slot,
    summary: &Summary,
) -> Value {
    let started = Instant::now();
    let error = |kind: &'static str, message: String| {
        summary.error(kind);
        json!({ "peer": peer.to_string(), "error": message })
    };
    let codec = HelloCodec::<255>::new(config.policy).with_max_len(config.max_bytes);
    let stream = stream.take(u64::try_from(config.max_bytes).unwrap_or(u64::MAX));
    // A small first buffer: the codec reserves what each prefix proves the Hello needs, so an
    // idle connection costs bytes, not the default 8 KiB.
    let mut framed =
        tokio_util::codec::FramedRead::with_capacity(Tracked { stream, slot }, codec, 64);

    // One wait: for the whole Hello (the codec frames it), or for a reason to stop waiting.
    let (hello_len, report) = {
        // Described inside the stream's poll, so the 17 KB `Hello<255>` lives only on the stack
        // there and never in this connection's future (think 10,000 idle connections).
        let mut described = (&mut framed)
            .map(|item| item.map(|hello| (hello.encoded_len(), describe(&hello, peer, config))));
        let next = tokio::select! {
            next = described.next() => next,
            stop = stopped(config, slot, started) => match stop {
                Stop::Idle => return error("idle_timeout", format!(
                    "idle timeout: no bytes for {} ms after {} received",
                    config.idle_timeout.as_millis(),
                    slot.received.load(Ordering::Relaxed)
                )),
                Stop::Deadline => return error("deadline", format!(
                    "deadline: the connection lasted {} ms with {} bytes received",
                    config.deadline.as_millis(),
                    slot.received.load(Ordering::Relaxed)
                )),
                Stop::Shed => {
                    summary.shed.fetch_add(1, Ordering::Relaxed);
                    return json!({ "peer": peer.to_string(), "error": format!(
                        "shed: idle for {} ms with {} bytes received while the server was full \
                         ({} connections)",
                        slot.last_bytes().elapsed().as_millis(),
                        slot.received.load(Ordering::Relaxed),
                        config.max_connections
                    )});
                }
            },
        };
        drop(described);
        let received = framed.read_buffer().clone();
        match next {
            Some(Ok(described)) => described,
            None => return error("closed", "connection closed".to_string()),
            Some(Err(ReadError::Decode { .. })) if http_probe(&received).is_some() => {
                let answer = http_probe(&received).unwrap_or_default();
                let _ = framed
                    .get_mut()
                    .stream
                    .get_mut()
                    .write_all(answer.as_bytes())
                    .await;
                summary.http_probes.fetch_add(1, Ordering::Relaxed);
                let request = received[..]
                    .split(|&b| b == b'\r' || b == b'\n')
                    .next()
                    .unwrap_or_default();
                return json!({ "peer": peer.to_string(), "http_probe": String::from_utf8_lossy(request) });
            }
            Some(Err(ReadError::Decode { error: e, .. })) => {
                return error("invalid", e.to_string());
            }
            Some(Err(ReadError::UnexpectedEof { .. })) => {
                // Closed before the Hello was complete: say what is missing, invent nothing.
                let e = HelloView::parse_with(&received, config.policy).err();
                return error(
                    "truncated",
                    e.map_or("connection closed".into(), |e| e.to_string()),
                );
            }
            Some(Err(ReadError::BufferTooSmall { needed, capacity })) => {
                return error(
                    "too_long",
                    format!(
                        "cut off after {} bytes: the Hello needs {needed}, more than the {capacity}-byte limit",
                        received.len()
                    ),
                );
            }
            Some(Err(other)) => return error("io", format!("read failed: {other}")),
        }
    };

    // The device closes after its Hello; anything more is not part of it.
    let mut extra = framed.read_buffer().len();
    let mut tracked = framed.into_inner();
    let mut chunk = [0u8; 64];
    while extra < config.max_bytes {
        let read = tokio::select! {
            read = tracked.stream.read(&mut chunk) => read,
            _ = stopped(config, slot, started) => break, // quiet or late: the Hello stands
        };
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => extra += n,
        }
    }
    if extra > 0 {
        let e = DecodeError::TrailingBytes {
            offset: hello_len,
            extra,
        };
        return error("trailing_bytes", e.to_string());
    }
    summary.decoded.fetch_add(1, Ordering::Relaxed);
    report
}

/// The report line of a decoded Hello: the decode example's keys, `peer`, and a `notice` for a
/// localized BIOS.
fn describe(hello: &Hello<255>, peer: SocketAddr, config: &Config) -> Value {
    let mut buf = vec![0u8; hello.encoded_len()];
    let encoded = hello
        .encode_into(&mut buf)
        .map(|_| HelloView::parse_with(&buf, config.policy));
    let Ok(Ok(view)) = encoded else {
        return json!({ "peer": peer.to_string(), "error": format!("cannot re-encode: {encoded:?}") });
    };
    let mut report = json!({ "peer": peer.to_string() });
    report
        .as_object_mut()
        .unwrap()
        .extend(hello_json(&view).as_object().unwrap().clone());
    let (bundle, root) = (
        config.ca_bundle.as_deref(),
        config.provisioning_roots.as_deref(),
    );
    super::ca::annotate(
        &mut report,
        &view,
        bundle.map(Vec::as_slice),
        root.map(Vec::as_slice),
    );
    if view.admin_credentials().must_set_new_credentials() {
        report["notice"] = json!(
            "localized BIOS: new admin credentials must be set in the device before setup can complete"
        );
    }
    report
}

/// Completes when the connection must stop waiting: idle too long, past its deadline, or shed.
async fn stopped(config: &Config, slot: &Slot, started: Instant) -> Stop {
    let deadline = started + config.deadline;
    loop {
        let idle_at = slot.last_bytes() + config.idle_timeout;
        tokio::select! {
            () = slot.shed.notified() => return Stop::Shed,
            () = sleep_until(idle_at.min(deadline).into()) => {}
        }
        let now = Instant::now();
        if now >= deadline {
            return Stop::Deadline;
        }
        if now >= slot.last_bytes() + config.idle_timeout {
            return Stop::Idle;
        }
    }
}

/// A browser (or curl) probing the port: answer in plain text instead of reporting garbage.
fn http_probe(buf: &[u8]) -> Option<&'static str> {
    const METHODS: [&[u8]; 4] = [b"GET ", b"HEAD ", b"POST ", b"OPTIONS "];
    METHODS.iter().any(|m| buf.starts_with(m)).then_some(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n\
         This is an Intel AMT provisioning server (SCA). Devices in Setup Mode send their Hello here.\r\n",
    )
}
