//! What the stream readers and writers share: the read step that never reads past a Hello, and
//! a Hello's encoding in small pieces (no buffer of the whole message).

use core::ops::Range;

use super::ReadError;
use crate::algorithm::HashAlgorithm;
use crate::error::Needed;
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

/// What a reader does next, given the buffer and how much of it is filled.
enum Step {
    /// A complete Hello of this length is at the front of the buffer.
    Complete(usize),
    /// Read into this range of the buffer (never past what the message still needs).
    Read {
        /// Where the next bytes go: from the filled end up to the length the prefix proves.
        range: Range<usize>,
        /// What the prefix says the message needs in total.
        needed: Needed,
    },
}

impl Step {
    /// The next step for `buf` with `filled` bytes of a Hello in it.
    fn next<E>(buf: &[u8], filled: usize, policy: Policy) -> Result<Step, ReadError<E>> {
        let prefix = buf.get(..filled).unwrap_or(buf);
        match frame_with(prefix, policy) {
            Ok(Frame::Complete(view)) => Ok(Step::Complete(view.encoded_len())),
            Ok(Frame::Incomplete { needed, .. }) => {
                let want = needed.at_least();
                if want > buf.len() {
                    return Err(ReadError::BufferTooSmall {
                        needed,
                        capacity: buf.len(),
                    });
                }
                Ok(Step::Read {
                    range: filled..want,
                    needed,
                })
            }
            Err(error) => Err(ReadError::Decode {
                error,
                received: filled,
            }),
        }
    }
}

/// The view of the complete Hello that [`Step::Complete`] found at the front of `buf`.
fn complete<E>(buf: &[u8], len: usize, policy: Policy) -> Result<HelloView<'_>, ReadError<E>> {
    let message = buf.get(..len).unwrap_or(buf);
    HelloView::parse_with(message, policy).map_err(|error| ReadError::Decode {
        error,
        received: len,
    })
}

/// The read loop, for any `read` that fills a slice and returns how many bytes it wrote (0 at
/// the end of the stream).
pub(crate) async fn read_loop<E>(
    buf: &mut [u8],
    policy: Policy,
    mut read: impl AsyncFnMut(&mut [u8]) -> Result<usize, E>,
) -> Result<HelloView<'_>, ReadError<E>> {
    let mut filled = 0;
    let len = loop {
        match Step::next(buf, filled, policy)? {
            Step::Complete(len) => break len,
            Step::Read { range, needed } => {
                let into = buf.get_mut(range).unwrap_or_default();
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
            }
        }
    };
    complete(buf, len, policy)
}

/// [`read_loop`] over a blocking `read`: it never waits, so the loop is done at its first poll.
#[cfg(any(feature = "std", feature = "embedded-io"))]
pub(crate) fn read_blocking<E>(
    buf: &mut [u8],
    policy: Policy,
    mut read: impl FnMut(&mut [u8]) -> Result<usize, E>,
) -> Result<HelloView<'_>, ReadError<E>> {
    use core::task::{Context, Poll, Waker};
    let mut reading = core::pin::pin!(read_loop(buf, policy, async |into: &mut [u8]| read(into)));
    loop {
        if let Poll::Ready(result) = reading
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            return result;
        }
    }
}

/// The blocking write of a Hello, piece by piece, for any `write_all`.
#[cfg(any(feature = "std", feature = "embedded-io"))]
pub(crate) fn write_blocking<const N: usize, E>(
    hello: &Hello<N>,
    mut write_all: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), super::WriteError<E>> {
    for piece in pieces(hello) {
        write_all(piece.as_bytes()).map_err(super::WriteError::Io)?;
    }
    Ok(())
}
