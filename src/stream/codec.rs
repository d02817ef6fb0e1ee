//! A `tokio-util` codec (feature `tokio`): each Hello of a byte stream in turn, owned.
//!
//! ```
//! use amt_hello::Policy;
//! use amt_hello::stream::codec::HelloCodec;
//! use bytes::BytesMut;
//! use tokio_util::codec::Decoder;
//!
//! let psk = b"\x01\x00\x02\x00\x00\x00\x00\x00\
//!             \x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\
//!             ABCD1234";
//! let mut codec: HelloCodec = HelloCodec::new(Policy::Strict);
//! let mut stream = BytesMut::from(&psk[..20]);
//! assert!(codec.decode(&mut stream)?.is_none()); // not yet complete
//! stream.extend_from_slice(&psk[20..]);
//! stream.extend_from_slice(&psk[..]);
//! assert_eq!(codec.decode(&mut stream)?.unwrap().pid(), Some("ABCD-1234".parse()?));
//! assert!(codec.decode(&mut stream)?.is_some()); // the second one
//! assert!(stream.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

extern crate std;

use std::io;

use bytes::{Buf, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use super::{ReadError, WriteError};
use crate::error::Needed;
use crate::framing::{Frame, frame_with};
use crate::owned::{DEFAULT_HASH_CAPACITY, Hello};
use crate::policy::Policy;
use crate::view::HelloView;
use crate::{MAX_LEN, MAX_STRICT_LEN};

/// Decodes a byte stream into [`Hello<N>`] values, one per message, and encodes them back.
///
/// A message that is invalid, longer than the maximum frame length, or cut short by the end of
/// the stream is an error as soon as the bytes show it; a decoder never waits for bytes that
/// cannot make it valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelloCodec<const N: usize = DEFAULT_HASH_CAPACITY> {
    policy: Policy,
    max_len: usize,
}

impl<const N: usize> HelloCodec<N> {
    /// A codec for `policy`, whose maximum frame length is the longest message that policy
    /// accepts ([`MAX_STRICT_LEN`] or [`MAX_LEN`]).
    pub const fn new(policy: Policy) -> Self {
        let max_len = match policy {
            Policy::Strict => MAX_STRICT_LEN,
            Policy::Lenient => MAX_LEN,
        };
        HelloCodec { policy, max_len }
    }

    /// The same codec with another maximum frame length: a message the prefix shows to be
    /// longer is an error ([`ReadError::BufferTooSmall`]) before its bytes are buffered.
    pub const fn with_max_len(self, max_len: usize) -> Self {
        HelloCodec { max_len, ..self }
    }

    /// The maximum frame length.
    pub const fn max_len(&self) -> usize {
        self.max_len
    }

    /// The Hello at the front of `src`, taken off it; while it is incomplete, what it needs.
    fn take(&self, src: &mut BytesMut) -> Result<Result<Hello<N>, Needed>, ReadError<io::Error>> {
        let received = src.len();
        let decode = |error| ReadError::Decode { error, received };
        let (hello, len) = match frame_with(src, self.policy).map_err(decode)? {
            Frame::Complete(view) => (Hello::try_from(&view).map_err(decode)?, view.encoded_len()),
            Frame::Incomplete { needed, .. } if needed.at_least() > self.max_len => {
                return Err(ReadError::BufferTooSmall {
                    needed,
                    capacity: self.max_len,
                });
            }
            Frame::Incomplete { needed, .. } => return Ok(Err(needed)),
        };
        src.advance(len);
        Ok(Ok(hello))
    }
}

impl<const N: usize> Default for HelloCodec<N> {
    /// The strict codec.
    fn default() -> Self {
        HelloCodec::new(Policy::Strict)
    }
}

impl<const N: usize> Decoder for HelloCodec<N> {
    type Item = Hello<N>;
    type Error = ReadError<io::Error>;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Hello<N>>, Self::Error> {
        let taken = self.take(src)?;
        if let Err(needed) = taken {
            src.reserve(needed.at_least().saturating_sub(src.len()));
        }
        Ok(taken.ok())
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Hello<N>>, Self::Error> {
        match self.take(src)? {
            Err(needed) if !src.is_empty() => Err(ReadError::UnexpectedEof {
                received: src.len(),
                needed,
            }),
            taken => Ok(taken.ok()),
        }
    }
}

impl<const N: usize, const M: usize> Encoder<&Hello<M>> for HelloCodec<N> {
    type Error = WriteError<io::Error>;

    fn encode(&mut self, hello: &Hello<M>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        dst.reserve(hello.encoded_len());
        for piece in super::shared::pieces(hello) {
            dst.extend_from_slice(piece.as_bytes());
        }
        Ok(())
    }
}

impl<const N: usize> Encoder<HelloView<'_>> for HelloCodec<N> {
    type Error = WriteError<io::Error>;

    fn encode(&mut self, hello: HelloView<'_>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        dst.extend_from_slice(hello.as_bytes());
        Ok(())
    }
}
