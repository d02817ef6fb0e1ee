//! What the stream readers and writers share: the read step that never reads past a Hello, and
//! a Hello's encoding in small pieces (no buffer of the whole message).

use super::{ReadError, WriteError};
use crate::algorithm::HashAlgorithm;
use crate::framing::{Frame, frame_with};
use crate::layout::ENTRY_OVERHEAD;
use crate::owned::Hello;
use crate::owned::encode::write_entry;
use crate::policy::Policy;
use crate::view::HelloView;
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

/// The encoding of `hello` as a sequence of small pieces: the header, then one per entry.
/// Concatenated they equal what [`Hello::encode_into`] writes.
pub(crate) fn pieces<const N: usize>(hello: &Hello<N>) -> impl Iterator<Item = Piece> {
    let head = core::iter::once_with(move || Piece::build(|w| hello.write_head(w)));
    let entries = hello.cert_hashes().iter();
    head.chain(entries.map(|hash| Piece::build(|w| write_entry(w, hash))))
        .map_while(core::convert::identity)
}

/// The read loop, for any `read` that fills a slice and returns how many bytes it wrote (0 at
/// the end of the stream). Each read goes into the buffer from the filled end up to the length
/// the prefix proves the message needs, never past it.
pub(crate) async fn read_loop<E>(
    buf: &mut [u8],
    policy: Policy,
    mut read: impl AsyncFnMut(&mut [u8]) -> Result<usize, E>,
) -> Result<HelloView<'_>, ReadError<E>> {
    let decode = |error, received| ReadError::Decode { error, received };
    let mut filled = 0;
    let len = loop {
        let needed = match frame_with(buf.get(..filled).unwrap_or(buf), policy) {
            // A complete Hello of this length is at the front of the buffer.
            Ok(Frame::Complete(view)) => break view.encoded_len(),
            Ok(Frame::Incomplete { needed, .. }) => needed,
            Err(error) => return Err(decode(error, filled)),
        };
        let capacity = buf.len();
        let Some(into) = buf.get_mut(filled..needed.at_least()) else {
            return Err(ReadError::BufferTooSmall { needed, capacity });
        };
        let room = into.len();
        match read(into).await.map_err(ReadError::Io)? {
            0 => {
                return Err(ReadError::UnexpectedEof {
                    received: filled,
                    needed,
                });
            }
            n => filled = filled.saturating_add(n.min(room)),
        }
    };
    let message = buf.get(..len).unwrap_or(buf);
    HelloView::parse_with(message, policy).map_err(|error| decode(error, len))
}

/// Writes `hello` piece by piece, for any `write_all`.
pub(crate) async fn write_pieces<const N: usize, E>(
    hello: &Hello<N>,
    mut write_all: impl AsyncFnMut(&[u8]) -> Result<(), E>,
) -> Result<(), WriteError<E>> {
    for piece in pieces(hello) {
        write_all(piece.as_bytes()).await.map_err(WriteError::Io)?;
    }
    Ok(())
}

/// Runs [`read_loop`] or [`write_pieces`] over a blocking stream: it never waits, so the future
/// is done at its first poll.
#[cfg(any(feature = "std", feature = "embedded-io"))]
pub(crate) fn block_on<T>(future: impl Future<Output = T>) -> T {
    use core::task::{Context, Poll, Waker};
    let mut future = core::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}
