//! Blocking `embedded-io` streams (feature `embedded-io`, `no_std`, no allocation).

use embedded_io::{Read, Write};

use super::shared::{block_on, read_loop, write_pieces};
use super::{ReadError, WriteError};
use crate::owned::Hello;
use crate::policy::Policy;
use crate::view::HelloView;

/// Reads exactly one Hello from `reader` into `buf` and returns it validated. Reads never go
/// past the Hello's last byte.
pub fn read_hello<'b, R: Read + ?Sized>(
    reader: &mut R,
    buf: &'b mut [u8],
    policy: Policy,
) -> Result<HelloView<'b>, ReadError<R::Error>> {
    block_on(read_loop(buf, policy, async |into: &mut [u8]| {
        reader.read(into)
    }))
}

/// Writes `hello` to `writer` piece by piece: the header, then one entry at a time.
pub fn write_hello<W: Write + ?Sized, const N: usize>(
    writer: &mut W,
    hello: &Hello<N>,
) -> Result<(), WriteError<W::Error>> {
    block_on(write_pieces(hello, async |bytes: &[u8]| {
        writer.write_all(bytes)
    }))
}

/// Writes a received Hello's bytes as they are.
pub fn write_view<W: Write + ?Sized>(
    writer: &mut W,
    hello: &HelloView<'_>,
) -> Result<(), W::Error> {
    writer.write_all(hello.as_bytes())
}
