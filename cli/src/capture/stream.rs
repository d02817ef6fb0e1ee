//! One connection's client-to-server byte stream, rebuilt from its segments in whatever order
//! the capture holds them. Bytes are placed by sequence number; a byte that arrives twice with
//! the same value is a retransmission, with another value a [`Conflict`] (the first copy stays
//! and the conflict is reported, never resolved silently); ranges no segment covered are
//! [`Gap`]s, and nothing is ever decoded across one.
//!
//! Bounded: the first `keep` bytes are kept (the longest Hello the policy accepts:
//! [`amt_hello::MAX_STRICT_LEN`] or, lenient, [`amt_hello::MAX_LEN`]), later ones only counted, and
//! at most [`MAX_RANGES`] separate received ranges (a segment that would make more is dropped
//! and its bytes become a gap).

/// Separate received ranges kept per stream.
pub const MAX_RANGES: usize = 256;
/// Conflicts and snaplen cuts remembered per stream (more are counted).
const MAX_NOTES: usize = 16;

/// Bytes at the same stream offset that two segments gave different values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Stream offset of the first differing byte.
    pub offset: u64,
    /// How many bytes differ.
    pub len: u64,
}

/// A range of the stream that no captured segment held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub offset: u64,
    pub len: u64,
    /// The capture's snaplen cut a packet's payload where the gap begins.
    pub snaplen: bool,
}

/// The client's bytes, by stream offset (0 is the byte after the SYN, or the first byte seen).
#[derive(Debug, Default)]
pub struct Stream {
    /// Bytes kept from the start of the stream.
    keep: u64,
    data: Vec<u8>,
    /// Received ranges `[start, end)` within `data`, sorted, disjoint and not adjacent.
    have: Vec<(u64, u64)>,
    /// The highest offset any segment reached (its snaplen-cut bytes included).
    end: u64,
    /// Where the client's FIN is.
    fin: Option<u64>,
    /// Offsets where the snaplen cut a payload short.
    cuts: Vec<u64>,
    pub conflicts: Vec<Conflict>,
    /// Conflicts beyond those listed.
    pub more_conflicts: u32,
    /// Segments whose bytes had all arrived before, unchanged.
    pub retransmitted: u32,
    /// Segments dropped because the stream was split into too many ranges.
    pub dropped: u32,
}

impl Stream {
    /// An empty stream that keeps its first `keep` bytes.
    pub fn new(keep: usize) -> Self {
        Stream {
            keep: keep as u64,
            ..Stream::default()
        }
    }

    /// Places `payload` at stream offset `offset`; `cut` more bytes followed it on the wire.
    pub fn insert(&mut self, offset: u64, payload: &[u8], cut: u32) {
        let len = payload.len() as u64;
        self.end = self.end.max(offset + len + u64::from(cut));
        if cut > 0 && self.cuts.len() < MAX_NOTES {
            self.cuts.push(offset + len);
        }
        let start = offset.min(self.keep);
        let stop = (offset + len).min(self.keep);
        if start >= stop {
            return;
        }
        let touches = self.have.iter().any(|&(s, e)| s <= stop && start <= e);
        if !touches && self.have.len() >= MAX_RANGES {
            self.dropped = self.dropped.saturating_add(1);
            return;
        }
        if self.data.len() < stop as usize {
            self.data.resize(stop as usize, 0);
        }
        let byte = |at: u64| payload[(at - offset) as usize];
        // Overlaps with what arrived before: same bytes (retransmission) or not (conflict).
        let mut overlap = 0;
        let mut conflict: Option<Conflict> = None;
        for &(s, e) in &self.have {
            for at in s.max(start)..e.min(stop) {
                overlap += 1;
                if self.data[at as usize] != byte(at) {
                    match &mut conflict {
                        Some(c) => c.len += 1,
                        None => conflict = Some(Conflict { offset: at, len: 1 }),
                    }
                }
            }
        }
        match conflict {
            Some(c) if self.conflicts.len() < MAX_NOTES => self.conflicts.push(c),
            Some(_) => self.more_conflicts = self.more_conflicts.saturating_add(1),
            None if overlap == stop - start => {
                self.retransmitted = self.retransmitted.saturating_add(1)
            }
            None => {}
        }
        // New bytes go only where nothing was: the first copy stays.
        for at in start..stop {
            if !self.holds(at) {
                self.data[at as usize] = byte(at);
            }
        }
        self.add_range(start, stop);
    }

    /// The client's FIN at stream offset `offset`.
    pub fn fin(&mut self, offset: u64) {
        self.fin = Some(offset);
        self.end = self.end.max(offset);
    }

    /// Bytes this stream holds in memory.
    pub fn held(&self) -> usize {
        self.data.len()
    }

    /// Whether the FIN arrived.
    pub fn has_fin(&self) -> bool {
        self.fin.is_some()
    }

    /// The stream's length: up to the FIN, or the furthest byte any segment reached.
    pub fn len(&self) -> u64 {
        self.fin.unwrap_or(self.end)
    }

    /// Whether no segment carried a byte.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes from offset 0 up to the first gap (at most the kept ones).
    pub fn prefix(&self) -> &[u8] {
        match self.have.first() {
            Some(&(0, end)) => &self.data[..end as usize],
            _ => &[],
        }
    }

    /// The ranges below [`Stream::len`] (and the kept length) that no segment held, in order.
    pub fn gaps(&self) -> Vec<Gap> {
        let limit = self.len().min(self.keep);
        let mut gaps = Vec::new();
        let mut at = 0;
        let received = self.have.iter().copied().chain([(limit, limit)]);
        for (start, end) in received {
            let start = start.min(limit);
            if start > at {
                gaps.push(Gap {
                    offset: at,
                    len: start - at,
                    snaplen: self.cuts.contains(&at),
                });
            }
            at = at.max(end);
        }
        gaps
    }

    fn holds(&self, at: u64) -> bool {
        self.have.iter().any(|&(s, e)| s <= at && at < e)
    }

    /// Adds `[start, stop)` to the received ranges, merging those it touches.
    fn add_range(&mut self, mut start: u64, mut stop: u64) {
        self.have.retain(|&(s, e)| {
            let touches = s <= stop && start <= e;
            if touches {
                start = start.min(s);
                stop = stop.max(e);
            }
            !touches
        });
        let at = self.have.partition_point(|&(s, _)| s < start);
        self.have.insert(at, (start, stop));
    }
}

#[cfg(test)]
mod tests {
    use super::{Conflict, Gap, Stream};

    #[test]
    fn out_of_order_segments_join_and_retransmissions_are_counted() {
        let mut stream = Stream::new(1000);
        stream.insert(4, b"4567", 0);
        assert_eq!(stream.prefix(), b"");
        stream.insert(0, b"0123", 0);
        stream.insert(2, b"2345", 0);
        stream.fin(8);
        assert_eq!(stream.prefix(), b"01234567");
        assert_eq!((stream.retransmitted, stream.gaps()), (1, vec![]));
    }

    #[test]
    fn different_bytes_at_one_offset_are_a_conflict_and_the_first_copy_stays() {
        let mut stream = Stream::new(1000);
        stream.insert(0, b"abcdef", 0);
        stream.insert(2, b"cXYf", 0);
        assert_eq!(stream.prefix(), b"abcdef");
        assert_eq!(stream.conflicts, vec![Conflict { offset: 3, len: 2 }]);
    }

    #[test]
    fn missing_and_cut_bytes_are_gaps() {
        let mut stream = Stream::new(1000);
        stream.insert(0, b"ab", 3); // cut by the snaplen: 3 more bytes on the wire
        stream.insert(10, b"k", 0);
        stream.fin(12);
        assert_eq!(
            stream.gaps(),
            vec![
                Gap {
                    offset: 2,
                    len: 8,
                    snaplen: true
                },
                Gap {
                    offset: 11,
                    len: 1,
                    snaplen: false
                },
            ]
        );
        assert_eq!(stream.prefix(), b"ab");
    }
}
