//! Reading and writing Hellos over byte streams: one Hello at a time, exactly.
//!
//! The readers fill a caller's buffer using [`frame_with`] after every read, and never ask the
//! stream for more than the prefix proves the message still needs, so the bytes after a Hello
//! stay in the stream. They return a [`HelloView`] borrowing the buffer. The writers stream a
//! [`Hello`] in small pieces (the header, then one entry at a time: no buffer of
//! the whole message) or a [`HelloView`] as it is.
//!
//! | feature | module | traits |
//! |---|---|---|
//! | `std` | [`std_io`] | `std::io::Read`, `std::io::Write` |
//! | `embedded-io` | [`embedded`] | `embedded_io::Read`, `embedded_io::Write` (blocking, `no_std`) |
//! | `embedded-io-async` | [`embedded_async`] | `embedded_io_async::Read`, `embedded_io_async::Write` |
//! | `tokio` | [`codec`] | `tokio_util::codec::{Decoder, Encoder}` |
//!
//! Every reader reports the same [`ReadError`]; every writer the same [`WriteError`].

#[cfg(feature = "tokio")]
pub mod codec;
#[cfg(feature = "embedded-io")]
pub mod embedded;
#[cfg(feature = "embedded-io-async")]
pub mod embedded_async;
mod error;
#[cfg(any(
    feature = "std",
    feature = "embedded-io",
    feature = "embedded-io-async"
))]
mod pieces;
#[cfg(feature = "std")]
pub mod std_io;

pub use error::{ReadError, WriteError};

#[cfg(any(feature = "std", feature = "embedded-io"))]
use crate::owned::Hello;
#[cfg(any(
    feature = "std",
    feature = "embedded-io",
    feature = "embedded-io-async"
))]
use {
    crate::error::Needed,
    crate::framing::{Frame, frame_with},
    crate::policy::Policy,
    crate::view::HelloView,
    core::ops::Range,
};

/// What a reader does next, given the buffer and how much of it is filled.
#[cfg(any(
    feature = "std",
    feature = "embedded-io",
    feature = "embedded-io-async"
))]
pub(crate) enum Step {
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

#[cfg(any(
    feature = "std",
    feature = "embedded-io",
    feature = "embedded-io-async"
))]
impl Step {
    /// The next step for `buf` with `filled` bytes of a Hello in it.
    pub(crate) fn next<E>(buf: &[u8], filled: usize, policy: Policy) -> Result<Step, ReadError<E>> {
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
#[cfg(any(
    feature = "std",
    feature = "embedded-io",
    feature = "embedded-io-async"
))]
pub(crate) fn complete<E>(
    buf: &[u8],
    len: usize,
    policy: Policy,
) -> Result<HelloView<'_>, ReadError<E>> {
    let message = buf.get(..len).unwrap_or(buf);
    HelloView::parse_with(message, policy).map_err(|error| ReadError::Decode {
        error,
        received: len,
    })
}

/// The blocking read loop, for any `read` that fills a slice and returns how many bytes it
/// wrote (0 at the end of the stream).
#[cfg(any(feature = "std", feature = "embedded-io"))]
pub(crate) fn read_blocking<E>(
    buf: &mut [u8],
    policy: Policy,
    mut read: impl FnMut(&mut [u8]) -> Result<usize, E>,
) -> Result<HelloView<'_>, ReadError<E>> {
    let mut filled = 0;
    let len = loop {
        match Step::next(buf, filled, policy)? {
            Step::Complete(len) => break len,
            Step::Read { range, needed } => {
                let into = buf.get_mut(range).unwrap_or_default();
                let room = into.len();
                match read(into).map_err(ReadError::Io)? {
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

/// The blocking write of a Hello, piece by piece, for any `write_all`.
#[cfg(any(feature = "std", feature = "embedded-io"))]
pub(crate) fn write_blocking<const N: usize, E>(
    hello: &Hello<N>,
    mut write_all: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), WriteError<E>> {
    for piece in pieces::pieces(hello) {
        write_all(piece.as_bytes()).map_err(WriteError::Io)?;
    }
    Ok(())
}
