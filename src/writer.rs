//! A checked byte writer, the mirror of the reader: every write is a split that can fail.

use byteorder::{ByteOrder, LittleEndian};

/// Writes a message front to back into a caller's buffer. A write that does not fit returns
/// `None` and writes nothing: the encoder writes in one pass and takes that `None` as its only
/// sign that the buffer is too short.
#[derive(Debug)]
pub(crate) struct Writer<'a> {
    rest: &'a mut [u8],
    written: usize,
}

impl<'a> Writer<'a> {
    #[inline]
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Writer {
            rest: buf,
            written: 0,
        }
    }

    /// Bytes written so far.
    #[inline]
    pub(crate) const fn written(&self) -> usize {
        self.written
    }

    #[inline]
    pub(crate) fn bytes(&mut self, src: &[u8]) -> Option<()> {
        self.rest.split_off_mut(..src.len())?.copy_from_slice(src);
        self.written = self.written.saturating_add(src.len());
        Some(())
    }

    #[inline]
    pub(crate) fn u8(&mut self, value: u8) -> Option<()> {
        self.bytes(&[value])
    }

    #[inline]
    pub(crate) fn u16(&mut self, value: u16) -> Option<()> {
        let mut le = [0; 2];
        LittleEndian::write_u16(&mut le, value);
        self.bytes(&le)
    }

    #[inline]
    pub(crate) fn u32(&mut self, value: u32) -> Option<()> {
        let mut le = [0; 4];
        LittleEndian::write_u32(&mut le, value);
        self.bytes(&le)
    }
}
