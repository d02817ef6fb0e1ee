//! What can go wrong reading or writing a Hello over a stream, with the stream's own error kept.

use core::fmt;

use crate::error::{DecodeError, Needed};

/// Why no Hello could be read from a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ReadError<E> {
    /// The stream itself failed.
    Io(E),
    /// The bytes are not a valid Hello, as framing found as soon as the prefix showed it: more
    /// bytes cannot fix it. The buffer holds the `received` bytes.
    Decode {
        /// The first invalid field.
        error: DecodeError,
        /// How many bytes had arrived.
        received: usize,
    },
    /// The stream ended before the Hello was complete.
    UnexpectedEof {
        /// How many bytes had arrived.
        received: usize,
        /// What the message needs in total, as far as those bytes tell.
        needed: Needed,
    },
    /// The Hello is longer than the buffer. A buffer of [`MAX_LEN`](crate::MAX_LEN) bytes (or
    /// [`MAX_STRICT_LEN`](crate::MAX_STRICT_LEN) under the strict policy) never is.
    BufferTooSmall {
        /// What the message needs in total, as far as the bytes read tell.
        needed: Needed,
        /// The buffer's length.
        capacity: usize,
    },
}

impl<E: fmt::Display> fmt::Display for ReadError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "reading the Hello failed: {e}"),
            ReadError::Decode { error, .. } => write!(f, "{error}"),
            ReadError::UnexpectedEof { received, needed } => write!(
                f,
                "the stream ended after {received} bytes; the Hello needs {needed}"
            ),
            ReadError::BufferTooSmall { needed, capacity } => write!(
                f,
                "the Hello needs {needed}, more than the {capacity}-byte buffer"
            ),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for ReadError<E> {}

/// Why a Hello could not be written to a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum WriteError<E> {
    /// The stream itself failed.
    Io(E),
}

impl<E: fmt::Display> fmt::Display for WriteError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let WriteError::Io(e) = self;
        write!(f, "writing the Hello failed: {e}")
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for WriteError<E> {}
