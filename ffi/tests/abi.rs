//! The C ABI called from Rust, against the crate it wraps: every shared vector and real
//! capture, every error variant's message, every text form's exact bytes, the schedule, and
//! every function's NULL and short-buffer answers. (The C tests prove the same from C, under
//! sanitizers; these run under Miri and are what mutation testing runs.)
#![allow(unsafe_code, clippy::undocumented_unsafe_blocks)] // tests of an unsafe ABI

use core::ffi::CStr;
use core::ptr::{null, null_mut};

use amt_hello::Policy;
use amt_hello::layout::PKI_MIN_LEN;
use amt_hello::{DecodeError, Frame, HelloView, Needed, RetrySchedule, frame_with};
use amt_hello_ffi::*;
use common::{capture, hex, vectors};

mod common;

/// A message from the shared data, with the crate's own answer for it.
struct Message {
    name: String,
    bytes: Vec<u8>,
}

/// Every vector (valid and invalid) and every real capture.
fn messages() -> Vec<Message> {
    let vectors = vectors();
    let mut all: Vec<Message> = ["valid", "invalid"]
        .iter()
        .flat_map(|section| vectors[section].as_array().unwrap().iter())
        .map(|v| Message {
            name: v["name"].as_str().unwrap().to_string(),
            bytes: hex(v["hex"].as_str().unwrap()),
        })
        .collect();
    for n in 1..=3 {
        all.push(Message {
            name: format!("meshcentral-pki-v3-{n}"),
            bytes: capture(n),
        });
    }
    // Under Miri the long ones take minutes; the short ones reach every path of the ABI.
    if cfg!(miri) {
        all.retain(|m| m.bytes.len() < 100);
    }
    all
}

const POLICIES: [(bool, Policy); 2] = [(false, Policy::Strict), (true, Policy::Lenient)];

fn parse(bytes: &[u8], lenient: bool) -> Result<AmtHelloView, AmtHelloError> {
    let mut view = core::mem::MaybeUninit::<AmtHelloView>::uninit();
    let mut error = AmtHelloError::default_for_tests();
    let status = unsafe {
        amt_hello_parse(
            bytes.as_ptr(),
            bytes.len(),
            lenient,
            view.as_mut_ptr(),
            &mut error,
        )
    };
    if status == AmtHelloStatus::Ok {
        Ok(unsafe { view.assume_init() })
    } else {
        assert_eq!(status as u32, error.kind, "the status is the error's kind");
        Err(error)
    }
}

trait ForTests {
    fn default_for_tests() -> Self;
}

impl ForTests for AmtHelloError {
    fn default_for_tests() -> Self {
        AmtHelloError {
            kind: 0xffff,
            offset: 0xffff,
            found: 0xffff,
            needed: 0xffff,
            needed_is_exact: true,
            code: 0xff,
        }
    }
}

/// What the error struct must say for the crate's error.
fn expected_error(e: &DecodeError) -> (u32, usize, u64, Option<Needed>, u8) {
    match *e {
        DecodeError::Truncated {
            offset,
            len,
            needed,
            ..
        } => (2, offset, len as u64, Some(needed), 0),
        DecodeError::InvalidAdminCredentials { offset, found } => {
            (3, offset, found.into(), None, 0)
        }
        DecodeError::UnsupportedVersion { offset, found } => (4, offset, found.into(), None, 0),
        DecodeError::RetryCountOutOfRange { offset, found, .. } => {
            (5, offset, found.into(), None, 0)
        }
        DecodeError::InvalidPid { offset, found } => (6, offset, found.into(), None, 0),
        DecodeError::UnknownHashAlgorithm { offset, found } => (7, offset, found.into(), None, 0),
        DecodeError::HashLengthMismatch {
            offset,
            code,
            found,
            ..
        } => (8, offset, found.into(), None, code),
        DecodeError::TrailingBytes { offset, extra } => (9, offset, extra as u64, None, 0),
        _ => (15, e.offset(), 0, None, 0),
    }
}

fn message_of(error: &AmtHelloError) -> String {
    let mut buf = [0u8; AMT_HELLO_MESSAGE_SIZE];
    let mut len = 0;
    let status =
        unsafe { amt_hello_error_message(error, buf.as_mut_ptr().cast(), buf.len(), &mut len) };
    assert_eq!(status, AmtHelloStatus::Ok);
    let text = CStr::from_bytes_until_nul(&buf).unwrap().to_str().unwrap();
    assert_eq!(text.len(), len);
    text.to_string()
}

fn check_error(name: &str, error: &AmtHelloError, e: &DecodeError) {
    let (kind, offset, found, needed, code) = expected_error(e);
    assert_eq!(error.kind, kind, "{name}: {e}");
    assert_eq!(error.offset, offset, "{name}");
    assert_eq!(error.found, found, "{name}");
    assert_eq!(error.code, code, "{name}");
    if let Some(needed) = needed {
        assert_eq!(error.needed, needed.at_least(), "{name}");
        assert_eq!(error.needed_is_exact, needed.exact().is_some(), "{name}");
    }
    assert_eq!(message_of(error), e.to_string(), "{name}");
    let name_ptr = amt_hello_status_name(error.kind);
    let status_name = unsafe { CStr::from_ptr(name_ptr) }.to_str().unwrap();
    assert_eq!(status_name, e.kind(), "{name}");
}

/// The hashes the C walk gives, and each by index.
fn walk(view: &AmtHelloView) -> Vec<(u8, Vec<u8>)> {
    let mut iter = core::mem::MaybeUninit::<AmtHelloHashIter>::uninit();
    assert_eq!(
        unsafe { amt_hello_hashes(view, iter.as_mut_ptr()) },
        AmtHelloStatus::Ok
    );
    let mut iter = unsafe { iter.assume_init() };
    let mut hashes = Vec::new();
    let mut hash = AmtHelloCertHash {
        code: 0,
        len: 0,
        digest: null(),
    };
    while unsafe { amt_hello_hashes_next(&mut iter, &mut hash) } {
        let digest = unsafe { core::slice::from_raw_parts(hash.digest, hash.len.into()) };
        let mut by_index = AmtHelloCertHash {
            code: 0,
            len: 0,
            digest: null(),
        };
        let index = hashes.len();
        assert_eq!(
            unsafe { amt_hello_cert_hash(view, index, &mut by_index) },
            AmtHelloStatus::Ok
        );
        assert_eq!(
            (by_index.code, by_index.len, by_index.digest),
            (hash.code, hash.len, hash.digest)
        );
        hashes.push((hash.code, digest.to_vec()));
    }
    assert_eq!(iter.remaining, 0);
    assert!(
        !unsafe { amt_hello_hashes_next(&mut iter, &mut hash) },
        "the walk stays ended"
    );
    hashes
}

/// The message the view describes, as the encoder's input.
fn encode_back(view: &AmtHelloView, hashes: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let table: Vec<AmtHelloCertHash> = hashes
        .iter()
        .map(|(code, digest)| AmtHelloCertHash {
            code: *code,
            len: digest.len() as u8,
            digest: digest.as_ptr(),
        })
        .collect();
    let mut message = AmtHelloMessage {
        version: view.version,
        admin_credentials_set: view.admin_credentials_set,
        retry_count: view.retry_count,
        uuid: [0; 16],
        pid: [0; 8],
        hashes: table.as_ptr(),
        hash_count: table.len(),
    };
    assert_eq!(
        unsafe { amt_hello_uuid(view, message.uuid.as_mut_ptr()) },
        AmtHelloStatus::Ok
    );
    if view.version == 2 {
        assert_eq!(
            unsafe { amt_hello_pid(view, message.pid.as_mut_ptr()) },
            AmtHelloStatus::Ok
        );
    }
    let mut error = AmtHelloError::default_for_tests();
    let status = unsafe { amt_hello_encode(&message, null_mut(), 0, null_mut(), &mut error) };
    assert_eq!(status, AmtHelloStatus::BufferTooSmall);
    let len = error.needed;
    assert!(error.needed_is_exact && error.found == 0);
    let mut out = vec![0xa5; len + 1];
    let mut written = usize::MAX;
    let status = unsafe {
        amt_hello_encode(
            &message,
            out.as_mut_ptr(),
            len - 1,
            &mut written,
            &mut error,
        )
    };
    assert_eq!(
        (status, error.needed, error.found),
        (AmtHelloStatus::BufferTooSmall, len, (len - 1) as u64)
    );
    assert_eq!(written, usize::MAX, "nothing written on error");
    assert!(
        out.iter().all(|&b| b == 0xa5),
        "not a byte written on error"
    );
    let status = unsafe {
        amt_hello_encode(
            &message,
            out.as_mut_ptr(),
            out.len(),
            &mut written,
            null_mut(),
        )
    };
    assert_eq!((status, written), (AmtHelloStatus::Ok, len));
    assert_eq!(out[len], 0xa5, "nothing past the message");
    out.truncate(len);
    out
}

#[test]
fn every_message_parses_as_the_crate_parses_it() {
    for m in messages() {
        for (lenient, policy) in POLICIES {
            match (
                parse(&m.bytes, lenient),
                HelloView::parse_with(&m.bytes, policy),
            ) {
                (Ok(view), Ok(hello)) => {
                    assert_eq!(view.bytes, m.bytes.as_ptr());
                    assert_eq!(view.len, m.bytes.len());
                    assert_eq!(view.version, hello.version().to_wire());
                    assert_eq!(
                        view.admin_credentials_set,
                        hello.admin_credentials().is_set()
                    );
                    assert_eq!(view.retry_count, hello.retry_count());
                    assert_eq!(usize::from(view.hash_count), hello.cert_hashes().len());
                    assert_eq!(
                        view.uniform_digest_len,
                        hello.uniform_digest_len().unwrap_or(0)
                    );
                    let mut uuid = [0; 16];
                    assert_eq!(
                        unsafe { amt_hello_uuid(&view, uuid.as_mut_ptr()) },
                        AmtHelloStatus::Ok
                    );
                    assert_eq!(&uuid, hello.uuid().as_bytes());
                    let mut pid = [0; 8];
                    let status = unsafe { amt_hello_pid(&view, pid.as_mut_ptr()) };
                    match hello.pid() {
                        Some(p) => assert_eq!((status, &pid), (AmtHelloStatus::Ok, p.as_bytes())),
                        None => assert_eq!((status, pid), (AmtHelloStatus::OutOfRange, [0; 8])),
                    }
                    let hashes = walk(&view);
                    let want: Vec<(u8, Vec<u8>)> = hello
                        .cert_hashes()
                        .map(|h| (h.algorithm().to_wire(), h.digest().as_bytes().to_vec()))
                        .collect();
                    assert_eq!(hashes, want, "{}", m.name);
                    let mut past = AmtHelloCertHash {
                        code: 0,
                        len: 0,
                        digest: null(),
                    };
                    let status = unsafe { amt_hello_cert_hash(&view, hashes.len(), &mut past) };
                    assert_eq!(status, AmtHelloStatus::OutOfRange);
                    assert_eq!(encode_back(&view, &hashes), m.bytes, "{}", m.name);
                }
                (Err(error), Err(e)) => check_error(&m.name, &error, &e),
                (ffi, rust) => panic!(
                    "{}: {:?} vs {:?}",
                    m.name,
                    ffi.map(|_| ()),
                    rust.map(|_| ())
                ),
            }
        }
    }
}

#[test]
fn every_prefix_frames_as_the_crate_frames_it() {
    for m in messages() {
        let mut longer = m.bytes.clone();
        longer.extend([1, 0, 2, 0]);
        for n in 0..=longer.len() {
            let prefix = &longer[..n];
            let mut view = core::mem::MaybeUninit::<AmtHelloView>::uninit();
            let mut error = AmtHelloError::default_for_tests();
            let status = unsafe {
                amt_hello_frame(prefix.as_ptr(), n, false, view.as_mut_ptr(), &mut error)
            };
            match frame_with(prefix, Policy::Strict) {
                Ok(Frame::Complete(hello)) => {
                    assert_eq!(status, AmtHelloStatus::Ok);
                    let view = unsafe { view.assume_init() };
                    assert_eq!(view.len, hello.encoded_len());
                    assert_eq!(view.bytes, prefix.as_ptr());
                }
                Ok(Frame::Incomplete { offset, needed }) => {
                    assert_eq!(status, AmtHelloStatus::Incomplete, "{}[..{n}]", m.name);
                    assert_eq!(error.kind, 1);
                    assert_eq!((error.offset, error.found), (offset, n as u64));
                    assert_eq!(error.needed, needed.at_least());
                    assert_eq!(error.needed_is_exact, needed.exact().is_some());
                    assert_eq!(
                        message_of(&error),
                        format!(
                            "incomplete Hello: the field at byte {offset} is not complete yet; \
                             the message needs {needed}, {n} present"
                        )
                    );
                }
                Err(e) => check_error(&m.name, &error, &e),
            }
        }
    }
}

#[test]
fn every_decode_error_keeps_its_values_and_its_message() {
    let errors = [
        DecodeError::Truncated {
            offset: 27,
            len: 37,
            needed: Needed::Exactly(59),
        },
        DecodeError::Truncated {
            offset: 8,
            len: 23,
            needed: Needed::AtLeast(32),
        },
        DecodeError::InvalidAdminCredentials {
            offset: 0,
            found: 0xfffe,
        },
        DecodeError::UnsupportedVersion {
            offset: 2,
            found: 0x300,
        },
        DecodeError::RetryCountOutOfRange {
            offset: 4,
            found: u32::MAX,
        },
        DecodeError::InvalidPid {
            offset: 31,
            found: 0x7f,
        },
        DecodeError::UnknownHashAlgorithm {
            offset: 25,
            found: 200,
        },
        DecodeError::HashLengthMismatch {
            offset: 26,
            code: 3,
            found: 20,
        },
        DecodeError::HashLengthMismatch {
            offset: 60,
            code: 1,
            found: 0,
        },
        DecodeError::TrailingBytes {
            offset: 59,
            extra: 1 << 20,
        },
    ];
    for e in errors {
        check_error("table", &AmtHelloError::from(e), &e);
    }
    // The owned value's capacity errors cannot come from a view: a generic code and message.
    let owned = DecodeError::TooManyHashes {
        offset: 24,
        found: 40,
        capacity: 33,
    };
    let error = AmtHelloError::from(owned);
    assert_eq!(
        (error.kind, error.offset),
        (AmtHelloStatus::Invalid as u32, 24)
    );
    assert_eq!(message_of(&error), "invalid Hello");
}

#[test]
fn the_other_statuses_say_what_went_wrong_with_the_call() {
    let of = |kind: AmtHelloStatus, found: u64, needed: usize| AmtHelloError {
        kind: kind as u32,
        offset: 0,
        found,
        needed,
        needed_is_exact: true,
        code: 0,
    };
    let cases = [
        (of(AmtHelloStatus::Ok, 0, 0), "no error"),
        (
            of(AmtHelloStatus::TooManyHashes, 300, 0),
            "300 certificate hashes do not fit the one-byte count (at most 255)",
        ),
        (
            of(AmtHelloStatus::BufferTooSmall, 31, 32),
            "buffer too small: 32 bytes needed, the buffer has 31",
        ),
        (
            of(AmtHelloStatus::NullPointer, 0, 0),
            "a required pointer argument is NULL",
        ),
        (
            of(AmtHelloStatus::OutOfRange, 0, 0),
            "an index or value is out of range",
        ),
        (
            of(AmtHelloStatus::InvalidView, 0, 0),
            "the view no longer describes its bytes (were they changed or freed after parsing?)",
        ),
        (of(AmtHelloStatus::Invalid, 0, 0), "invalid Hello"),
    ];
    for (error, text) in cases {
        assert_eq!(message_of(&error), text);
        assert!(text.len() < AMT_HELLO_MESSAGE_SIZE);
    }
    let not_a_status = AmtHelloError {
        kind: 16,
        ..of(AmtHelloStatus::Ok, 0, 0)
    };
    assert_eq!(message_of(&not_a_status), "invalid Hello");
    // Values C made up still give a message, never a crash.
    let huge = AmtHelloError {
        kind: AmtHelloStatus::Truncated as u32,
        found: u64::MAX,
        needed_is_exact: false,
        ..of(AmtHelloStatus::Ok, 0, usize::MAX)
    };
    assert!(message_of(&huge).contains(&format!("at least {} bytes", usize::MAX)));
    let mut buf = [0u8; 8];
    let status = unsafe { amt_hello_error_message(null(), buf.as_mut_ptr().cast(), 8, null_mut()) };
    assert_eq!(status, AmtHelloStatus::NullPointer);
}

#[test]
fn every_status_has_its_name() {
    let names = [
        "ok",
        "incomplete",
        "truncated",
        "invalid_admin_credentials",
        "unsupported_version",
        "retry_count_out_of_range",
        "invalid_pid",
        "unknown_hash_algorithm",
        "hash_length_mismatch",
        "trailing_bytes",
        "too_many_hashes",
        "buffer_too_small",
        "null_pointer",
        "out_of_range",
        "invalid_view",
        "invalid",
    ];
    for (code, name) in names.iter().enumerate() {
        let ptr = amt_hello_status_name(code as u32);
        assert_eq!(unsafe { CStr::from_ptr(ptr) }.to_str(), Ok(*name));
    }
    assert!(amt_hello_status_name(16).is_null());
    assert!(amt_hello_status_name(u32::MAX).is_null());
}

/// Calls a text function with buffers of every size from 0 to `want.len() + 1`.
fn check_text(
    want: &str,
    call: &dyn Fn(*mut core::ffi::c_char, usize, *mut usize) -> AmtHelloStatus,
) {
    for size in 0..=want.len() + 1 {
        let mut buf = vec![b'x'; size + 1];
        let mut len = usize::MAX;
        let status = call(buf.as_mut_ptr().cast(), size, &mut len);
        assert_eq!(len, want.len(), "size {size}");
        if size > want.len() {
            assert_eq!(status, AmtHelloStatus::Ok);
            assert_eq!(&buf[..=want.len()], [want.as_bytes(), &[0]].concat());
        } else {
            assert_eq!(status, AmtHelloStatus::BufferTooSmall, "size {size}");
            if size > 0 {
                assert_eq!(buf[0], 0, "an empty string, not a truncated one");
            }
        }
        assert_eq!(buf[size], b'x', "nothing past the buffer");
    }
    assert_eq!(
        call(null_mut(), 40, null_mut()),
        AmtHelloStatus::NullPointer
    );
}

#[test]
fn text_forms_are_exact_and_never_truncated() {
    let uuid: [u8; 16] = core::array::from_fn(|i| (i * 0x11) as u8);
    check_text(
        "33221100-5544-7766-8899-aabbccddeeff",
        &|out, size, len| unsafe { amt_hello_uuid_text(uuid.as_ptr(), out, size, len) },
    );
    check_text("ABCD-1234", &|out, size, len| unsafe {
        amt_hello_pid_text(b"ABCD1234".as_ptr(), out, size, len)
    });
    check_text(r#"AB\x2dD-\x5c"\x01\x20"#, &|out, size, len| unsafe {
        amt_hello_pid_text(b"AB-D\\\"\x01 ".as_ptr(), out, size, len)
    });
    let worst = "\\x00".repeat(4) + "-" + &"\\x00".repeat(4);
    assert_eq!(worst.len() + 1, AMT_HELLO_PID_TEXT_SIZE);
    check_text(&worst, &|out, size, len| unsafe {
        amt_hello_pid_text([0; 8].as_ptr(), out, size, len)
    });
    check_text("01abff00", &|out, size, len| unsafe {
        amt_hello_digest_hex([1, 0xab, 0xff, 0].as_ptr(), 4, out, size, len)
    });
    check_text("", &|out, size, len| unsafe {
        amt_hello_digest_hex(null(), 0, out, size, len)
    });
    for (code, digest_len, name) in [
        (1, 20, "sha1"),
        (2, 32, "sha256"),
        (3, 48, "sha384"),
        (3, 64, "sha512"),
        (0, 7, "unknown(0)"),
        (255, 0, "unknown(255)"),
    ] {
        check_text(name, &|out, size, len| unsafe {
            amt_hello_algorithm_name(code, digest_len, out, size, len)
        });
    }
    let mut buf = [0u8; 16];
    for (code, len) in [(1, 32), (2, 20), (3, 32)] {
        let status =
            unsafe { amt_hello_algorithm_name(code, len, buf.as_mut_ptr().cast(), 16, null_mut()) };
        assert_eq!(status, AmtHelloStatus::HashLengthMismatch);
    }
    let (uuid_size, out) = (AMT_HELLO_UUID_TEXT_SIZE, buf.as_mut_ptr().cast());
    assert_eq!(
        unsafe { amt_hello_uuid_text(null(), out, uuid_size, null_mut()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_pid_text(null(), out, 16, null_mut()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_digest_hex(null(), 1, out, 16, null_mut()) },
        AmtHelloStatus::NullPointer
    );
    // A size no buffer can have is refused before anything is written.
    let status = unsafe { amt_hello_digest_hex([1].as_ptr(), 1, out, usize::MAX, null_mut()) };
    assert_eq!(status, AmtHelloStatus::OutOfRange);
}

#[test]
fn null_pointers_and_impossible_lengths_are_status_codes() {
    let psk = hex("010002000000000000112233445566778899aabbccddeeff4142434431323334");
    let mut view = core::mem::MaybeUninit::<AmtHelloView>::uninit();
    let mut error = AmtHelloError::default_for_tests();
    for f in [amt_hello_parse, amt_hello_frame] {
        assert_eq!(
            unsafe { f(null(), 1, false, view.as_mut_ptr(), &mut error) },
            AmtHelloStatus::NullPointer
        );
        assert_eq!(error.kind, AmtHelloStatus::NullPointer as u32);
        assert_eq!(
            unsafe { f(psk.as_ptr(), psk.len(), false, null_mut(), null_mut()) },
            AmtHelloStatus::NullPointer
        );
        let huge = isize::MAX as usize + 1;
        assert_eq!(
            unsafe { f(psk.as_ptr(), huge, false, view.as_mut_ptr(), null_mut()) },
            AmtHelloStatus::OutOfRange
        );
        // NULL with no bytes is the empty message.
        assert_eq!(
            unsafe { f(null(), 0, false, view.as_mut_ptr(), &mut error) } as u32,
            error.kind
        );
        assert!(matches!(error.kind, 1 | 2));
    }
    let view = parse(&psk, false).unwrap();
    let mut out = [0u8; 16];
    assert_eq!(
        unsafe { amt_hello_uuid(null(), out.as_mut_ptr()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_uuid(&view, null_mut()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_pid(null(), out.as_mut_ptr()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_pid(&view, null_mut()) },
        AmtHelloStatus::NullPointer
    );
    let mut hash = AmtHelloCertHash {
        code: 0,
        len: 0,
        digest: null(),
    };
    assert_eq!(
        unsafe { amt_hello_cert_hash(null(), 0, &mut hash) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_cert_hash(&view, 0, null_mut()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_cert_hash(&view, 0, &mut hash) },
        AmtHelloStatus::OutOfRange,
        "PSK has none"
    );
    let mut iter = AmtHelloIterForTests::new();
    assert_eq!(
        unsafe { amt_hello_hashes(null(), &mut iter.0) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_hashes(&view, null_mut()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_hashes(&view, &mut iter.0) },
        AmtHelloStatus::Ok
    );
    assert_eq!(iter.0.remaining, 0, "a PSK Hello has no hashes to walk");
    assert!(!unsafe { amt_hello_hashes_next(null_mut(), &mut hash) });
}

struct AmtHelloIterForTests(AmtHelloHashIter);

impl AmtHelloIterForTests {
    fn new() -> Self {
        AmtHelloIterForTests(AmtHelloHashIter {
            bytes: null(),
            len: 0,
            offset: 0,
            remaining: 0,
        })
    }
}

#[test]
fn a_view_whose_bytes_changed_is_refused_not_read_past() {
    // Two SHA-256 entries, then one SHA-1: not uniform.
    let mut mixed = hex("0100030000000000c98b91356d19ea409779889d79b753f003");
    for (code, len) in [(2u8, 32u8), (2, 32), (1, 20)] {
        mixed.extend([code, len]);
        mixed.extend(vec![len; len.into()]);
    }
    let view = parse(&mixed, false).unwrap();
    assert_eq!((view.hash_count, view.uniform_digest_len), (3, 0));
    let uniform = {
        let mut m = mixed[..PKI_MIN_LEN + 2 * 34].to_vec();
        m[24] = 2;
        m
    };
    let uniform_view = parse(&uniform, false).unwrap();
    assert_eq!(uniform_view.uniform_digest_len, 32);
    for view in [view, uniform_view] {
        let mut hash = AmtHelloCertHash {
            code: 0,
            len: 0,
            digest: null(),
        };
        let mut cut = view;
        cut.len = PKI_MIN_LEN + 34 + 10; // the second entry no longer fits
        assert_eq!(
            unsafe { amt_hello_cert_hash(&cut, 0, &mut hash) },
            AmtHelloStatus::Ok
        );
        assert_eq!(
            unsafe { amt_hello_cert_hash(&cut, 1, &mut hash) },
            AmtHelloStatus::InvalidView
        );
        let mut iter = AmtHelloIterForTests::new();
        assert_eq!(
            unsafe { amt_hello_hashes(&cut, &mut iter.0) },
            AmtHelloStatus::Ok
        );
        assert!(unsafe { amt_hello_hashes_next(&mut iter.0, &mut hash) });
        assert!(!unsafe { amt_hello_hashes_next(&mut iter.0, &mut hash) });
        assert_eq!(iter.0.remaining, 0, "a broken walk ends");
        assert!(!unsafe { amt_hello_hashes_next(&mut iter.0, null_mut()) });
        cut.len = 20;
        let mut uuid = [0; 16];
        assert_eq!(
            unsafe { amt_hello_uuid(&cut, uuid.as_mut_ptr()) },
            AmtHelloStatus::InvalidView
        );
        cut.version = 2;
        assert_eq!(
            unsafe { amt_hello_pid(&cut, uuid.as_mut_ptr()) },
            AmtHelloStatus::InvalidView
        );
        cut.version = 3;
        cut.hash_count = 1;
        assert_eq!(
            unsafe { amt_hello_cert_hash(&cut, 1, &mut hash) },
            AmtHelloStatus::OutOfRange
        );
    }
    // The third entry, found by walking past two.
    let view = parse(&mixed, false).unwrap();
    let mut hash = AmtHelloCertHash {
        code: 0,
        len: 0,
        digest: null(),
    };
    assert_eq!(
        unsafe { amt_hello_cert_hash(&view, 2, &mut hash) },
        AmtHelloStatus::Ok
    );
    assert_eq!((hash.code, hash.len), (1, 20));
    assert_eq!(hash.digest, mixed[PKI_MIN_LEN + 2 * 34 + 2..].as_ptr());
}

#[test]
fn encode_refuses_what_it_cannot_write() {
    let digest = [0u8; 64];
    let entry = |code, len| AmtHelloCertHash {
        code,
        len,
        digest: digest.as_ptr(),
    };
    let table = [entry(2, 32), entry(3, 64), entry(2, 20)];
    let mut message = AmtHelloMessage {
        version: 3,
        admin_credentials_set: false,
        retry_count: 99,
        uuid: [7; 16],
        pid: *b"ab-d1234",
        hashes: table.as_ptr(),
        hash_count: 3,
    };
    let mut out = [0u8; 300];
    let mut error = AmtHelloError::default_for_tests();
    let encode = |m: &AmtHelloMessage, out: &mut [u8], error: &mut AmtHelloError| unsafe {
        amt_hello_encode(m, out.as_mut_ptr(), out.len(), null_mut(), error)
    };
    let encode_len = |m: &AmtHelloMessage, out: &mut [u8]| {
        let mut written = usize::MAX;
        let status =
            unsafe { amt_hello_encode(m, out.as_mut_ptr(), out.len(), &mut written, null_mut()) };
        (status, written)
    };
    assert_eq!(
        encode(&message, &mut out, &mut error),
        AmtHelloStatus::HashLengthMismatch
    );
    assert_eq!(
        (error.offset, error.code, error.found),
        (25 + 34 + 66 + 1, 2, 20)
    );
    assert_eq!(
        message_of(&error),
        "hash length 20 at byte 126 does not match algorithm code 2 (expected 32)"
    );
    message.hash_count = 2;
    let (status, written) = encode_len(&message, &mut out);
    assert_eq!((status, written), (AmtHelloStatus::Ok, 25 + 34 + 66));
    let hello = HelloView::parse_with(&out[..written], Policy::Lenient).unwrap();
    assert!(!hello.admin_credentials().is_set());
    assert_eq!(
        (hello.retry_count(), hello.uuid().as_bytes()),
        (99, &[7; 16])
    );
    assert_eq!(hello.cert_hashes().len(), 2);
    // Unknown codes take any length, also none.
    let unknown = [AmtHelloCertHash {
        code: 9,
        len: 0,
        digest: null(),
    }];
    message.hashes = unknown.as_ptr();
    message.hash_count = 1;
    let (status, written) = encode_len(&message, &mut out);
    assert_eq!(
        (status, written, &out[24..27]),
        (AmtHelloStatus::Ok, 27, &[1, 9, 0][..])
    );
    message.hashes = null();
    assert_eq!(
        encode(&message, &mut out, &mut error),
        AmtHelloStatus::NullPointer
    );
    message.hash_count = 0;
    let (status, written) = encode_len(&message, &mut out);
    assert_eq!((status, written, out[24]), (AmtHelloStatus::Ok, 25, 0));
    message.hash_count = 256;
    assert_eq!(
        encode(&message, &mut out, &mut error),
        AmtHelloStatus::TooManyHashes
    );
    assert_eq!(error.found, 256);
    message.hash_count = 255;
    assert_eq!(
        encode(&message, &mut out, &mut error),
        AmtHelloStatus::NullPointer,
        "255 is allowed"
    );
    let null_digest = [AmtHelloCertHash {
        code: 2,
        len: 32,
        digest: null(),
    }];
    message.hashes = null_digest.as_ptr();
    message.hash_count = 1;
    assert_eq!(
        encode(&message, &mut out, &mut error),
        AmtHelloStatus::NullPointer
    );
    // PSK: the PID is sent whatever its bytes; the table is not read.
    message.version = 2;
    let (status, written) = encode_len(&message, &mut out);
    assert_eq!(
        (status, written, &out[24..32]),
        (AmtHelloStatus::Ok, 32, &b"ab-d1234"[..])
    );
    for version in [0, 1, 4, 0x0300] {
        message.version = version;
        assert_eq!(
            encode(&message, &mut out, &mut error),
            AmtHelloStatus::UnsupportedVersion
        );
        assert_eq!((error.offset, error.found), (2, version.into()));
    }
    assert_eq!(encode_null(), AmtHelloStatus::NullPointer);
    message.version = 2;
    let status = unsafe { amt_hello_encode(&message, null_mut(), 32, null_mut(), null_mut()) };
    assert_eq!(status, AmtHelloStatus::NullPointer);
}

fn encode_null() -> AmtHelloStatus {
    let mut out = [0u8; 32];
    unsafe { amt_hello_encode(null(), out.as_mut_ptr(), 32, null_mut(), null_mut()) }
}

fn start(f: unsafe extern "C" fn(*mut AmtHelloSchedule) -> AmtHelloStatus) -> AmtHelloSchedule {
    let mut s = AmtHelloSchedule {
        window_ms: 1,
        next: 7,
    };
    assert_eq!(unsafe { f(&mut s) }, AmtHelloStatus::Ok);
    s
}

fn attempts(mut s: AmtHelloSchedule) -> Vec<AmtHelloAttempt> {
    let mut all = Vec::new();
    let mut a = AmtHelloAttempt {
        number: 0,
        at_ms: 0,
        delay_ms: 0,
        retry_count: 0,
        is_last: false,
    };
    while unsafe { amt_hello_schedule_next(&mut s, &mut a) } {
        all.push(a);
        assert_eq!(s.next as usize, all.len());
    }
    assert!(
        !unsafe { amt_hello_schedule_next(&mut s, &mut a) },
        "it stays ended"
    );
    all
}

#[test]
fn the_schedule_walks_as_the_crate_does() {
    for (s, rust) in [
        (
            start(amt_hello_schedule_first_window),
            RetrySchedule::first_window(),
        ),
        (
            start(amt_hello_schedule_reopened_window),
            RetrySchedule::reopened_window(),
        ),
    ] {
        assert_eq!(s.next, 0);
        assert_eq!(s.window_ms, rust.window().as_millis() as u64);
        assert_eq!(unsafe { amt_hello_schedule_len(&s) }, rust.attempt_count());
        let want: Vec<AmtHelloAttempt> = rust
            .attempts()
            .map(|a| AmtHelloAttempt {
                number: a.number,
                at_ms: a.at.as_millis() as u64,
                delay_ms: a.delay.as_millis() as u64,
                retry_count: a.retry_count,
                is_last: a.is_last,
            })
            .collect();
        assert_eq!(attempts(s), want);
    }
    let mut s = AmtHelloSchedule {
        window_ms: 0,
        next: 5,
    };
    let max = 255 * 3600 * 1000;
    assert_eq!(
        unsafe { amt_hello_schedule_init(&mut s, max + 1) },
        AmtHelloStatus::OutOfRange
    );
    assert_eq!((s.window_ms, s.next), (0, 5), "untouched");
    assert_eq!(
        unsafe { amt_hello_schedule_init(&mut s, max) },
        AmtHelloStatus::Ok
    );
    assert_eq!((s.window_ms, s.next), (max, 0));
    assert_eq!(unsafe { amt_hello_schedule_len(&s) }, 39 + 231);
    assert_eq!(
        unsafe { amt_hello_schedule_init(&mut s, 90_000) },
        AmtHelloStatus::Ok
    );
    let two = attempts(s);
    assert_eq!((two.len(), two[1].at_ms, two[1].is_last), (2, 60_000, true));
    assert_eq!(
        unsafe { amt_hello_schedule_init(&mut s, 0) },
        AmtHelloStatus::Ok
    );
    assert!(attempts(s).is_empty());
    // NULLs, and a state C broke.
    assert_eq!(
        unsafe { amt_hello_schedule_init(null_mut(), 0) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_schedule_first_window(null_mut()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        unsafe { amt_hello_schedule_reopened_window(null_mut()) },
        AmtHelloStatus::NullPointer
    );
    assert_eq!(unsafe { amt_hello_schedule_len(null()) }, 0);
    let mut a = AmtHelloAttempt {
        number: 9,
        at_ms: 9,
        delay_ms: 9,
        retry_count: 9,
        is_last: true,
    };
    assert!(!unsafe { amt_hello_schedule_next(null_mut(), &mut a) });
    let mut s = start(amt_hello_schedule_first_window);
    assert!(!unsafe { amt_hello_schedule_next(&mut s, null_mut()) });
    assert_eq!(s.next, 0, "no attempt lost to a NULL output");
    s.window_ms = max + 1;
    assert_eq!(unsafe { amt_hello_schedule_len(&s) }, 0);
    assert!(attempts(s).is_empty());
}
