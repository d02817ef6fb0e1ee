//! A Hello's encoding in small pieces, for the stream writers: no buffer of the whole message.

use crate::algorithm::HashAlgorithm;
use crate::layout::ENTRY_OVERHEAD;
use crate::owned::Hello;
use crate::owned::encode::write_entry;
use crate::writer::Writer;

/// One piece of a Hello's encoding: the header with the PID or the hash count, or one
/// certificate-hash entry. Stream writers send these in turn, so no buffer holds the whole
/// message; each is at most [`Piece::CAPACITY`] bytes.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    bytes: [u8; Piece::CAPACITY],
    len: usize,
}

impl Piece {
    /// The largest piece: an entry with a 64-byte digest (headers are 25 or 32 bytes).
    pub(crate) const CAPACITY: usize = ENTRY_OVERHEAD + HashAlgorithm::MAX_DIGEST_LEN;

    /// The piece's bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&self.bytes)
    }

    /// Writes with `write` into a fresh piece.
    fn build(write: impl FnOnce(&mut Writer<'_>) -> Option<()>) -> Option<Piece> {
        let mut bytes = [0; Piece::CAPACITY];
        let mut w = Writer::new(&mut bytes);
        write(&mut w)?;
        let len = w.written();
        Some(Piece { bytes, len })
    }
}

/// The pieces of a Hello's encoding, in order: see [`pieces`].
#[derive(Debug, Clone)]
pub(crate) struct Pieces<'a, const N: usize> {
    hello: &'a Hello<N>,
    // 0: the header; k ≥ 1: entry k - 1.
    next: usize,
}

/// The encoding of `hello` as a sequence of small pieces. Concatenated they equal what
/// [`Hello::encode_into`] writes.
pub(crate) fn pieces<const N: usize>(hello: &Hello<N>) -> Pieces<'_, N> {
    Pieces { hello, next: 0 }
}

impl<const N: usize> Iterator for Pieces<'_, N> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        let hello = self.hello;
        let piece = match self.next.checked_sub(1) {
            None => Piece::build(|w| hello.write_head(w)),
            Some(index) => Piece::build(|w| write_entry(w, hello.cert_hashes().get(index)?)),
        }?;
        self.next = self.next.saturating_add(1);
        Some(piece)
    }
}
