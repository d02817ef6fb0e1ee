//! The SCA side over real TCP: accept devices, frame each Hello with the crate's framing
//! function, and report one JSON value per connection. Thread per connection, each with its own
//! idle timeout and byte limit, so one slow or hostile client never stalls the others.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use amt_hello::{DecodeError, Frame, HelloView, Policy, frame_with};
use serde_json::{Value, json};

use super::hello_json;

/// How the server treats each connection.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Longest wait for the next bytes (and for the close after a complete Hello).
    pub idle_timeout: Duration,
    /// Longest a connection may last, however its bytes trickle in (slow-loris clients).
    pub deadline: Duration,
    /// Most bytes accepted from one connection; a longer stream is cut off with an error.
    pub max_bytes: usize,
    /// Validation policy.
    pub policy: Policy,
    /// Connections served at once; more are answered with an error line and closed.
    pub max_connections: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            idle_timeout: Duration::from_secs(5),
            deadline: Duration::from_secs(30),
            max_bytes: amt_hello::MAX_LEN,
            policy: Policy::Strict,
            max_connections: 1024,
        }
    }
}

/// Where each connection's report goes (stdout in the example, a Vec in tests).
pub type Sink = Arc<dyn Fn(Value) + Send + Sync>;

/// Serves `listener` until `exit_after` connections have been reported (forever if `None`).
pub fn serve(listener: TcpListener, config: Config, exit_after: Option<usize>, sink: Sink) {
    let active = Arc::new(AtomicUsize::new(0));
    let mut handlers = Vec::new();
    for (accepted, stream) in listener.incoming().enumerate() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) => {
                eprintln!("accept failed: {e}");
                continue;
            }
        };
        let (sink, active) = (sink.clone(), active.clone());
        let busy = active.fetch_add(1, Ordering::SeqCst) >= config.max_connections;
        handlers.push(std::thread::spawn(move || {
            let report = if busy {
                busy_report(&stream)
            } else {
                handle(stream, &config)
            };
            active.fetch_sub(1, Ordering::SeqCst);
            sink(report);
        }));
        handlers.retain(|h| !h.is_finished());
        if exit_after.is_some_and(|n| accepted + 1 >= n) {
            break;
        }
    }
    for handler in handlers {
        let _ = handler.join();
    }
}

fn peer_of(stream: &TcpStream) -> String {
    stream
        .peer_addr()
        .map_or_else(|_| "unknown".to_string(), |a: SocketAddr| a.to_string())
}

fn busy_report(stream: &TcpStream) -> Value {
    json!({ "peer": peer_of(stream), "error": "server busy: too many connections" })
}

/// Reads one connection to its end and describes what arrived.
pub fn handle(mut stream: TcpStream, config: &Config) -> Value {
    let peer = peer_of(&stream);
    let error = |message: String| json!({ "peer": peer, "error": message });
    let started = Instant::now();

    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let mut wait_for = 1; // read until at least this many bytes have arrived before framing
    let hello_len = loop {
        match read_some(&mut stream, &mut chunk, config, started) {
            Ok(0) => {
                // Closed before the Hello was complete: say what is missing, invent nothing.
                let e = HelloView::parse_with(&buf, config.policy).err();
                return error(e.map_or("connection closed".to_string(), |e| e.to_string()));
            }
            Ok(n) => {
                // Never keep more than the limit. Framing's lower bound on the length reaches
                // past the limit before the bytes do, so a kept prefix always decides.
                let room = config.max_bytes.saturating_sub(buf.len());
                buf.extend_from_slice(&chunk[..n.min(room)]);
            }
            Err(Stop::Idle) => {
                return error(format!(
                    "idle timeout: no bytes for {} ms after {} received",
                    config.idle_timeout.as_millis(),
                    buf.len()
                ));
            }
            Err(Stop::Deadline) => {
                return error(format!(
                    "deadline: the connection lasted {} ms with {} bytes received",
                    config.deadline.as_millis(),
                    buf.len()
                ));
            }
            Err(Stop::Failed(e)) => return error(format!("read failed: {e}")),
        }
        if let Some(answer) = http_probe(&buf) {
            let _ = stream.write_all(answer.as_bytes());
            let request = buf
                .split(|&b| b == b'\r' || b == b'\n')
                .next()
                .unwrap_or_default();
            return json!({ "peer": peer, "http_probe": String::from_utf8_lossy(request) });
        }
        if buf.len() < wait_for {
            continue;
        }
        match frame_with(&buf, config.policy) {
            Ok(Frame::Complete(view)) => break view.encoded_len(),
            Ok(Frame::Incomplete { needed, .. }) if needed.at_least() > config.max_bytes => {
                return error(format!(
                    "cut off after {} bytes: the Hello needs {needed}, more than the {}-byte limit",
                    buf.len(),
                    config.max_bytes
                ));
            }
            Ok(Frame::Incomplete { needed, .. }) => wait_for = needed.at_least(),
            Err(e) => return error(e.to_string()),
        }
    };

    // The device closes after its Hello; anything more is not part of it.
    loop {
        match read_some(&mut stream, &mut chunk, config, started) {
            Ok(0) => break,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n.min(config.max_bytes.saturating_sub(buf.len()))]);
                if buf.len() > hello_len {
                    let e = DecodeError::TrailingBytes {
                        offset: hello_len,
                        extra: buf.len() - hello_len,
                    };
                    return error(e.to_string());
                }
            }
            Err(_) => break, // quiet, late or reset after a complete Hello: the Hello stands
        }
    }
    let view = match HelloView::parse_with(&buf, config.policy) {
        Ok(view) => view,
        Err(e) => return error(e.to_string()),
    };
    let mut report = json!({ "peer": peer });
    report
        .as_object_mut()
        .unwrap()
        .extend(hello_json(&view).as_object().unwrap().clone());
    if view.admin_credentials().must_set_new_credentials() {
        report["notice"] = json!(
            "localized BIOS: new admin credentials must be set in the device before setup can complete"
        );
    }
    report
}

/// Why a read gave no bytes.
enum Stop {
    Idle,
    Deadline,
    Failed(std::io::Error),
}

/// One read, waiting at most the idle timeout and never past the connection's deadline.
fn read_some(
    stream: &mut TcpStream,
    chunk: &mut [u8],
    config: &Config,
    started: Instant,
) -> Result<usize, Stop> {
    loop {
        let left = config.deadline.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Stop::Deadline);
        }
        let wait = config.idle_timeout.min(left);
        stream.set_read_timeout(Some(wait)).map_err(Stop::Failed)?;
        match stream.read(chunk) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(if wait < config.idle_timeout {
                    Stop::Deadline
                } else {
                    Stop::Idle
                });
            }
            Err(e) => return Err(Stop::Failed(e)),
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
