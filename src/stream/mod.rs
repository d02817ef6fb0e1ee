//! Reading and writing Hellos over byte streams: one Hello at a time, exactly.
//!
//! The readers fill a caller's buffer using [`frame_with`](crate::frame_with) after every read,
//! and never ask the stream for more than the prefix proves the message still needs, so the
//! bytes after a Hello stay in the stream. They return a [`HelloView`](crate::HelloView)
//! borrowing the buffer. The writers stream a [`Hello`](crate::Hello) in small pieces (the
//! header, then one entry at a time: no buffer of the whole message) or a view as it is.
//!
//! | feature | module | traits |
//! |---|---|---|
//! | `std` | `std_io` | `std::io::Read`, `std::io::Write` |
//! | `embedded-io` | `embedded` | `embedded_io::Read`, `embedded_io::Write` (blocking, `no_std`) |
//! | `embedded-io-async` | `embedded_async` | `embedded_io_async::Read`, `embedded_io_async::Write` |
//! | `tokio` | `codec` | `tokio_util::codec::{Decoder, Encoder}` |
//!
//! Every reader reports the same [`ReadError`]; every writer the same [`WriteError`].
//!
//! The buffer you give a reader bounds the Hello it takes: [`MAX_STRICT_LEN`](crate::MAX_STRICT_LEN)
//! bytes (16,855) hold any Hello the strict policy accepts, [`MAX_LEN`](crate::MAX_LEN) (65,560)
//! any under the lenient one; a smaller buffer refuses longer Hellos with
//! [`ReadError::BufferTooSmall`] before reading them. Beyond the buffer a reader needs little
//! stack: it frames in place, as [`HelloView::parse`](crate::HelloView::parse) does.

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
mod shared;
#[cfg(feature = "std")]
pub mod std_io;

pub use error::{ReadError, WriteError};
