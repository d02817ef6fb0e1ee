//! `amt_hello_texts` called through the C ABI: for every shared message the text is the crate's
//! own forms, in the documented order, and every short buffer or bad pointer is a status.
#![allow(unsafe_code, clippy::undocumented_unsafe_blocks)] // tests of an unsafe ABI

use core::ptr::{null, null_mut};

use amt_hello::{Digest, HelloView, Policy};
use amt_hello_ffi::*;
use common::{capture, hex, vectors};

mod common;

fn parse(bytes: &[u8], lenient: bool) -> AmtHelloView {
    let mut view = core::mem::MaybeUninit::<AmtHelloView>::uninit();
    let status = unsafe {
        amt_hello_parse(
            bytes.as_ptr(),
            bytes.len(),
            lenient,
            view.as_mut_ptr(),
            null_mut(),
        )
    };
    assert_eq!(status, AmtHelloStatus::Ok);
    unsafe { view.assume_init() }
}

/// The size `amt_hello_texts` asks for: the text's largest length and the NUL.
fn size(view: &AmtHelloView) -> usize {
    let mut most = 0;
    let status = unsafe { amt_hello_texts(view, null_mut(), 0, null_mut(), 0, &mut most) };
    assert_eq!(status, AmtHelloStatus::BufferTooSmall);
    most + 1
}

/// One call: the infos and the text, with the digests (`with_digests`) or without.
fn texts(view: &AmtHelloView, with_digests: bool) -> (Vec<AmtHelloDigestInfo>, String) {
    let mut infos = vec![AmtHelloDigestInfo::default(); 255];
    let infos_ptr = match with_digests {
        true => infos.as_mut_ptr(),
        false => null_mut(),
    };
    let infos_len = if with_digests { infos.len() } else { 0 };
    let mut out = vec![0xaa_u8; size(view)];
    let mut len = 0;
    let status = unsafe {
        amt_hello_texts(
            view,
            infos_ptr,
            infos_len,
            out.as_mut_ptr().cast(),
            out.len(),
            &mut len,
        )
    };
    assert_eq!(status, AmtHelloStatus::Ok);
    assert_eq!(out[len], 0, "the NUL");
    infos.truncate(if with_digests {
        view.hash_count.into()
    } else {
        0
    });
    (infos, String::from_utf8(out[..len].to_vec()).unwrap())
}

/// Every valid shared message (and the lenient-only ones, leniently). Under Miri, where reading
/// the vectors' JSON alone takes a minute, a PSK Hello, a PKI one and a capture.
fn valid_messages() -> Vec<(Vec<u8>, bool)> {
    if cfg!(miri) {
        return vec![
            (psk(), false),
            (pki(&[(1, vec![3; 20]), (3, vec![9; 48])]), false),
            (capture(1), false),
        ];
    }
    let vectors = vectors();
    let mut all: Vec<(Vec<u8>, bool)> = vectors["valid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (hex(v["hex"].as_str().unwrap()), false))
        .collect();
    all.extend(
        vectors["invalid"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["lenient"] == "ok")
            .map(|v| (hex(v["hex"].as_str().unwrap()), true)),
    );
    all.extend((1..=3).map(|n| (capture(n), false)));
    all
}

/// The crate's own forms: the digests' hex, then the GUID, the UUID's hex and the PID.
fn expected(bytes: &[u8], lenient: bool) -> (Vec<AmtHelloDigestInfo>, String, String) {
    let policy = if lenient {
        Policy::Lenient
    } else {
        Policy::Strict
    };
    let view = HelloView::parse_with(bytes, policy).unwrap();
    let infos = view
        .cert_hashes()
        .map(|h| {
            let (code, len) = (h.algorithm().to_wire(), h.digest().as_bytes().len());
            AmtHelloDigestInfo {
                code,
                len: len as u8,
            }
        })
        .collect();
    let digests = view.cert_hashes().map(|h| h.digest().to_string()).collect();
    let mut rest = view.uuid().to_string();
    rest += &Digest::new(view.uuid().as_bytes()).to_string();
    if let Some(pid) = view.pid() {
        rest += &pid.to_string();
    }
    (infos, digests, rest)
}

#[test]
fn every_message_s_text_is_the_crate_s_forms_in_order() {
    for (bytes, lenient) in valid_messages() {
        let view = parse(&bytes, lenient);
        let (infos, digests, rest) = expected(&bytes, lenient);
        let (got_infos, text) = texts(&view, true);
        assert_eq!(got_infos, infos);
        assert_eq!(text, digests + &rest);
        assert_eq!(size(&view), 2 * view.len + AMT_HELLO_TEXTS_EXTRA);
        // Without the infos, the digests are left out.
        assert_eq!(texts(&view, false), (vec![], rest));
    }
}

#[test]
fn short_buffers_and_bad_pointers_are_refused_before_anything_is_written() {
    let bytes = capture(2);
    let view = parse(&bytes, false);
    let count = usize::from(view.hash_count);
    let size = size(&view);
    let mut infos = vec![AmtHelloDigestInfo { code: 9, len: 9 }; 256];
    let mut out = vec![0x55_u8; size];
    let mut len = 0;
    let call = |infos: *mut AmtHelloDigestInfo,
                n: usize,
                out: *mut u8,
                size: usize,
                len: *mut usize| unsafe {
        amt_hello_texts(&view, infos, n, out.cast(), size, len)
    };
    let (i, o) = (infos.as_mut_ptr(), out.as_mut_ptr());
    assert_eq!(
        call(i, count, o, size - 1, &mut len),
        AmtHelloStatus::BufferTooSmall
    );
    assert_eq!(len, size - 1, "the text's largest length");
    len = 0;
    assert_eq!(
        call(i, count - 1, o, size, &mut len),
        AmtHelloStatus::BufferTooSmall
    );
    assert_eq!(len, size - 1);
    assert_eq!(
        call(null_mut(), count, o, size, &mut len),
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        call(i, count, null_mut(), size, &mut len),
        AmtHelloStatus::NullPointer
    );
    assert!(
        infos.iter().all(|i| (i.code, i.len) == (9, 9)),
        "no info written"
    );
    assert!(out.iter().all(|&b| b == 0x55), "no text written");
    let status = unsafe { amt_hello_texts(null(), i, count, o.cast(), size, &mut len) };
    assert_eq!(status, AmtHelloStatus::NullPointer);
    // Room for more infos than hashes is fine, and a NULL `len` too.
    assert_eq!(call(i, 256, o, size, null_mut()), AmtHelloStatus::Ok);
    // A PSK Hello has no hashes: no infos needed.
    let psk = psk();
    let psk_view = parse(&psk, false);
    let status = unsafe { amt_hello_texts(&psk_view, null_mut(), 0, o.cast(), size, &mut len) };
    assert_eq!(status, AmtHelloStatus::Ok);
    assert!(out[..len].ends_with(b"ABCD-1234"));
}

#[test]
fn a_view_whose_bytes_changed_is_refused() {
    let mut bytes = capture(3);
    let view = parse(&bytes, false);
    // The last entry's length byte now points past the end.
    let at = bytes.len() - 33;
    assert_eq!(bytes[at], 32);
    bytes[at] = 33;
    let view = AmtHelloView {
        bytes: bytes.as_ptr(),
        ..view
    };
    let mut infos = vec![AmtHelloDigestInfo::default(); 255];
    let mut out = vec![0u8; size(&view)];
    let status = unsafe {
        amt_hello_texts(
            &view,
            infos.as_mut_ptr(),
            infos.len(),
            out.as_mut_ptr().cast(),
            out.len(),
            null_mut(),
        )
    };
    assert_eq!(status, AmtHelloStatus::InvalidView);
}

/// A PSK Hello: PID `ABCD-1234`.
fn psk() -> Vec<u8> {
    let mut bytes = vec![0, 0, 2, 0, 1, 0, 0, 0];
    bytes.extend((0..16).map(|i| 255 - i * 9));
    bytes.extend(b"ABCD1234");
    bytes
}

/// A strict PKI Hello with these (code, digest) entries.
fn pki(entries: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut bytes = vec![1, 0, 3, 0, 2, 0, 0, 0];
    bytes.extend((0..16).map(|i| i * 17));
    bytes.push(entries.len() as u8);
    for (code, digest) in entries {
        bytes.extend([*code, digest.len() as u8]);
        bytes.extend(digest);
    }
    bytes
}
