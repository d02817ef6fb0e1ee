//! The fuzz targets' checks, one source for two callers: the cargo-fuzz targets in `fuzz/`
//! (through `fuzz/src/lib.rs`, which includes this file by path) and the stable replay of the
//! committed corpus, `tests/fuzz_corpus.rs`. Each function panics where its target would report
//! a crash. (Here, not in `fuzz/`, so that the published crate's tests still compile.) The
//! `capture` target's check needs the `amt-hello` command and lives in `fuzz/src/capture.rs`.
#![allow(dead_code)] // each includer uses a different part

use std::io::{self, ErrorKind, Read};
use std::time::Duration;

use amt_hello::stream::codec::HelloCodec;
use amt_hello::stream::{ReadError, WriteError, std_io};
use amt_hello::trust::{Fingerprints, RootFingerprints, RootMatch};
use amt_hello::{
    AdminCredentials, Cadence, CertHash, CertHashView, DecodeError, Digest, EncodeError, Frame,
    HashAlgorithm, Hello, HelloView, MAX_LEN, Needed, ParseError, Phase, Pid, Policy,
    RetrySchedule, Uuid, frame_with, hex,
};
use arbitrary::{Arbitrary, Unstructured};
use bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder};

/// The capacity the fuzz targets use for owned values.
pub const CAPACITY: usize = 64;

/// Any Hello this crate can encode: the crate's own generator (feature `arbitrary`).
pub fn arbitrary_hello(u: &mut Unstructured<'_>) -> arbitrary::Result<Hello<CAPACITY>> {
    Hello::arbitrary(u)
}

/// Encodes a generated Hello, checking that `encoded_len` is what `encode_into` writes.
pub fn encode(hello: &Hello<CAPACITY>) -> Vec<u8> {
    let mut buf = vec![0u8; hello.encoded_len()];
    assert_eq!(hello.encode_into(&mut buf), Ok(buf.len()));
    buf
}

/// `decode`: arbitrary bytes; view parse, hash walk, owned decode and framing must agree,
/// strict and lenient.
pub fn decode(data: &[u8]) {
    decode_with(data, Policy::Strict);
    decode_with(data, Policy::Lenient);
    assert_eq!(amt_hello::frame(data), frame_with(data, Policy::Strict));
    assert_eq!(
        Hello::<255>::decode(data),
        Hello::decode_with(data, Policy::Strict)
    );
    if let Ok(view) = HelloView::parse_with(data, Policy::Lenient) {
        trust(&view);
        accessors(&view);
    }
}

/// The view's lookups and its fields' own checks agree with the walk and the wire.
fn accessors(view: &HelloView<'_>) {
    let hashes: Vec<CertHashView<'_>> = view.cert_hashes().collect();
    for i in 0..=hashes.len() {
        assert_eq!(view.cert_hash(i), hashes.get(i).copied());
    }
    let mut walk = view.cert_hashes();
    assert_eq!(walk.nth(1), hashes.get(1).copied());
    assert_eq!(walk.next(), hashes.get(2).copied());
    for hash in hashes {
        let (algorithm, digest) = (hash.algorithm(), hash.digest().as_bytes());
        if let Ok(owned) = CertHash::try_from(hash) {
            assert!(owned == hash);
        }
        // `Unknown` with a known code is refused: it would decode as another value.
        let unknown = CertHash::new(HashAlgorithm::Unknown(algorithm.to_wire()), digest);
        match unknown {
            Ok(u) => assert!(!algorithm.is_known() && u == hash),
            Err(ParseError::KnownAlgorithmCode { code }) => {
                assert!(algorithm.is_known() && code == algorithm.to_wire())
            }
            Err(e) => assert!(digest.len() > HashAlgorithm::MAX_DIGEST_LEN, "{e}"),
        }
    }
    let credentials = view.admin_credentials();
    assert_eq!(
        credentials.must_set_new_credentials(),
        !credentials.is_set()
    );
    assert_eq!(
        credentials.to_string().contains("must be set"),
        credentials.must_set_new_credentials()
    );
    let uuid = view.uuid();
    assert_eq!(
        uuid.is_unset(),
        [Uuid::NIL, Uuid::MAX, Uuid::PLACEHOLDER].contains(&uuid)
    );
    if let Some(pid) = view.pid() {
        match Pid::new(*pid.as_bytes()) {
            Ok(valid) => assert!(pid.is_valid() && valid == pid),
            Err(ParseError::Character { offset, found }) => {
                assert!(!pid.is_valid() && pid.as_bytes()[offset] == found);
                assert!(!Pid::is_pid_byte(found));
            }
            Err(e) => panic!("Pid::new: {e}"),
        }
        // The text form is unambiguous: one bare dash, `\xNN` escapes, the bytes back.
        let mut text = [0u8; Pid::MAX_TEXT_LEN];
        let shown = pid.text_into(&mut text).unwrap();
        assert_eq!(shown, pid.to_string());
        let (first, second) = shown.split_once('-').unwrap();
        assert_eq!(
            unescape(first) + &unescape(second),
            pid.as_bytes().map(char::from).iter().collect::<String>()
        );
        if pid.is_valid() {
            assert_eq!((shown.len(), shown.parse()), (9, Ok(pid)));
        }
    }
}

/// The roots a device trusts: the view and its owned copy agree with the rule worked out by
/// brute force, for roots made of the device's own entries and for a computed fingerprint.
fn trust(view: &HelloView<'_>) {
    let entries: Vec<CertHashView<'_>> = view.cert_hashes().collect();
    let owned = Hello::<255>::try_from(view).ok();
    // The device's known entries, last first, each a root of its own, then all as one root.
    let singles: Vec<CertHash> = entries
        .iter()
        .rev()
        .filter(|e| e.algorithm().is_known())
        .filter_map(|e| CertHash::new(e.algorithm(), e.digest().as_bytes()).ok())
        .collect();
    let found = view.trusted_root(&singles);
    assert_eq!(found, trusted_by_brute_force(&entries, &singles));
    assert_eq!(found.map(|m| m.root), (!singles.is_empty()).then_some(0));
    let all = [&singles[..]];
    assert_eq!(
        view.trusted_root(&all),
        trusted_by_brute_force(&entries, &all)
    );
    let computed = [Fingerprints::of_der(view.as_bytes())];
    for algorithm in HashAlgorithm::KNOWN {
        assert_eq!(
            computed[0].fingerprint(algorithm).map(<[u8]>::len),
            algorithm.digest_len()
        );
    }
    assert_eq!(computed[0].fingerprint(HashAlgorithm::Unknown(0)), None);
    assert_eq!(
        view.trusted_root(&computed),
        trusted_by_brute_force(&entries, &computed)
    );
    if let Some(owned) = owned {
        assert_eq!(owned.trusted_root(&singles), found);
    }
}

/// The trust rule spelled out: the first root that a known entry matches; within it the
/// longest digest, the first entry on a tie.
fn trusted_by_brute_force<R: RootFingerprints>(
    entries: &[CertHashView<'_>],
    roots: &[R],
) -> Option<RootMatch> {
    roots.iter().enumerate().find_map(|(root, fingerprints)| {
        let mut best: Option<(usize, HashAlgorithm)> = None;
        for (entry, hash) in entries.iter().enumerate() {
            let algorithm = hash.algorithm();
            let matches = algorithm.is_known()
                && fingerprints.fingerprint(algorithm) == Some(hash.digest().as_bytes());
            if matches && best.is_none_or(|(_, b)| algorithm.digest_len() > b.digest_len()) {
                best = Some((entry, algorithm));
            }
        }
        best.map(|(entry, algorithm)| RootMatch {
            root,
            entry,
            algorithm,
        })
    })
}

fn decode_with(data: &[u8], policy: Policy) {
    let view = HelloView::parse_with(data, policy);
    let framed = frame_with(data, policy);
    let big = Hello::<255>::decode_with(data, policy);
    let small = Hello::<4>::decode_with(data, policy);
    in_place(data, policy, &big);
    match view {
        Ok(view) => {
            assert_eq!(view.encoded_len(), data.len());
            assert_eq!(view.cert_hashes().len(), view.cert_hashes().count());
            for hash in view.cert_hashes() {
                let len = hash.digest().as_bytes().len();
                assert!(hash.algorithm().digest_len().is_none_or(|l| l == len));
            }
            assert!(matches!(framed, Ok(Frame::Complete(f)) if f == view));
            // The owned values fail only for capacity, with exactly that error.
            for owned in [
                big.as_ref().map(|h| h.encoded_len()),
                small.as_ref().map(|h| h.encoded_len()),
            ] {
                match owned {
                    Ok(len) => assert_eq!(len, data.len()),
                    Err(DecodeError::TooManyHashes {
                        offset: 24, found, ..
                    }) => {
                        assert_eq!(usize::from(*found), view.cert_hashes().len())
                    }
                    Err(DecodeError::DigestTooLong {
                        found,
                        capacity: 64,
                        ..
                    }) => assert!(*found > 64),
                    Err(e) => panic!("owned decode failed where the view did not: {e}"),
                }
                if let Err(e) = owned {
                    assert!(e.offset() <= data.len() && !e.kind().is_empty());
                    assert!(e.to_string().contains(&e.offset().to_string()));
                }
            }
        }
        Err(e) => {
            assert_eq!(big, Err(e));
            assert_eq!(small, Err(e));
            assert!(e.offset() <= data.len() && !e.kind().is_empty());
            if let DecodeError::Truncated { needed, .. } = e {
                assert!(needed.exact().is_none_or(|n| n == needed.at_least()));
            }
            match (e, framed) {
                (
                    DecodeError::Truncated {
                        offset,
                        len,
                        needed,
                    },
                    Ok(Frame::Incomplete {
                        offset: o,
                        needed: n,
                    }),
                ) => {
                    assert_eq!((offset, needed, len), (o, n, data.len()));
                    assert!(needed.at_least() > data.len());
                }
                (DecodeError::TrailingBytes { offset, extra }, Ok(Frame::Complete(f))) => {
                    assert_eq!((f.encoded_len(), offset + extra), (offset, data.len()));
                }
                (e, Err(f)) => assert_eq!(e, f),
                (e, other) => panic!("parse said {e}, framing said {other:?}"),
            }
            let _ = e.to_string();
        }
    }
}

/// A PID's escaped text back to its bytes, one char each.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(hex) = rest.strip_prefix("\\x") {
            out.push(char::from(u8::from_str_radix(&hex[..2], 16).unwrap()));
            rest = &hex[2..];
        } else {
            assert!(c != '-' && c != '\\', "{text}");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Decoding into a value that held a PSK Hello, an empty PKI one or a PKI one with a hash
/// gives what `decode_with` does, and leaves the value as it was on an error.
fn in_place(data: &[u8], policy: Policy, decoded: &Result<Hello<255>, DecodeError>) {
    let psk = b"\x01\x00\x02\x00\x00\x00\x00\x00\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xffABCD1234";
    let mut pki = Hello::<255>::EMPTY;
    let mut one = Hello::<255>::EMPTY;
    let one_sha1 = [
        &[1, 0, 3, 0, 0, 0, 0, 0][..],
        &[0; 16],
        &[1, 1, 20],
        &[7; 20],
    ]
    .concat();
    one.decode_in_place(&one_sha1).unwrap();
    for start in [Hello::<255>::decode(psk).unwrap(), pki.clone(), one] {
        let mut value = start.clone();
        let result = value.decode_in_place_with(data, policy);
        match (result, decoded) {
            (Ok(()), Ok(hello)) => assert_eq!(&value, hello),
            (Err(e), Err(d)) => assert_eq!((e, &value), (*d, &start)),
            (r, d) => panic!("decode_in_place_with said {r:?}, decode_with {d:?}"),
        }
    }
    if policy == Policy::Strict {
        let strict = pki.decode_in_place(data).map(|()| pki);
        assert_eq!(strict.as_ref(), decoded.as_ref());
    }
}

/// `lenient`: lenient accepts everything strict accepts, with the same fields; whatever
/// lenient accepts frames to the same length and re-encodes to the same bytes.
pub fn lenient(data: &[u8]) {
    let strict = HelloView::parse(data);
    let lenient = HelloView::parse_with(data, Policy::Lenient);
    if let Ok(strict) = strict {
        assert_eq!(lenient, Ok(strict));
    }
    if let Ok(view) = lenient {
        assert!(
            matches!(frame_with(data, Policy::Lenient), Ok(Frame::Complete(f)) if f.encoded_len() == data.len())
        );
        if let Ok(owned) = Hello::<255>::try_from(&view) {
            let mut out = vec![0u8; owned.encoded_len()];
            owned.encode_into(&mut out).unwrap();
            assert_eq!(out, data);
        } else {
            // Only a digest longer than an owned hash holds can stop the copy.
            assert!(view.cert_hashes().any(|h| h.digest().as_bytes().len() > 64));
        }
    } else {
        // Lenient never accepts less than strict: what it rejects, strict rejects too.
        assert!(strict.is_err());
    }
}

/// `roundtrip`: decoding then encoding gives back the input; a generated Hello encodes and
/// decodes back equal.
pub fn roundtrip(data: &[u8]) {
    // Byte-level: whatever parses re-encodes byte for byte.
    for policy in [Policy::Strict, Policy::Lenient] {
        if let Ok(hello) = Hello::<255>::decode_with(data, policy) {
            let mut out = vec![0u8; hello.encoded_len()];
            assert_eq!(hello.encode_into(&mut out), Ok(data.len()));
            assert_eq!(out, data);
        }
    }

    // Structure-aware: any encodable Hello survives the trip.
    let Ok(hello) = arbitrary_hello(&mut Unstructured::new(data)) else {
        return;
    };
    let bytes = encode(&hello);
    assert!(bytes.len() <= Hello::<CAPACITY>::MAX_LEN);
    assert_eq!(
        Hello::<CAPACITY>::decode_with(&bytes, Policy::Lenient),
        Ok(hello.clone())
    );
    let documented = hello.retry_count <= 14
        && hello.pid().is_none_or(|p| p.is_valid())
        && hello.cert_hashes().iter().all(|h| h.algorithm().is_known());
    assert_eq!(HelloView::parse(&bytes).is_ok(), documented);
    // A buffer one byte short is refused, not overrun.
    let mut short = vec![0u8; bytes.len() - 1];
    let error = hello.encode_into(&mut short).unwrap_err();
    assert_eq!(
        error,
        EncodeError::BufferTooSmall {
            needed: bytes.len(),
            available: short.len()
        }
    );
    assert!(error.to_string().contains(&bytes.len().to_string()));

    // A Hello generated for the strict policy is one it decodes.
    let mut u = Unstructured::new(data);
    if let Ok(strict) = Hello::<CAPACITY>::arbitrary_accepted_by(&mut u, Policy::Strict) {
        assert_eq!(Hello::decode(&encode(&strict)), Ok(strict));
    }
}

/// `stream`: a valid message fed to the framer in arbitrary pieces is complete exactly at its
/// last byte; the stream writers write its bytes; the `std::io` reader and the tokio codec
/// read it, and the raw input too, as framing says (`stream_io`).
pub fn stream(data: &[u8]) {
    stream_io(data);
    let mut u = Unstructured::new(data);
    let Ok(hello) = arbitrary_hello(&mut u) else {
        return;
    };
    let bytes = encode(&hello);
    let view = HelloView::parse_with(&bytes, Policy::Lenient).unwrap();
    let mut written = Vec::new();
    std_io::write_hello(&mut written, &hello).unwrap();
    assert_eq!(written, bytes);
    written.clear();
    std_io::write_view(&mut written, &view).unwrap();
    assert_eq!(written, bytes);
    let mut codec = HelloCodec::<CAPACITY>::new(Policy::Lenient);
    let mut encoded = BytesMut::new();
    codec.encode(&hello, &mut encoded).unwrap();
    codec.encode(view, &mut encoded).unwrap();
    assert_eq!(encoded, [&bytes[..], &bytes[..]].concat());
    let mut received = 0;
    while received < bytes.len() {
        let piece = u
            .int_in_range(1..=bytes.len() - received)
            .unwrap_or(bytes.len() - received);
        received += piece;
        match frame_with(&bytes[..received], Policy::Lenient).unwrap() {
            Frame::Complete(view) => {
                assert_eq!(received, bytes.len(), "complete too early");
                assert_eq!(view.encoded_len(), bytes.len());
            }
            Frame::Incomplete { offset, needed } => {
                assert!(received < bytes.len(), "incomplete at the last byte");
                assert!(offset <= received);
                assert!(needed.at_least() > received && needed.at_least() <= bytes.len());
                if let Needed::Exactly(n) = needed {
                    assert_eq!(n, bytes.len());
                }
            }
        }
    }
    // Bytes after the message never change where it ends.
    let mut more = bytes.clone();
    more.extend_from_slice(u.take_rest());
    assert_eq!(
        frame_with(&more, Policy::Lenient),
        Ok(Frame::Complete(view)),
        "bytes after the message changed its view"
    );
    stream_io(&more);
}

/// A `Read` over bytes in pieces of the given sizes, in turn and round again; a size of 0 is an
/// `Interrupted` read (the last size is never 0, so reads make progress).
struct Pieces<'a> {
    rest: &'a [u8],
    sizes: &'a [usize],
    next: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = self.sizes[self.next % self.sizes.len()];
        self.next += 1;
        if size == 0 {
            return Err(ErrorKind::Interrupted.into());
        }
        let n = size.min(buf.len()).min(self.rest.len());
        buf[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        Ok(n)
    }
}

/// The sizes of the pieces `stream_io` delivers `data` in: from its own bytes (0 to 7).
fn piece_sizes(data: &[u8]) -> Vec<usize> {
    let mut sizes: Vec<usize> = data.iter().map(|b| usize::from(b % 8)).collect();
    sizes.push(1);
    sizes
}

/// `data` as a byte stream, in pieces, through `stream::std_io::read_hello` and the tokio
/// codec's `Decoder`, each policy, with a buffer (or maximum frame) of `MAX_LEN` and of 40
/// bytes: each returns the Hello that framing finds, reads no byte past it, and fails only as
/// framing says.
fn stream_io(data: &[u8]) {
    let sizes = piece_sizes(data);
    for policy in [Policy::Strict, Policy::Lenient] {
        let framed = frame_with(data, policy);
        for capacity in [MAX_LEN, 40] {
            let mut reader = Pieces {
                rest: data,
                sizes: &sizes,
                next: 0,
            };
            let mut buf = vec![0u8; capacity];
            let read =
                std_io::read_hello(&mut reader, &mut buf, policy).map(|v| v.as_bytes().to_vec());
            let consumed = data.len() - reader.rest.len();
            check_read(data, policy, capacity, consumed, &read);
            if let Err(e) = read {
                let kind = match e {
                    ReadError::UnexpectedEof { .. } => ErrorKind::UnexpectedEof,
                    _ => ErrorKind::InvalidData,
                };
                assert_eq!(io::Error::from(e).kind(), kind);
            }
            decode_stream(data, &sizes, policy, capacity, &framed);
        }
    }
    // The stream's own errors pass through either conversion as they were.
    assert!(
        ReadError::from(io::Error::other("x"))
            .to_string()
            .ends_with(": x")
    );
    assert!(
        WriteError::from(io::Error::other("y"))
            .to_string()
            .ends_with(": y")
    );
    let e = io::Error::from(ReadError::from(io::Error::other("x")));
    assert_eq!((e.kind(), e.to_string()), (ErrorKind::Other, "x".into()));
    let e: WriteError<io::Error> = io::Error::other("y").into();
    assert!(matches!(e, amt_hello::stream::WriteError::Io(e) if e.to_string() == "y"));
}

/// What `read_hello` must have done with `data`, given how framing reads it.
fn check_read(
    data: &[u8],
    policy: Policy,
    capacity: usize,
    consumed: usize,
    read: &Result<Vec<u8>, ReadError<io::Error>>,
) {
    let framed = frame_with(data, policy);
    match read {
        Ok(hello) => {
            assert!(matches!(framed, Ok(Frame::Complete(v)) if v.as_bytes() == hello));
            assert_eq!(consumed, hello.len(), "read past the Hello");
        }
        Err(ReadError::Decode { error, received }) => {
            assert_eq!(*received, consumed);
            assert_eq!(frame_with(&data[..consumed], policy), Err(*error));
            assert!(framed.is_err(), "a prefix is invalid, the whole is not");
        }
        Err(ReadError::UnexpectedEof { received, needed }) => {
            assert_eq!((*received, consumed), (data.len(), data.len()));
            assert!(matches!(framed, Ok(Frame::Incomplete { needed: n, .. }) if n == *needed));
        }
        Err(ReadError::BufferTooSmall {
            needed,
            capacity: c,
        }) => {
            assert!(*c == capacity && needed.at_least() > capacity && capacity < MAX_LEN);
            assert!(matches!(
                frame_with(&data[..consumed], policy),
                Ok(Frame::Incomplete { needed: n, .. }) if n == *needed
            ));
        }
        Err(e) => panic!("read_hello failed on its own: {e}"),
    }
}

/// The tokio codec fed `data` in pieces, decoding after each: the same Hello (owned) as framing
/// finds, taken off the front of the buffer; its errors as soon as the bytes show them.
fn decode_stream(
    data: &[u8],
    sizes: &[usize],
    policy: Policy,
    max_len: usize,
    framed: &Result<Frame<'_>, DecodeError>,
) {
    let codec = match policy {
        Policy::Strict => HelloCodec::<CAPACITY>::default(),
        Policy::Lenient => HelloCodec::new(policy),
    };
    let mut codec = codec.with_max_len(max_len);
    assert_eq!(codec.max_len(), max_len);
    let mut src = BytesMut::new();
    let mut fed = 0;
    for &size in sizes.iter().cycle() {
        if fed == data.len() {
            break;
        }
        let next = (fed + size).min(data.len());
        src.extend_from_slice(&data[fed..next]);
        fed = next;
        let prefix = &data[..fed];
        // The last piece goes through decode_eof, as at the end of a stream.
        let decoded = match fed == data.len() {
            true => codec.decode_eof(&mut src),
            false => codec.decode(&mut src),
        };
        match decoded {
            Ok(None) => {
                assert!(fed < data.len());
                assert_eq!(src.len(), fed);
                assert!(matches!(
                    frame_with(prefix, policy),
                    Ok(Frame::Incomplete { .. })
                ));
            }
            Ok(Some(hello)) => {
                let Ok(Frame::Complete(view)) = frame_with(prefix, policy) else {
                    panic!("the codec took a Hello that framing does not see");
                };
                assert!(
                    view.encoded_len() <= max_len,
                    "longer than the maximum frame"
                );
                assert_eq!(Hello::try_from(&view), Ok(hello));
                assert_eq!(src.len(), fed - view.encoded_len());
                assert!(
                    matches!(framed, Ok(Frame::Complete(v)) if *v == view),
                    "{framed:?} {view:?}"
                );
                return;
            }
            Err(ReadError::Decode { error, received }) => {
                assert_eq!(received, fed);
                match frame_with(prefix, policy) {
                    Ok(Frame::Complete(view)) => {
                        assert_eq!(Hello::<CAPACITY>::try_from(&view), Err(error))
                    }
                    other => {
                        assert_eq!(other, Err(error));
                        assert!(framed.is_err(), "a prefix is invalid, the whole is not");
                    }
                }
                return;
            }
            Err(ReadError::BufferTooSmall { needed, capacity }) => {
                assert!(capacity == max_len && needed.at_least() > max_len);
                assert!(matches!(
                    frame_with(prefix, policy),
                    Ok(Frame::Incomplete { needed: n, .. }) if n == needed
                ));
                return;
            }
            Err(ReadError::UnexpectedEof { received, needed }) => {
                assert_eq!((received, fed), (data.len(), data.len()));
                assert!(matches!(framed, Ok(Frame::Incomplete { needed: n, .. }) if *n == needed));
                return;
            }
            Err(e) => panic!("the codec failed on its own: {e}"),
        }
    }
    assert!(data.is_empty());
    assert_eq!(codec.decode_eof(&mut src).unwrap(), None);
}

/// `schedule`: arbitrary cadences and windows; the constructors accept or refuse without
/// panicking; the iterator terminates, is monotone, stays inside the window and agrees with
/// the lookups.
pub fn schedule(data: &[u8]) {
    let _ = schedule_from(&mut Unstructured::new(data));
}

fn duration(u: &mut Unstructured<'_>) -> arbitrary::Result<Duration> {
    Ok(match u.int_in_range(0..=3)? {
        0 => Duration::from_secs(u.int_in_range(0..=7200)?),
        1 => Duration::from_secs(u.int_in_range(0..=256 * 3600)?),
        2 => Duration::new(u.arbitrary()?, u.int_in_range(0..=999_999_999)?),
        _ => Duration::from_secs(60 * u.int_in_range(0..=300)?),
    })
}

fn schedule_from(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let mut phases = Vec::new();
    for _ in 0..u.int_in_range(0..=8)? {
        phases.push(Phase::new(duration(u)?, duration(u)?));
    }
    // A refusal says why.
    let refused = |e: amt_hello::ScheduleError| {
        assert!(!e.to_string().is_empty());
        Ok(())
    };
    let cadence = match Cadence::new(&phases, duration(u)?) {
        Ok(cadence) => cadence,
        Err(e) => return refused(e),
    };
    let schedule = match RetrySchedule::new(cadence, duration(u)?) {
        Ok(schedule) => schedule,
        Err(e) => return refused(e),
    };

    let total = schedule.attempt_count();
    assert_eq!(*schedule.cadence(), cadence);
    let hint = usize::try_from(total).ok();
    assert_eq!(
        schedule.attempts().size_hint(),
        (hint.unwrap_or(usize::MAX), hint.or(Some(usize::MAX)))
    );
    // The device's own schedules are the values of their cadence and window.
    let ours = (*schedule.cadence(), schedule.window());
    for theirs in [
        RetrySchedule::first_window(),
        RetrySchedule::reopened_window(),
        RetrySchedule::default(),
    ] {
        assert_eq!(
            schedule == theirs,
            ours == (*theirs.cadence(), theirs.window())
        );
        assert_eq!(*theirs.cadence(), Cadence::default());
    }
    let scan_all = total <= 20_000;
    let mut previous: Option<amt_hello::Attempt> = None;
    let mut seen = 0u32;
    for a in schedule.attempts().take(20_000) {
        assert_eq!(a.number, seen);
        assert!(a.at < schedule.window());
        assert_eq!(a.retry_count, a.number.min(14));
        assert_eq!(a.is_last, a.number + 1 == total);
        if let Some(p) = previous {
            assert!(p.at < a.at);
            assert_eq!(a.delay, a.at - p.at);
        }
        if seen < 64 {
            assert_eq!(schedule.attempt(seen), Some(a));
        }
        previous = Some(a);
        seen += 1;
    }
    if scan_all {
        assert_eq!(seen, total);
        let elapsed = duration(u)?;
        assert_eq!(
            schedule.remaining(elapsed),
            schedule.window().saturating_sub(elapsed)
        );
        let brute = schedule.attempts().take_while(|a| a.at <= elapsed).last();
        assert_eq!(schedule.attempt_at(elapsed), brute);
        assert_eq!(
            schedule.next_after(elapsed),
            schedule.attempts().find(|a| a.at > elapsed)
        );
        let rc = u.int_in_range(0..=20)?;
        let brute = schedule
            .attempts()
            .find(|a| a.retry_count == rc.min(14))
            .map(|a| a.at);
        assert_eq!(schedule.earliest_send_time(rc), brute);
    }
    Ok(())
}

/// `text`: the parsers of text from outside (command lines, configuration, JSON). The first
/// byte picks the parser (its low three bits) and, for hex, the output's capacity (the rest);
/// the other bytes are the text (invalid UTF-8 replaced). What parses displays back
/// canonically and parses again to the same value; what is refused is refused for a reason
/// the text shows.
pub fn text(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let text = &*text;
    match pick % 8 {
        0 => text_uuid(text),
        1 => text_pid(text),
        2 => text_algorithm(text),
        3 => text_hex(text, usize::from(pick >> 3)),
        4 => json_hello::<CAPACITY>(text),
        5 => json_hello::<2>(text),
        6 => json_cert_hash(text),
        _ => json_text_forms(text),
    }
}

/// A refusal names what the text shows: its length, or the byte at an offset.
fn check_refusal(text: &str, error: ParseError) {
    match error {
        ParseError::Length { expected, found } => assert_eq!(found, text.len(), "{expected}"),
        ParseError::Character { offset, found } => assert_eq!(text.as_bytes()[offset], found),
        _ => {}
    }
    let _ = error.to_string();
}

fn text_uuid(text: &str) {
    match text.parse::<Uuid>() {
        Ok(uuid) => {
            assert_eq!(uuid.to_string(), text.to_ascii_lowercase());
            assert_eq!(uuid.to_string().parse(), Ok(uuid));
            assert_eq!(Uuid::from(uuid::Uuid::from(uuid)), uuid);
            let _ = format!("{uuid:?}");
        }
        Err(e) => check_refusal(text, e),
    }
}

fn text_pid(text: &str) {
    match text.parse::<Pid>() {
        Ok(pid) => {
            assert!(pid.is_valid() && Pid::new(*pid.as_bytes()) == Ok(pid));
            let shown = pid.to_string();
            assert_eq!(shown.replace('-', ""), text.replace('-', ""));
            assert_eq!((shown.len(), shown.parse()), (9, Ok(pid)));
            assert_eq!(format!("{pid:?}"), format!("Pid({shown})"));
        }
        Err(e) => check_refusal(text, e),
    }
}

fn text_algorithm(text: &str) {
    match text.parse::<HashAlgorithm>() {
        Ok(algorithm) => {
            let shown = algorithm.to_string();
            assert_eq!(shown.parse(), Ok(algorithm));
            if algorithm.is_known() {
                assert!(shown.eq_ignore_ascii_case(text) && algorithm.name() == shown);
            } else {
                assert_eq!(algorithm.name(), "unknown");
                assert!(HashAlgorithm::lengths_for_code(algorithm.to_wire()).is_empty());
            }
        }
        Err(e @ ParseError::KnownAlgorithmCode { code }) => {
            assert!(!HashAlgorithm::lengths_for_code(code).is_empty());
            assert!(e.to_string().contains(&code.to_string()));
        }
        Err(e) => assert_eq!(e, ParseError::UnknownAlgorithmName),
    }
}

fn text_hex(text: &str, capacity: usize) {
    let mut out = vec![0u8; capacity];
    match hex::decode(text, &mut out) {
        Ok(bytes) => {
            assert_eq!(bytes.len() * 2, text.len());
            let digest = Digest::new(bytes);
            assert_eq!(digest.to_string(), text.to_ascii_lowercase());
            let mut back = vec![0u8; text.len()];
            assert_eq!(
                digest.text_into(&mut back),
                Some(&*text.to_ascii_lowercase())
            );
            assert_eq!(format!("{digest:?}"), format!("Digest({digest:x})"));
        }
        Err(ParseError::HexLength {
            digits,
            capacity: c,
        }) => {
            assert_eq!((digits, c), (text.len(), capacity));
            assert!(!digits.is_multiple_of(2) || digits > 2 * capacity);
        }
        Err(e) => {
            assert!(text.len().is_multiple_of(2) && text.len() <= 2 * capacity);
            check_refusal(text, e);
        }
    }
}

/// A Hello from JSON (`amt-hello decode`'s object) serializes back to JSON that deserializes
/// to the same Hello, and to the JSON its encoding's view serializes to.
fn json_hello<const N: usize>(text: &str) {
    let Ok(hello) = serde_json::from_str::<Hello<N>>(text) else {
        return;
    };
    let json = serde_json::to_value(&hello).unwrap();
    assert_eq!(
        serde_json::from_value::<Hello<N>>(json.clone()).unwrap(),
        hello
    );
    let mut bytes = vec![0u8; hello.encoded_len()];
    assert_eq!(hello.encode_into(&mut bytes), Ok(bytes.len()));
    let view = HelloView::parse_with(&bytes, Policy::Lenient).unwrap();
    assert_eq!(serde_json::to_value(view).unwrap(), json);
    assert_eq!(Hello::<N>::decode_with(&bytes, Policy::Lenient), Ok(hello));
}

fn json_cert_hash(text: &str) {
    let Ok(hash) = serde_json::from_str::<CertHash>(text) else {
        return;
    };
    let len = hash.digest().as_bytes().len();
    assert!(hash.algorithm().digest_len().is_none_or(|l| l == len));
    let json = serde_json::to_value(&hash).unwrap();
    assert_eq!(serde_json::from_value::<CertHash>(json).unwrap(), hash);
}

/// The text forms as JSON values: a JSON string deserializes as its text parses; anything else
/// is refused.
fn json_text_forms(text: &str) {
    let string = serde_json::from_str::<String>(text).ok();
    macro_rules! agree {
        ($($ty:ty),*) => {$(
            let parsed = string.as_deref().and_then(|s| s.parse::<$ty>().ok());
            assert_eq!(serde_json::from_str::<$ty>(text).ok(), parsed);
            if let Some(value) = parsed {
                let json = serde_json::to_string(&value).unwrap();
                assert_eq!(serde_json::from_str::<$ty>(&json).unwrap(), value);
            }
        )*};
    }
    agree!(Uuid, Pid, HashAlgorithm, AdminCredentials);
}

/// A fuzz target's check of one input.
pub type Check = fn(&[u8]);

/// Each codec target's check, by the target's name (the `capture` target's is the command's).
pub const TARGETS: [(&str, Check); 6] = [
    ("decode", decode),
    ("roundtrip", roundtrip),
    ("lenient", lenient),
    ("stream", stream),
    ("schedule", schedule),
    ("text", text),
];
