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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_little_endian() {
        let mut buf = [0u8; 7];
        let mut w = Writer::new(&mut buf);
        assert_eq!(w.u8(1), Some(()));
        assert_eq!(w.u16(0x0302), Some(()));
        assert_eq!(w.u32(0x0706_0504), Some(()));
        assert_eq!(w.written(), 7);
        assert_eq!(w.u8(0), None);
        assert_eq!(buf, [1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn refuses_writes_that_do_not_fit() {
        let mut buf = [0u8; 3];
        let mut w = Writer::new(&mut buf);
        assert_eq!(w.bytes(&[9, 9, 9, 9]), None);
        assert_eq!(w.written(), 0);
        assert_eq!(w.bytes(&[7, 8, 9]), Some(()));
        assert_eq!(buf, [7, 8, 9]);
    }
}
