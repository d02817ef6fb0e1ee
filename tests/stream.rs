//! The stream readers and writers against mock streams: one byte at a time, every split point of
//! the real captures, EOF at every offset, a failing stream, a small buffer, Hellos back to back.

mod common;

use std::collections::VecDeque;
use std::io;

use amt_hello::stream::{
    ReadError, WriteError, codec::HelloCodec, embedded, embedded_async, std_io,
};
use amt_hello::{DecodeError, Hello, HelloView, MAX_LEN, MAX_STRICT_LEN, Needed, Policy};
use bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder};

/// A stream that hands out its bytes in the chunk sizes given (the last size repeats), then
/// either ends or fails.
struct Mock {
    bytes: VecDeque<u8>,
    chunks: Vec<usize>,
    fail_at_end: bool,
    reads: usize,
}

impl Mock {
    fn new(bytes: &[u8], chunks: &[usize]) -> Self {
        Mock {
            bytes: bytes.iter().copied().collect(),
            chunks: chunks.to_vec(),
            fail_at_end: false,
            reads: 0,
        }
    }

    fn failing(bytes: &[u8]) -> Self {
        Mock {
            fail_at_end: true,
            ..Mock::new(bytes, &[1])
        }
    }

    fn take(&mut self, into: &mut [u8]) -> Result<usize, MockError> {
        assert!(!into.is_empty(), "a reader asked for zero bytes");
        let size = self
            .chunks
            .get(self.reads)
            .or(self.chunks.last())
            .copied()
            .unwrap_or(1);
        self.reads += 1;
        if self.bytes.is_empty() && self.fail_at_end {
            return Err(MockError);
        }
        let n = size.min(into.len()).min(self.bytes.len());
        for slot in &mut into[..n] {
            *slot = self.bytes.pop_front().unwrap();
        }
        Ok(n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MockError;

impl std::fmt::Display for MockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("mock failure")
    }
}

impl std::error::Error for MockError {}

impl embedded_io::Error for MockError {
    fn kind(&self) -> embedded_io::ErrorKind {
        embedded_io::ErrorKind::Other
    }
}

impl embedded_io::ErrorType for Mock {
    type Error = MockError;
}

impl embedded_io::Read for Mock {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, MockError> {
        self.take(buf)
    }
}

impl embedded_io_async::Read for Mock {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, MockError> {
        self.take(buf)
    }
}

impl io::Read for Mock {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.take(buf).map_err(|e| io::Error::other(e.to_string()))
    }
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(future)
}

/// All three readers on the same mock, each from a fresh copy; they must agree.
fn read_all_ways(make: impl Fn() -> Mock, buf_len: usize) -> (Result<Vec<u8>, String>, Vec<u8>) {
    let mut buf = vec![0u8; buf_len];
    let mut mock = make();
    let blocking = embedded::read_hello(&mut mock, &mut buf, Policy::Strict)
        .map(|v| v.as_bytes().to_vec())
        .map_err(|e| format!("{e:?}"));
    let left: Vec<u8> = mock.bytes.iter().copied().collect();

    let mut mock = make();
    let std = std_io::read_hello(&mut mock, &mut buf, Policy::Strict)
        .map(|v| v.as_bytes().to_vec())
        .map_err(|e| match e {
            ReadError::Io(_) => "Io(MockError)".to_string(),
            other => format!("{other:?}"),
        });
    let mut mock = make();
    let async_ = block_on(embedded_async::read_hello(
        &mut mock,
        &mut buf,
        Policy::Strict,
    ))
    .map(|v| v.as_bytes().to_vec())
    .map_err(|e| format!("{e:?}"));
    assert_eq!(blocking, async_);
    assert_eq!(
        blocking.as_ref().map_err(|_| ()),
        std.as_ref().map_err(|_| ())
    );
    (blocking, left)
}

#[test]
fn every_split_point_of_the_real_captures() {
    for (name, bytes, _) in common::captures() {
        for split in 1..bytes.len() {
            let (read, left) =
                read_all_ways(|| Mock::new(&bytes, &[split, bytes.len()]), MAX_STRICT_LEN);
            assert_eq!(read.as_deref(), Ok(&bytes[..]), "{name} split at {split}");
            assert!(left.is_empty());
        }
    }
}

#[test]
fn one_byte_at_a_time() {
    for v in common::vectors("valid") {
        let mut mock = Mock::new(&v.bytes, &[1]);
        let mut buf = vec![0u8; MAX_STRICT_LEN];
        let hello = embedded::read_hello(&mut mock, &mut buf, Policy::Strict).unwrap();
        assert_eq!(hello.as_bytes(), &v.bytes[..], "{}", v.name);
        assert_eq!(
            mock.reads,
            v.bytes.len(),
            "{}: one read per byte, none after",
            v.name
        );
    }
}

#[test]
fn eof_at_every_offset_says_what_arrived_and_what_is_missing() {
    let bytes = common::pki23();
    for cut in 0..bytes.len() {
        let (read, _) = read_all_ways(|| Mock::new(&bytes[..cut], &[7]), MAX_STRICT_LEN);
        let needed = match HelloView::parse(&bytes[..cut]) {
            Err(DecodeError::Truncated { needed, .. }) => needed,
            other => panic!("{other:?}"),
        };
        let expected = ReadError::<MockError>::UnexpectedEof {
            received: cut,
            needed,
        };
        assert_eq!(read, Err(format!("{expected:?}")), "cut at {cut}");
    }
}

#[test]
fn a_failing_stream_keeps_its_error() {
    let bytes = common::pki23();
    let mut mock = Mock::failing(&bytes[..100]);
    let mut buf = [0u8; MAX_STRICT_LEN];
    assert_eq!(
        embedded::read_hello(&mut mock, &mut buf, Policy::Strict).map(|v| v.encoded_len()),
        Err(ReadError::Io(MockError))
    );
    let mut mock = Mock::failing(&bytes[..100]);
    let err = std_io::read_hello(&mut mock, &mut buf, Policy::Strict).unwrap_err();
    assert!(
        matches!(&err, ReadError::Io(e) if e.to_string() == "mock failure"),
        "{err:?}"
    );
    assert_eq!(io::Error::from(err).to_string(), "mock failure");
    let eof = io::Error::from(ReadError::UnexpectedEof {
        received: 3,
        needed: Needed::AtLeast(24),
    });
    assert_eq!(eof.kind(), io::ErrorKind::UnexpectedEof);
    let decode_error = DecodeError::UnsupportedVersion {
        offset: 2,
        found: 9,
    };
    let invalid = io::Error::from(ReadError::Decode {
        error: decode_error,
        received: 4,
    });
    assert_eq!(invalid.kind(), io::ErrorKind::InvalidData);
    assert_eq!(invalid.to_string(), decode_error.to_string());
}

#[test]
fn invalid_bytes_fail_as_soon_as_the_prefix_shows_it() {
    let mut bytes = common::pki23();
    bytes[2] = 9; // version
    let mut mock = Mock::new(&bytes, &[1]);
    let mut buf = [0u8; MAX_STRICT_LEN];
    let err = embedded::read_hello(&mut mock, &mut buf, Policy::Strict).unwrap_err();
    assert_eq!(
        err,
        ReadError::Decode {
            error: DecodeError::UnsupportedVersion {
                offset: 2,
                found: 9
            },
            received: 4
        }
    );
    assert_eq!(
        mock.reads, 4,
        "no byte read after the version showed the error"
    );
    assert_eq!(
        err.to_string(),
        "unsupported interface version 9 at byte 2 (expected 2 or 3)"
    );
}

#[test]
fn a_small_buffer_names_the_length_needed() {
    let bytes = common::pki23();
    let mut buf = [0u8; 100];
    let mut mock = Mock::new(&bytes, &[1000]);
    let err = embedded::read_hello(&mut mock, &mut buf, Policy::Strict).unwrap_err();
    assert!(
        matches!(err, ReadError::BufferTooSmall { needed, capacity: 100 } if needed.at_least() > 100),
        "{err:?}"
    );
    let mut exact = vec![0u8; bytes.len()];
    let mut mock = Mock::new(&bytes, &[1000]);
    assert!(embedded::read_hello(&mut mock, &mut exact, Policy::Strict).is_ok());
    assert!(
        ReadError::<MockError>::BufferTooSmall {
            needed: Needed::Exactly(807),
            capacity: 100
        }
        .to_string()
        .contains("807")
    );
}

#[test]
fn back_to_back_the_reader_takes_one_and_the_codec_each_in_turn() {
    let psk = common::vector("psk_basic");
    let pki = common::pki23();
    let stream = [&psk[..], &pki[..], &psk[..]].concat();

    let mut mock = Mock::new(&stream, &[4096]);
    let mut buf = [0u8; MAX_STRICT_LEN];
    let first = embedded::read_hello(&mut mock, &mut buf, Policy::Strict).unwrap();
    assert_eq!(first.as_bytes(), &psk[..]);
    assert_eq!(
        mock.bytes.len(),
        pki.len() + psk.len(),
        "the rest stays in the stream"
    );

    let mut codec: HelloCodec = HelloCodec::new(Policy::Strict);
    let mut src = BytesMut::new();
    let mut decoded = Vec::new();
    for chunk in stream.chunks(13) {
        src.extend_from_slice(chunk);
        while let Some(hello) = codec.decode(&mut src).unwrap() {
            decoded.push(hello);
        }
    }
    assert_eq!(codec.decode_eof(&mut src).unwrap(), None);
    let expected: Vec<Hello> = [&psk, &pki, &psk]
        .iter()
        .map(|b| Hello::decode(b).unwrap())
        .collect();
    assert_eq!(decoded, expected);
}

#[test]
fn the_codec_surfaces_bad_streams_as_errors() {
    let pki = common::pki23();
    let mut codec: HelloCodec = HelloCodec::new(Policy::Strict);
    // Cut short by the end of the stream.
    let mut src = BytesMut::from(&pki[..500]);
    assert!(codec.decode(&mut src).unwrap().is_none());
    assert!(matches!(
        codec.decode_eof(&mut src),
        Err(ReadError::UnexpectedEof {
            received: 500,
            needed: Needed::AtLeast(_)
        })
    ));
    // Invalid: an error, not a wait for more bytes.
    let mut src = BytesMut::from(&b"GET / HTTP/1.1\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut src),
        Err(ReadError::Decode { .. })
    ));
    // Longer than the maximum frame: refused before it is buffered.
    let mut small = HelloCodec::<33>::new(Policy::Strict).with_max_len(100);
    assert_eq!(small.max_len(), 100);
    let mut src = BytesMut::from(&pki[..200]);
    assert!(matches!(
        small.decode(&mut src),
        Err(ReadError::BufferTooSmall { capacity: 100, .. })
    ));
    // More hashes than the value holds.
    let mut tiny = HelloCodec::<2>::default();
    let mut src = BytesMut::from(&pki[..]);
    assert!(matches!(
        tiny.decode(&mut src),
        Err(ReadError::Decode {
            error: DecodeError::TooManyHashes { .. },
            ..
        })
    ));
    assert_eq!(HelloCodec::<33>::new(Policy::Lenient).max_len(), MAX_LEN);
    // A Hello exactly as long as the maximum frame is accepted; one byte longer is not.
    let psk = common::vector("psk_basic");
    let mut exact = HelloCodec::<33>::new(Policy::Strict).with_max_len(32);
    assert!(
        exact
            .decode(&mut BytesMut::from(&psk[..]))
            .unwrap()
            .is_some()
    );
    // ... also while it is still arriving: a prefix that needs exactly the maximum waits.
    let mut src = BytesMut::from(&psk[..30]);
    assert!(exact.decode(&mut src).unwrap().is_none());
    src.extend_from_slice(&psk[30..]);
    assert!(exact.decode(&mut src).unwrap().is_some());
    let mut short = HelloCodec::<33>::new(Policy::Strict).with_max_len(31);
    assert!(matches!(
        short.decode(&mut BytesMut::from(&psk[..30])),
        Err(ReadError::BufferTooSmall {
            needed: Needed::Exactly(32),
            capacity: 31
        })
    ));
}

#[test]
fn writers_produce_the_encoding() {
    for v in common::vectors("valid") {
        let hello: Hello<255> = Hello::decode(&v.bytes).unwrap();
        let view = HelloView::parse(&v.bytes).unwrap();

        let mut out = Vec::new();
        std_io::write_hello(&mut out, &hello).unwrap();
        assert_eq!(out, v.bytes, "{}", v.name);
        let mut out = Vec::new();
        std_io::write_view(&mut out, &view).unwrap();
        assert_eq!(out, v.bytes);

        let mut out = Vec::new();
        embedded::write_hello(&mut out, &hello).unwrap();
        assert_eq!(out, v.bytes);
        let mut out = Vec::new();
        embedded::write_view(&mut out, &view).unwrap();
        assert_eq!(out, v.bytes);
        let mut out = Vec::new();
        block_on(embedded_async::write_hello(&mut out, &hello)).unwrap();
        assert_eq!(out, v.bytes);
        let mut out = Vec::new();
        block_on(embedded_async::write_view(&mut out, &view)).unwrap();
        assert_eq!(out, v.bytes);

        let mut dst = BytesMut::new();
        let mut codec: HelloCodec = HelloCodec::default();
        codec.encode(&hello, &mut dst).unwrap();
        codec.encode(view, &mut dst).unwrap();
        assert_eq!(&dst[..], [&v.bytes[..], &v.bytes[..]].concat());
    }
}

#[test]
fn errors_say_what_failed() {
    assert_eq!(
        WriteError::Io(MockError).to_string(),
        "writing the Hello failed: mock failure"
    );
    assert_eq!(
        ReadError::<MockError>::Io(MockError).to_string(),
        "reading the Hello failed: mock failure"
    );
    let eof = ReadError::<MockError>::UnexpectedEof {
        received: 10,
        needed: Needed::AtLeast(24),
    };
    assert_eq!(
        eof.to_string(),
        "the stream ended after 10 bytes; the Hello needs at least 24 bytes"
    );
    let small = ReadError::<MockError>::BufferTooSmall {
        needed: Needed::Exactly(807),
        capacity: 100,
    };
    assert_eq!(
        small.to_string(),
        "the Hello needs exactly 807 bytes, more than the 100-byte buffer"
    );
}

/// A std reader that is interrupted before every byte it hands out.
struct Interrupting<'a> {
    bytes: &'a [u8],
    interrupted: bool,
}

impl io::Read for Interrupting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.interrupted = !self.interrupted;
        if self.interrupted {
            return Err(io::ErrorKind::Interrupted.into());
        }
        let n = buf.len().min(self.bytes.len()).min(1);
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

#[test]
fn std_reads_retry_when_interrupted() {
    let psk = common::vector("psk_basic");
    let mut reader = Interrupting {
        bytes: &psk,
        interrupted: false,
    };
    let mut buf = [0u8; 64];
    let hello = std_io::read_hello(&mut reader, &mut buf, Policy::Strict).unwrap();
    assert_eq!(hello.as_bytes(), &psk[..]);
}
