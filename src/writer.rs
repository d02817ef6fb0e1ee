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
    fn array<const N: usize>(&mut self) -> Option<&'a mut [u8; N]> {
        if self.rest.len() < N {
            return None;
        }
        let (head, tail) = core::mem::take(&mut self.rest).split_first_chunk_mut::<N>()?;
        self.rest = tail;
        self.written = self.written.saturating_add(N);
        Some(head)
    }

    #[inline]
    pub(crate) fn bytes(&mut self, src: &[u8]) -> Option<()> {
        if self.rest.len() < src.len() {
            return None;
        }
        let (head, tail) = core::mem::take(&mut self.rest).split_at_mut_checked(src.len())?;
        head.copy_from_slice(src);
        self.rest = tail;
        self.written = self.written.saturating_add(src.len());
        Some(())
    }

    #[inline]
    pub(crate) fn u8(&mut self, value: u8) -> Option<()> {
        let [byte] = self.array::<1>()?;
        *byte = value;
        Some(())
    }

    #[inline]
    pub(crate) fn u16(&mut self, value: u16) -> Option<()> {
        LittleEndian::write_u16(self.array::<2>()?, value);
        Some(())
    }

    #[inline]
    pub(crate) fn u32(&mut self, value: u32) -> Option<()> {
        LittleEndian::write_u32(self.array::<4>()?, value);
        Some(())
    }
}
