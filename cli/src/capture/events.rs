//! Events: the seam of the pipeline. A finished [`Connection`] becomes what happened on it, in
//! words a report can use: a Hello (decoded by the library only), an invalid one, a refusal,
//! an early close, bytes after the Hello, something that is no Hello, and what the capture
//! itself lost or holds twice. Nothing after this stage sees bytes; nothing before it knows a
//! device. (Issue 28's DHCP, DNS and connect-back readers add their kinds here.)

use amt_hello::{Frame, HelloView, Policy, Uuid};
use serde_json::json;
use serde_json::value::RawValue;

use super::Form;
use super::flows::Connection;
pub use super::flows::{End, Info};
use crate::activation::Assessment;
use crate::ca::Certs;
use crate::report;

/// One connection as the capture shows it, with what happened on it.
#[derive(Debug)]
pub struct ConnectionEvents {
    pub info: Info,
    /// Client bytes the stream holds (to its FIN or furthest segment).
    pub bytes: u64,
    pub events: Vec<Event>,
}

/// What happened on a connection.
#[derive(Debug)]
pub enum Event {
    Hello(Box<HelloFacts>),
    /// The bytes are a Hello up to an invalid field.
    HelloError {
        error: String,
    },
    /// The server answered the SYN with a RST: nothing listens there.
    Refused,
    /// The SYN got no answer in the capture.
    Unanswered,
    /// The stream ended before the Hello did.
    ClosedEarly {
        received: u64,
        needed: usize,
    },
    /// Bytes after a complete Hello.
    TrailingBytes {
        after: usize,
        extra: u64,
    },
    /// Bytes that are not a Hello at all: an HTTP request, TLS, ...
    NotAHello {
        what: String,
    },
    /// The connection began before the capture and its first bytes are not in it.
    StartMissing,
    /// Stream bytes no captured segment held.
    Gap {
        offset: u64,
        len: u64,
        snaplen: bool,
    },
    /// Bytes that two segments gave different values (`more`: conflicts not listed).
    Conflict {
        offset: u64,
        len: u64,
    },
    /// Segments whose bytes had all arrived before.
    Retransmitted {
        segments: u32,
    },
    /// Dropped from the full flow table (`--max-flows`) while still open.
    Evicted,
}

/// A decoded Hello: what timelines need, and its report in the run's form (the keys and lines
/// of `amt-hello decode`).
#[derive(Debug, Clone)]
pub struct HelloFacts {
    pub uuid: Uuid,
    pub retry_count: u32,
    pub version: u16,
    pub psk: bool,
    pub localized_bios: bool,
    pub pid: Option<String>,
    /// Each trusted root, named from `--ca-bundle` where it is in it.
    pub roots: Vec<Root>,
    /// Whether a CA bundle named the roots (`--ca-bundle`).
    pub named: bool,
    /// With `--provisioning-chain`: the activation answer in words.
    pub activation: Option<String>,
    /// With a `--provisioning-chain` that holds more than the root: each chain file's checklist
    /// for this device (`amt-hello activation --capture` prints it).
    pub checks: Option<Vec<(String, Assessment)>>,
    pub report: Report,
}

/// A Hello's report, made once, in the one form the run prints.
#[derive(Debug, Clone)]
pub enum Report {
    /// Its lines for people.
    Text(String),
    /// Its JSON event object, `"event": "hello"` first, already serialized.
    Json(Box<RawValue>),
}

/// A root certificate a device trusts: one certificate-hash entry of its Hello.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Root {
    pub algorithm: String,
    /// The digest in hex.
    pub digest: String,
    /// The CA bundle's name for it.
    pub ca: Option<String>,
}

/// How Hellos are judged.
pub struct Judge {
    pub policy: Policy,
    pub certs: Certs,
    /// The form Hellos are reported in.
    pub form: Form,
}

impl Judge {
    /// What happened on `c`.
    pub fn events(&self, c: &Connection) -> ConnectionEvents {
        let mut events = Vec::new();
        let stream = &c.stream;
        for gap in stream.gaps() {
            let (offset, len, snaplen) = (gap.offset, gap.len, gap.snaplen);
            events.push(Event::Gap {
                offset,
                len,
                snaplen,
            });
        }
        for conflict in &stream.conflicts {
            let (offset, len) = (conflict.offset, conflict.len);
            events.push(Event::Conflict { offset, len });
        }
        if stream.retransmitted > 0 {
            events.push(Event::Retransmitted {
                segments: stream.retransmitted,
            });
        }
        let prefix = stream.prefix();
        let gapped = events.iter().any(|e| matches!(e, Event::Gap { .. }));
        if stream.is_empty() {
            match (c.info.syn_ack, c.info.end) {
                (false, End::Reset { by_server: true }) => events.push(Event::Refused),
                (false, End::CaptureEnded) if c.info.syn => events.push(Event::Unanswered),
                _ => events.push(Event::ClosedEarly {
                    received: 0,
                    needed: 0,
                }),
            }
        } else {
            match amt_hello::frame_with(prefix, self.policy) {
                Ok(Frame::Complete(hello)) => {
                    events.push(Event::Hello(Box::new(self.facts(&hello))));
                    let after = hello.encoded_len();
                    if stream.len() > after as u64 {
                        let extra = stream.len() - after as u64;
                        events.push(Event::TrailingBytes { after, extra });
                    }
                }
                _ if not_a_hello(prefix).is_some() => {
                    let what = not_a_hello(prefix).unwrap_or_default();
                    events.push(Event::NotAHello { what });
                }
                _ if !c.info.syn && !looks_like_a_start(prefix) => events.push(Event::StartMissing),
                Ok(Frame::Incomplete { needed, .. }) if !gapped && c.info.end != End::Evicted => {
                    let received = prefix.len() as u64;
                    let needed = needed.at_least();
                    events.push(Event::ClosedEarly { received, needed });
                }
                Ok(Frame::Incomplete { .. }) => {} // the gap or the eviction says why
                Err(e) => events.push(Event::HelloError {
                    error: e.to_string(),
                }),
            }
        }
        if c.info.end == End::Evicted {
            events.push(Event::Evicted);
        }
        ConnectionEvents {
            info: c.info.clone(),
            bytes: stream.len(),
            events,
        }
    }

    fn facts(&self, hello: &HelloView<'_>) -> HelloFacts {
        let mut verdict = self.certs.verdict(hello);
        let names = verdict.names.clone().unwrap_or_default();
        let roots = hello
            .cert_hashes()
            .enumerate()
            .map(|(i, entry)| Root {
                algorithm: entry.algorithm().to_string(),
                digest: entry.digest().to_string(),
                ca: names.get(i).cloned().flatten(),
            })
            .collect();
        let activation = verdict
            .activation
            .as_ref()
            .map(|a| report::activation_text(a.as_ref()));
        let report = match self.form {
            Form::Text => Report::Text(report::text(hello, &verdict)),
            Form::Json => Report::Json(report::json_line(
                json!({ "event": "hello" }),
                hello,
                &verdict,
                (),
            )),
        };
        HelloFacts {
            uuid: hello.uuid(),
            retry_count: hello.retry_count(),
            version: hello.version().to_wire(),
            psk: hello.pid().is_some(),
            localized_bios: hello.admin_credentials().must_set_new_credentials(),
            pid: hello.pid().map(|pid| pid.to_string()),
            roots,
            named: verdict.names.is_some(),
            activation,
            checks: verdict.checks.take(),
            report,
        }
    }
}

/// Whether `prefix` could be the start of a Hello (its first byte is the credentials word's).
fn looks_like_a_start(prefix: &[u8]) -> bool {
    amt_hello::frame_with(prefix, Policy::Lenient).is_ok()
}

/// What the bytes are when they are plainly not a Hello.
fn not_a_hello(prefix: &[u8]) -> Option<String> {
    if let Some(line) = report::http_request_line(prefix) {
        let line: String = line.chars().take(80).collect();
        return Some(format!("an HTTP request: {line}"));
    }
    match prefix {
        [0x16, 0x03, ..] => Some("a TLS handshake".into()),
        [b'S', b'S', b'H', b'-', ..] => Some("an SSH client".into()),
        _ => None,
    }
}
