//! TCP connections to the watched ports: a bounded table of open connections, each with its
//! handshake, its end (FIN, RST, still open when the capture ended, evicted) and the client's
//! byte [`Stream`]. A finished connection is handed on at once; only open ones are kept, at most
//! `max` of them and [`MAX_BUFFERED`] bytes in all (a lenient run keeps up to 64 KiB a stream).

use std::collections::BTreeMap;

use foldhash::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use super::packets::Segment;
use super::stream::Stream;

/// How a connection's client stream ended, as far as the capture shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The client's FIN (bytes before it may still be missing: see the stream's gaps).
    Fin,
    /// A RST from the server (`true`) or the client.
    Reset { by_server: bool },
    /// The capture ended with the connection open (or its gaps never filled).
    CaptureEnded,
    /// Dropped from the full table to make room (`--max-flows`).
    Evicted,
    /// The client sent a new SYN from the same address and port.
    Reused,
}

/// What identifies a connection and how it went, as the capture shows it (carried past the
/// events seam; the bytes are not).
#[derive(Debug, Clone)]
pub struct Info {
    /// 1, 2, ... in the order the capture shows them begin.
    pub id: u64,
    pub client: SocketAddr,
    pub server: SocketAddr,
    pub first: Duration,
    pub last: Duration,
    /// The client's SYN is in the capture (otherwise the connection began before it).
    pub syn: bool,
    /// The server's SYN-ACK is in the capture.
    pub syn_ack: bool,
    /// The client's segments that carried bytes.
    pub segments: u32,
    pub end: End,
}

/// One TCP connection from a client to a watched port.
#[derive(Debug)]
pub struct Connection {
    pub info: Info,
    pub stream: Stream,
    /// The server's bytes, on the ports whose replies are read (DNS, the connect-back's TLS).
    pub reply: Option<Stream>,
    /// Sequence number of stream offset 0.
    base: u32,
    /// Sequence number of the reply's offset 0, once known.
    reply_base: Option<u32>,
}

impl Connection {
    /// Whether the connection is over: the client's FIN with no gap before it, and the
    /// server's FIN too where its bytes are read.
    fn ended(&self) -> bool {
        let done = |s: &Stream| s.has_fin() && s.gaps().is_empty();
        done(&self.stream) && self.reply.as_ref().is_none_or(done)
    }
}

type Key = (SocketAddr, SocketAddr);

/// Client bytes the open connections may hold in all; beyond it the oldest are evicted.
pub const MAX_BUFFERED: usize = 64 << 20;

/// The open connections, at most `max` of them.
pub struct Flows {
    ports: Vec<u16>,
    /// Ports whose servers' bytes are kept too.
    replies: Vec<u16>,
    max: usize,
    /// Bytes kept per stream.
    keep: usize,
    open: HashMap<Key, Connection>,
    /// Bytes the open connections' streams hold, at most `budget` after each segment.
    held: usize,
    budget: usize,
    /// Open connections by id: the oldest is evicted first.
    by_age: BTreeMap<u64, Key>,
    next_id: u64,
    /// TCP segments to or from a watched port.
    pub segments: u64,
}

impl Flows {
    /// Connections to `ports`, at most `max` open, each keeping its first `keep` bytes, all of
    /// them at most `budget` bytes.
    pub fn new(ports: Vec<u16>, max: usize, keep: usize, budget: usize) -> Self {
        Flows {
            ports,
            replies: Vec::new(),
            max: max.max(1),
            keep,
            open: HashMap::default(),
            held: 0,
            budget,
            by_age: BTreeMap::new(),
            next_id: 1,
            segments: 0,
        }
    }

    /// Also watches `ports`, keeping their servers' bytes too.
    pub fn with_replies(mut self, ports: &[u16]) -> Self {
        self.ports.extend(ports);
        self.replies.extend(ports);
        self
    }

    /// Takes one segment; `done` gets each connection it finishes (or evicts).
    pub fn segment(
        &mut self,
        time: Duration,
        seg: &Segment<'_>,
        done: &mut impl FnMut(Connection),
    ) {
        let watched = |port| self.ports.contains(&port);
        if !watched(seg.dst.port()) && !watched(seg.src.port()) {
            return;
        }
        // A client's own port may be a watched one too: then the direction comes from the
        // connection already open the other way, or from the SYN-ACK that only a server sends.
        let to_server = watched(seg.dst.port())
            && !(seg.syn && seg.ack)
            && !self.open.contains_key(&(seg.dst, seg.src));
        self.segments += 1;
        if !to_server {
            return self.server_segment(time, seg, done);
        }
        let key = (seg.src, seg.dst);
        if seg.syn {
            match self.open.get(&key) {
                Some(c) if c.info.syn && c.base == seg.seq.wrapping_add(1) => return, // SYN again
                Some(_) => self.close(&key, End::Reused, done),
                None => {}
            }
            self.start(key, time, true, seg.seq.wrapping_add(1), done);
        } else if !self.open.contains_key(&key) {
            if seg.payload.is_empty() && seg.cut == 0 {
                return; // an ACK, FIN or RST of a connection with no bytes in the capture
            }
            self.start(key, time, false, seg.seq, done);
        }
        let Some(c) = self.open.get_mut(&key) else {
            return;
        };
        c.info.last = time;
        let offset = u64::from(seg.seq.wrapping_sub(c.base));
        // More than 2 GiB ahead is before the first byte seen: nothing to place.
        if offset < 1 << 31 && !seg.syn {
            let before = c.stream.held();
            c.stream.insert(offset, seg.payload, seg.cut);
            let carried = !seg.payload.is_empty() || seg.cut > 0;
            c.info.segments = c.info.segments.saturating_add(u32::from(carried));
            self.held += c.stream.held() - before;
            if seg.fin {
                c.stream
                    .fin(offset + seg.payload.len() as u64 + u64::from(seg.cut));
            }
        }
        if seg.rst {
            self.close(&key, End::Reset { by_server: false }, done);
        } else if c.ended() {
            self.close(&key, End::Fin, done);
        }
        self.keep_to_budget(done);
    }

    /// Evicts the oldest connections while their bytes are over the budget.
    fn keep_to_budget(&mut self, done: &mut impl FnMut(Connection)) {
        while self.held > self.budget {
            let Some((_, oldest)) = self.by_age.pop_first() else {
                break;
            };
            self.close(&oldest, End::Evicted, done);
        }
    }

    fn server_segment(
        &mut self,
        time: Duration,
        seg: &Segment<'_>,
        done: &mut impl FnMut(Connection),
    ) {
        let key = (seg.dst, seg.src);
        let Some(c) = self.open.get_mut(&key) else {
            return;
        };
        c.info.last = time;
        if seg.syn && seg.ack {
            c.info.syn_ack = true;
            c.reply_base = Some(seg.seq.wrapping_add(1));
        }
        if let Some(reply) = &mut c.reply {
            let base = *c.reply_base.get_or_insert(seg.seq);
            let offset = u64::from(seg.seq.wrapping_sub(base));
            if offset < 1 << 31 && !seg.syn {
                let before = reply.held();
                reply.insert(offset, seg.payload, seg.cut);
                if seg.fin {
                    reply.fin(offset + seg.payload.len() as u64 + u64::from(seg.cut));
                }
                self.held += reply.held() - before;
            }
        }
        if seg.rst {
            self.close(&key, End::Reset { by_server: true }, done);
        } else if c.reply.is_some() && c.ended() {
            self.close(&key, End::Fin, done);
        }
        self.keep_to_budget(done);
    }

    fn start(
        &mut self,
        key: Key,
        time: Duration,
        syn: bool,
        base: u32,
        done: &mut impl FnMut(Connection),
    ) {
        if self.open.len() >= self.max
            && let Some((_, oldest)) = self.by_age.pop_first()
        {
            self.close(&oldest, End::Evicted, done);
        }
        let id = self.next_id;
        self.next_id += 1;
        let connection = Connection {
            info: Info {
                id,
                client: key.0,
                server: key.1,
                first: time,
                last: time,
                syn,
                syn_ack: false,
                segments: 0,
                end: End::CaptureEnded,
            },
            stream: Stream::new(self.keep),
            reply: self
                .replies
                .contains(&key.1.port())
                .then(|| Stream::new(self.keep)),
            base,
            reply_base: None,
        };
        self.by_age.insert(id, key);
        self.open.insert(key, connection);
    }

    fn close(&mut self, key: &Key, end: End, done: &mut impl FnMut(Connection)) {
        if let Some(mut connection) = self.open.remove(key) {
            self.by_age.remove(&connection.info.id);
            self.held -= connection.stream.held();
            self.held -= connection.reply.as_ref().map_or(0, Stream::held);
            connection.info.end = end;
            done(connection);
        }
    }

    /// Hands on every connection still open, oldest first: the capture has ended.
    pub fn finish(&mut self, done: &mut impl FnMut(Connection)) {
        while let Some((_, key)) = self.by_age.pop_first() {
            let fin = self.open.get(&key).is_some_and(|c| c.stream.has_fin());
            let end = if fin { End::Fin } else { End::CaptureEnded };
            self.close(&key, end, done);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{End, Flows};
    use crate::capture::packets::Segment;

    fn data<'a>(client: &str, payload: &'a [u8]) -> Segment<'a> {
        Segment {
            src: client.parse().unwrap(),
            dst: "192.0.2.1:9971".parse().unwrap(),
            seq: 1,
            syn: false,
            ack: true,
            fin: false,
            rst: false,
            payload,
            cut: 0,
        }
    }

    #[test]
    fn the_oldest_connections_go_when_their_bytes_pass_the_budget() {
        let mut flows = Flows::new(vec![9971], 100, 1000, 250);
        let mut evicted = Vec::new();
        let mut done = |c: super::Connection| evicted.push((c.info.id, c.info.end));
        for (i, client) in ["192.0.2.10:1", "192.0.2.11:1", "192.0.2.12:1"]
            .iter()
            .enumerate()
        {
            flows.segment(
                Duration::from_secs(i as u64),
                &data(client, &[1; 100]),
                &mut done,
            );
        }
        // 300 bytes held after the third: the first connection goes, 200 stay.
        assert_eq!(evicted, vec![(1, End::Evicted)]);
        assert_eq!(flows.held, 200);
        flows.finish(&mut |c| assert_eq!(c.info.end, End::CaptureEnded));
        assert_eq!(flows.held, 0);
    }

    #[test]
    fn a_reply_port_keeps_the_servers_bytes_until_both_sides_close() {
        let mut flows = Flows::new(vec![9971], 100, 1000, 1 << 20).with_replies(&[16993]);
        let (sca, device) = ("192.0.2.1:50000", "192.0.2.10:16993");
        let segment = |src: &str, dst: &str, seq, payload, syn, fin| Segment {
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            seq,
            syn,
            ack: !(syn && src == sca),
            fin,
            rst: false,
            payload,
            cut: 0,
        };
        let mut ended = Vec::new();
        let mut done = |c: super::Connection| ended.push(c);
        let t = Duration::ZERO;
        flows.segment(t, &segment(sca, device, 99, &[], true, false), &mut done);
        flows.segment(t, &segment(device, sca, 499, &[], true, false), &mut done);
        flows.segment(
            t,
            &segment(sca, device, 100, b"hello", false, true),
            &mut done,
        );
        flows.segment(
            t,
            &segment(device, sca, 500, b"alert", false, false),
            &mut done,
        );
        assert_eq!(flows.held, 10, "the SCA's FIN alone does not end it");
        flows.segment(t, &segment(device, sca, 505, &[], false, true), &mut done);
        let [c] = &ended[..] else { panic!("{ended:?}") };
        assert_eq!((c.info.end, c.info.syn_ack), (End::Fin, true));
        assert_eq!(c.stream.prefix(), b"hello");
        assert_eq!(c.reply.as_ref().unwrap().prefix(), b"alert");
        assert_eq!(flows.held, 0);
    }
}
