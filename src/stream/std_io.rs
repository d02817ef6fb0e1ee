//! `std::io` streams (feature `std`): a `TcpStream`, a file, a `&[u8]`.
//!
//! ```
//! use amt_hello::{Policy, MAX_STRICT_LEN};
//! use amt_hello::stream::std_io::read_hello;
//!
//! // Two Hellos back to back: each read takes exactly one and leaves the rest in the stream.
//! let psk = b"\x01\x00\x02\x00\x00\x00\x00\x00\
//!             \x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\
//!             ABCD1234";
//! let two = [&psk[..], &psk[..]].concat();
//! let mut stream = &two[..];
//! let mut buf = [0u8; MAX_STRICT_LEN];
//! let hello = read_hello(&mut stream, &mut buf, Policy::Strict)?;
//! assert_eq!(hello.pid().unwrap().to_string(), "ABCD-1234");
//! assert_eq!(stream.len(), 32); // the second Hello is still unread
//! # Ok::<(), amt_hello::stream::ReadError<std::io::Error>>(())
//! ```

extern crate std;

use std::io::{self, ErrorKind, Read, Write};

use super::shared::{block_on, read_loop, write_pieces};
use super::{ReadError, WriteError};
use crate::owned::Hello;
use crate::policy::Policy;
use crate::view::HelloView;

/// Reads exactly one Hello from `reader` into `buf` and returns it validated. Reads never go
/// past the Hello's last byte; `Interrupted` reads are retried.
pub fn read_hello<'b, R: Read + ?Sized>(
    reader: &mut R,
    buf: &'b mut [u8],
    policy: Policy,
) -> Result<HelloView<'b>, ReadError<io::Error>> {
    block_on(read_loop(buf, policy, async |into: &mut [u8]| {
        loop {
            match reader.read(into) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }))
}

/// Writes `hello` to `writer` in small pieces (wrap an unbuffered socket in a `BufWriter`).
pub fn write_hello<W: Write + ?Sized, const N: usize>(
    writer: &mut W,
    hello: &Hello<N>,
) -> Result<(), WriteError<io::Error>> {
    block_on(write_pieces(hello, async |bytes: &[u8]| {
        writer.write_all(bytes)
    }))
}

/// Writes a received Hello's bytes as they are.
pub fn write_view<W: Write + ?Sized>(writer: &mut W, hello: &HelloView<'_>) -> io::Result<()> {
    writer.write_all(hello.as_bytes())
}

impl From<io::Error> for ReadError<io::Error> {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

impl From<io::Error> for WriteError<io::Error> {
    fn from(error: io::Error) -> Self {
        WriteError::Io(error)
    }
}

/// For `?` in code that speaks `io::Error`: the stream's own error as it was, the others as
/// `InvalidData` (a bad Hello, a buffer too small) or `UnexpectedEof`, with the message kept.
impl From<ReadError<io::Error>> for io::Error {
    fn from(error: ReadError<io::Error>) -> Self {
        let kind = match error {
            ReadError::Io(e) => return e,
            ReadError::UnexpectedEof { .. } => ErrorKind::UnexpectedEof,
            _ => ErrorKind::InvalidData,
        };
        io::Error::new(kind, std::string::ToString::to_string(&error))
    }
}
