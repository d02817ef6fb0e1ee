//! One connection: read it to its end under the limits, decode its Hello, and describe what
//! arrived as one JSON report.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Instant;

use amt_hello::stream::ReadError;
use amt_hello::stream::codec::HelloCodec;
use amt_hello::{DecodeError, Frame, HelloView, Policy};
use bytes::BytesMut;
use serde_json::value::{RawValue, to_raw_value};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::sleep_until;
use tokio_stream::StreamExt;
use tokio_util::codec::Decoder;

use super::registry::Slot;
use super::{Config, Summary};

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

/// Frames a stream into its Hellos' bytes, each read in place as a view: the library's codec
/// says what to wait for and what is wrong; a complete Hello is handed on as its bytes instead
/// of an owned `Hello<255>` (17 KB) that would be encoded back to bytes for its report.
struct Frames {
    codec: HelloCodec<255>,
    policy: Policy,
}

impl Decoder for Frames {
    type Item = BytesMut;
    type Error = ReadError<io::Error>;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>, Self::Error> {
        match amt_hello::frame_with(src, self.policy) {
            Ok(Frame::Complete(view)) => {
                let len = view.encoded_len();
                Ok(Some(src.split_to(len)))
            }
            // Not complete, so the codec consumes nothing: it reserves room or says what is wrong.
            _ => self.codec.decode(src).map(|_| None),
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<BytesMut>, Self::Error> {
        match self.decode(src)? {
            Some(hello) => Ok(Some(hello)),
            None => self.codec.decode_eof(src).map(|_| None),
        }
    }
}

/// A report that is not a Hello's, as a line.
fn line(report: Value) -> Box<RawValue> {
    to_raw_value(&report).unwrap_or_default()
}

/// Why a connection stopped before its Hello.
enum Stop {
    Idle,
    Deadline,
    Shed,
}

/// Reads one connection to its end and describes what arrived.
pub(super) async fn handle(
    stream: TcpStream,
    peer: SocketAddr,
    config: &Config,
    slot: &Slot,
    summary: &Summary,
) -> Box<RawValue> {
    let started = Instant::now();
    let error = |kind: &'static str, message: String| {
        summary.error(kind);
        line(json!({ "peer": peer.to_string(), "error": message }))
    };
    let codec = Frames {
        codec: HelloCodec::new(config.policy).with_max_len(config.max_bytes),
        policy: config.policy,
    };
    let stream = stream.take(u64::try_from(config.max_bytes).unwrap_or(u64::MAX));
    // A small first buffer: the codec reserves what each prefix proves the Hello needs, so an
    // idle connection costs bytes, not the default 8 KiB.
    let mut framed =
        tokio_util::codec::FramedRead::with_capacity(Tracked { stream, slot }, codec, 64);

    // One wait: for the whole Hello (the codec frames it), or for a reason to stop waiting.
    let (hello_len, report) = {
        let mut described = (&mut framed)
            .map(|item| item.map(|hello| (hello.len(), describe(&hello, peer, config))));
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
                    return line(json!({ "peer": peer.to_string(), "error": format!(
                        "shed: idle for {} ms with {} bytes received while the server was full \
                         ({} connections)",
                        slot.last_bytes().elapsed().as_millis(),
                        slot.received.load(Ordering::Relaxed),
                        config.max_connections
                    )}));
                }
            },
        };
        drop(described);
        let received = framed.read_buffer().clone();
        match next {
            Some(Ok(described)) => described,
            None => return error("closed", "connection closed".to_string()),
            Some(Err(ReadError::Decode { .. }))
                if crate::report::http_request_line(&received).is_some() =>
            {
                let request = crate::report::http_request_line(&received).unwrap_or_default();
                let _ = framed
                    .get_mut()
                    .stream
                    .get_mut()
                    .write_all(HTTP_ANSWER.as_bytes())
                    .await;
                summary.http_probes.fetch_add(1, Ordering::Relaxed);
                return line(json!({ "peer": peer.to_string(), "http_probe": request }));
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

/// The report line of a decoded Hello: `peer`, the keys of `amt-hello decode`, and a `notice`
/// for a localized BIOS; or what [`Config::describe`] makes of it.
fn describe(bytes: &[u8], peer: SocketAddr, config: &Config) -> Box<RawValue> {
    #[derive(serde::Serialize)]
    struct Peer {
        peer: String,
    }
    #[derive(serde::Serialize)]
    struct Notice {
        #[serde(skip_serializing_if = "Option::is_none")]
        notice: Option<&'static str>,
    }
    let peer_addr = peer;
    let peer = Peer {
        peer: peer.to_string(),
    };
    let view = match HelloView::parse_with(bytes, config.policy) {
        Ok(view) => view,
        Err(e) => return line(json!({ "peer": peer.peer, "error": e.to_string() })),
    };
    if let Some(describe) = &config.describe {
        return describe(&view, peer_addr);
    }
    let localized = view.admin_credentials().must_set_new_credentials();
    let notice = Notice {
        notice: localized.then_some(crate::report::LOCALIZED_BIOS),
    };
    let verdict = config.certs.verdict(&view);
    crate::report::json_line(peer, &view, &verdict, notice)
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

/// What a browser (or curl) probing the port gets: plain text instead of silence.
const HTTP_ANSWER: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n\
     This is an Intel AMT provisioning server (SCA). Devices in Setup Mode send their Hello here.\r\n";
