//! Framing for streams: is a complete Hello at the front of what has arrived so far?
//!
//! The device sends one Hello per TCP connection, possibly in several segments. The header and
//! the counts make the message self-delimiting, so an SCA can tell from any prefix that it is
//! complete, or how much more it needs, without waiting for EOF (see the
//! [protocol page](crate::protocol#framing)).

use crate::error::{DecodeError, Needed};
use crate::policy::Policy;
use crate::view::HelloView;

/// What a prefix of a stream holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Frame<'a> {
    /// A complete, valid Hello of [`HelloView::encoded_len`] bytes at the front of the prefix.
    /// Bytes after it are not part of it (the device sends nothing else).
    Complete(HelloView<'a>),
    /// Valid so far, but more bytes are needed.
    Incomplete {
        /// Offset of the first field the prefix does not hold completely.
        offset: usize,
        /// Total length the message needs: read until you have at least this many bytes.
        needed: Needed,
    },
}

/// [`frame_with`] under the strict policy.
///
/// ```
/// use amt_hello::{frame, Frame, Needed};
/// let hello = b"\x01\x00\x02\x00\x00\x00\x00\x00\
///               \x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\
///               ABCD1234";
/// let mut received = 0;
/// for segment in hello.chunks(10) {
///     received += segment.len();
///     match frame(&hello[..received])? {
///         Frame::Incomplete { needed, .. } => assert!(needed.at_least() > received),
///         Frame::Complete(view) => {
///             assert_eq!((received, view.encoded_len()), (32, 32));
///             assert_eq!(view.pid().unwrap().to_string(), "ABCD-1234");
///         }
///     }
/// }
/// # Ok::<(), amt_hello::DecodeError>(())
/// ```
#[inline]
pub fn frame(prefix: &[u8]) -> Result<Frame<'_>, DecodeError> {
    frame_with(prefix, Policy::Strict)
}

/// Says whether `prefix` starts with a complete Hello, needs more bytes, or is already invalid.
///
/// Reads only the Hello at the front of `prefix` and never past it. An error is returned only
/// when a field that *is* present is invalid, so feeding more bytes can never fix it: close the
/// connection. A valid message never needs more than [`MAX_LEN`](crate::MAX_LEN) bytes.
#[inline]
pub fn frame_with(prefix: &[u8], policy: Policy) -> Result<Frame<'_>, DecodeError> {
    match HelloView::read_prefix(prefix, policy) {
        Ok(view) => Ok(Frame::Complete(view)),
        Err(DecodeError::Truncated { offset, needed, .. }) => {
            Ok(Frame::Incomplete { offset, needed })
        }
        Err(invalid) => Err(invalid),
    }
}
