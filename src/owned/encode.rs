//! Writing a [`Hello`] back to bytes.

use super::{Hello, Payload};
use crate::error::EncodeError;
use crate::hash::CertHash;
use crate::header::{self, ENTRY_OVERHEAD, PKI_MIN_LEN, PSK_LEN};
use crate::writer::Writer;

impl<const N: usize> Hello<N> {
    /// The length of the encoding in bytes.
    pub fn encoded_len(&self) -> usize {
        match &self.payload {
            Payload::Psk(_) => PSK_LEN,
            Payload::Pki(hashes) => hashes.iter().fold(PKI_MIN_LEN, |len, hash| {
                len.saturating_add(hash.encoded_len())
            }),
        }
    }

    /// Encodes into the front of `buf` and returns the length written. Bytes of `buf` past that
    /// length are never touched. If `buf` is too short the error names the length needed, and
    /// `buf` may hold the part that fitted: size it with [`Hello::encoded_len`] or
    /// [`Hello::MAX_LEN`].
    ///
    /// ```
    /// use amt_hello::{AdminCredentials, EncodeError, Hello, Payload, Uuid};
    /// let hello: Hello = Hello {
    ///     admin_credentials: AdminCredentials::Set,
    ///     retry_count: 0,
    ///     uuid: Uuid::NIL,
    ///     payload: Payload::Psk("ABCD-1234".parse().unwrap()),
    /// };
    /// let mut buf = [0u8; 32];
    /// assert_eq!(hello.encode_into(&mut buf), Ok(32));
    /// assert_eq!(&buf[24..], b"ABCD1234");
    /// assert_eq!(
    ///     hello.encode_into(&mut buf[..31]),
    ///     Err(EncodeError::BufferTooSmall { needed: 32, available: 31 })
    /// );
    /// ```
    pub fn encode_into(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let available = buf.len();
        let mut w = Writer::new(buf);
        // One pass: the length is only worked out to report a buffer that is too small.
        match self.write(&mut w) {
            Some(Ok(())) => Ok(w.written()),
            Some(Err(too_many)) => Err(too_many),
            None => Err(EncodeError::BufferTooSmall {
                needed: self.encoded_len(),
                available,
            }),
        }
    }

    /// Writes the message; `None` when the buffer runs out.
    #[inline]
    fn write(&self, w: &mut Writer<'_>) -> Option<Result<(), EncodeError>> {
        let count = match self.hash_count() {
            Ok(count) => count,
            Err(too_many) => return Some(Err(too_many)),
        };
        self.write_head(w, count)?;
        for hash in self.cert_hashes() {
            write_entry(w, hash)?;
        }
        Some(Ok(()))
    }

    /// The hash count as its wire byte.
    #[inline]
    fn hash_count(&self) -> Result<u8, EncodeError> {
        let count = self.cert_hashes().len();
        u8::try_from(count).map_err(|_| EncodeError::TooManyHashes { count })
    }

    /// The header, then the PID (PSK) or the hash count (PKI).
    #[inline]
    fn write_head(&self, w: &mut Writer<'_>, count: u8) -> Option<()> {
        header::write(
            w,
            self.admin_credentials,
            self.version(),
            self.retry_count,
            &self.uuid,
        )?;
        match &self.payload {
            Payload::Psk(pid) => w.bytes(pid.as_bytes()),
            Payload::Pki(_) => w.u8(count),
        }
    }
}

/// One certificate-hash entry: code, length, digest.
#[inline]
fn write_entry(w: &mut Writer<'_>, hash: &CertHash) -> Option<()> {
    let digest = hash.digest().as_bytes();
    w.u8(hash.algorithm().to_wire())?;
    w.u8(u8::try_from(digest.len()).ok()?)?;
    w.bytes(digest)
}

/// One piece of a Hello's encoding: the header with the PID or the hash count, or one
/// certificate-hash entry. Stream writers send these in turn, so no buffer holds the whole
/// message; each is at most [`Piece::CAPACITY`] bytes.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    bytes: [u8; Piece::CAPACITY],
    len: usize,
}

impl Piece {
    /// The largest piece: an entry with a 64-byte digest (headers are 25 or 32 bytes).
    pub(crate) const CAPACITY: usize = ENTRY_OVERHEAD + CertHash::MAX_DIGEST_LEN;

    /// The piece's bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&self.bytes)
    }

    /// Writes with `write` into a fresh piece.
    fn build(write: impl FnOnce(&mut Writer<'_>) -> Option<()>) -> Option<Piece> {
        let mut bytes = [0; Piece::CAPACITY];
        let mut w = Writer::new(&mut bytes);
        write(&mut w)?;
        let len = w.written();
        Some(Piece { bytes, len })
    }
}

/// The pieces of a Hello's encoding, in order: see [`Hello::pieces`].
#[derive(Debug, Clone)]
pub(crate) struct Pieces<'a, const N: usize> {
    hello: &'a Hello<N>,
    // 0: the header; k ≥ 1: entry k - 1.
    next: usize,
}

impl<const N: usize> Hello<N> {
    /// The encoding as a sequence of small pieces, the first of which fails if the hash count
    /// does not fit its byte. Concatenated they equal what [`Hello::encode_into`] writes.
    pub(crate) fn pieces(&self) -> Pieces<'_, N> {
        Pieces {
            hello: self,
            next: 0,
        }
    }
}

impl<const N: usize> Iterator for Pieces<'_, N> {
    type Item = Result<Piece, EncodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let hello = self.hello;
        let piece = match self.next.checked_sub(1) {
            None => match hello.hash_count() {
                Ok(count) => Piece::build(|w| hello.write_head(w, count)),
                Err(too_many) => {
                    self.next = usize::MAX; // fused: nothing after the error
                    return Some(Err(too_many));
                }
            },
            Some(index) => {
                let hash = hello.cert_hashes().get(index)?;
                Piece::build(|w| write_entry(w, hash))
            }
        }?;
        self.next = self.next.saturating_add(1);
        Some(Ok(piece))
    }
}
