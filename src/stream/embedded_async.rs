//! Async `embedded-io-async` streams (feature `embedded-io-async`, `no_std`, no allocation):
//! for embedded executors such as Embassy, or any async runtime with an adapter.

use embedded_io_async::{Read, Write};

use super::shared::{read_loop, write_pieces};
use super::{ReadError, WriteError};
use crate::owned::Hello;
use crate::policy::Policy;
use crate::view::HelloView;

/// Reads exactly one Hello from `reader` into `buf` and returns it validated. Reads never go
/// past the Hello's last byte.
pub async fn read_hello<'b, R: Read + ?Sized>(
    reader: &mut R,
    buf: &'b mut [u8],
    policy: Policy,
) -> Result<HelloView<'b>, ReadError<R::Error>> {
    read_loop(buf, policy, async |into: &mut [u8]| reader.read(into).await).await
}

/// Writes `hello` to `writer` piece by piece: the header, then one entry at a time.
pub async fn write_hello<W: Write + ?Sized, const N: usize>(
    writer: &mut W,
    hello: &Hello<N>,
) -> Result<(), WriteError<W::Error>> {
    write_pieces(hello, async |bytes: &[u8]| writer.write_all(bytes).await).await
}

/// Writes a received Hello's bytes as they are.
pub async fn write_view<W: Write + ?Sized>(
    writer: &mut W,
    hello: &HelloView<'_>,
) -> Result<(), W::Error> {
    writer.write_all(hello.as_bytes()).await
}
