//! A checked byte reader: every read is a split that can fail, never an index that can panic.
//!
//! Integers come from `&[u8; N]` arrays that a successful split produced, so `byteorder`'s
//! `read_*` functions (which panic on short slices) only ever see inputs of the right size.

use byteorder::{ByteOrder, LittleEndian};

use crate::error::{DecodeError, Needed};

/// Reads a message front to back. A failed read consumes nothing, so [`Reader::offset`] then
/// names the start of the field that did not fit.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    #[inline]
    pub(crate) const fn new(buf: &'a [u8]) -> Self {
        Reader { buf, rest: buf }
    }

    /// Bytes consumed so far: the offset of the next field.
    #[inline]
    pub(crate) fn offset(&self) -> usize {
        // `rest` is always a suffix of `buf`, so this never saturates.
        self.buf.len().saturating_sub(self.rest.len())
    }

    /// The bytes not read yet.
    #[inline]
    pub(crate) const fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The bytes read so far.
    #[inline]
    pub(crate) fn consumed(&self) -> &'a [u8] {
        self.buf.get(..self.offset()).unwrap_or(self.buf)
    }

    #[inline]
    pub(crate) fn array<const N: usize>(&mut self) -> Option<&'a [u8; N]> {
        let (head, tail) = self.rest.split_first_chunk::<N>()?;
        self.rest = tail;
        Some(head)
    }

    #[inline]
    pub(crate) fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(len)?;
        self.rest = tail;
        Some(head)
    }

    #[inline]
    pub(crate) fn u8(&mut self) -> Option<u8> {
        let (&byte, tail) = self.rest.split_first()?;
        self.rest = tail;
        Some(byte)
    }

    #[inline]
    pub(crate) fn u16(&mut self) -> Option<u16> {
        self.array::<2>().map(|b| LittleEndian::read_u16(b))
    }

    #[inline]
    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.array::<4>().map(|b| LittleEndian::read_u32(b))
    }

    /// The error for a field at the current offset that the input does not hold completely.
    #[inline]
    pub(crate) fn truncated(&self, needed: Needed) -> DecodeError {
        DecodeError::Truncated {
            offset: self.offset(),
            len: self.buf.len(),
            needed,
        }
    }
}
