//! `amt_hello_texts` and its digest table, called through the C ABI: the text's exact layout
//! for every shared message, and the caller's side of the slot protocol, played out over
//! thousands of messages built to collide in the table, must give every digest its own hex.
#![allow(unsafe_code, clippy::undocumented_unsafe_blocks)] // tests of an unsafe ABI

use core::ptr::{null, null_mut};

use amt_hello::{HelloView, Policy};
use amt_hello_ffi::*;
use common::{capture, hex, vectors};

mod common;

const NEW: u16 = AMT_HELLO_SLOT_NEW;
const FRESH: u16 = AMT_HELLO_SLOT_NEW | AMT_HELLO_SLOT_NONE;

/// An empty table (all zeros), on the heap: it is 150 KB.
fn table() -> Box<AmtHelloDigestTable> {
    let layout = std::alloc::Layout::new::<AmtHelloDigestTable>();
    let table = unsafe { std::alloc::alloc_zeroed(layout) };
    assert!(!table.is_null());
    unsafe { Box::from_raw(table.cast()) }
}

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

/// One call: the slots and the text.
fn texts(
    view: &AmtHelloView,
    table: *mut AmtHelloDigestTable,
) -> (Vec<AmtHelloDigestSlot>, String) {
    let mut slots = vec![AmtHelloDigestSlot::default(); 255];
    let mut out = vec![0xaa_u8; 2 * view.len + AMT_HELLO_TEXTS_EXTRA];
    let mut len = 0;
    let status = unsafe {
        amt_hello_texts(
            view,
            table,
            slots.as_mut_ptr(),
            slots.len(),
            out.as_mut_ptr().cast(),
            out.len(),
            &mut len,
        )
    };
    assert_eq!(status, AmtHelloStatus::Ok);
    assert_eq!(out[len], 0, "the NUL");
    slots.truncate(if view.version == 3 {
        view.hash_count.into()
    } else {
        0
    });
    (slots, String::from_utf8(out[..len].to_vec()).unwrap())
}

/// Every digest `kept` (new, and kept) is `found` in the slot it was kept in.
fn assert_found(kept: &[AmtHelloDigestSlot], found: &[AmtHelloDigestSlot]) {
    assert_eq!(kept.len(), found.len());
    for (k, f) in kept.iter().zip(found) {
        assert_eq!(f.slot, k.slot & !NEW);
    }
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

/// The text the crate's own forms give: each digest's hex, the GUID, the UUID's hex, the PID.
fn expected_text(bytes: &[u8], lenient: bool) -> String {
    let policy = if lenient {
        Policy::Lenient
    } else {
        Policy::Strict
    };
    let view = HelloView::parse_with(bytes, policy).unwrap();
    let mut text: String = view.cert_hashes().map(|h| h.digest().to_string()).collect();
    text += &view.uuid().to_string();
    text += &bytes[8..24]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    if let Some(pid) = view.pid() {
        text += &pid.to_string();
    }
    text
}

#[test]
fn without_a_table_every_digest_is_new_and_the_text_is_the_crates() {
    for (bytes, lenient) in valid_messages() {
        let view = parse(&bytes, lenient);
        let (slots, text) = texts(&view, null_mut());
        assert!(slots.iter().all(|s| s.slot == FRESH));
        assert_eq!(text, expected_text(&bytes, lenient));
        // Each slot names its entry's code and length.
        let mut at = 25;
        for s in &slots {
            assert_eq!((s.code, s.len), (bytes[at], bytes[at + 1]));
            at += 2 + usize::from(s.len);
        }
    }
}

#[test]
fn a_digest_is_kept_from_its_second_sighting_and_found_from_its_third() {
    let bytes = capture(1);
    let view = parse(&bytes, false);
    let mut table = table();
    let full = expected_text(&bytes, false);
    let (first, text) = texts(&view, &mut *table);
    assert!(
        first.iter().all(|s| s.slot == FRESH),
        "a first sighting keeps nothing"
    );
    assert_eq!(text, full);
    assert_eq!(table.last.len, 0);
    let (second, text) = texts(&view, &mut *table);
    assert!(second.iter().all(|s| s.slot & NEW != 0 && s.slot != FRESH));
    assert_eq!(text, full);
    assert_eq!(
        table.last.len, 0,
        "a call that changed the table is not recalled"
    );
    let (third, text) = texts(&view, &mut *table);
    for (kept, found) in second.iter().zip(&third) {
        assert_eq!(found.slot, kept.slot & !NEW);
        assert_eq!((found.code, found.len), (kept.code, kept.len));
    }
    assert_eq!(
        text,
        full[full.len() - 68..],
        "only the GUID and the UUID's hex are new"
    );
    assert_eq!(
        usize::from(table.last.len),
        bytes.len() - 25,
        "an all-found list is recalled"
    );
    assert_eq!(
        texts(&view, &mut *table),
        (third, text),
        "and recalled the same"
    );
}

#[test]
fn digests_shorter_than_8_or_longer_than_64_bytes_are_never_kept() {
    for len in [0u8, 1, 7, 65, 200, 255] {
        let bytes = pki(&[(0x7f, vec![0x5a; len.into()])]);
        let view = parse(&bytes, true);
        let mut table = table();
        for _ in 0..3 {
            let (slots, text) = texts(&view, &mut *table);
            assert_eq!(slots[0].slot, FRESH, "length {len}");
            assert_eq!(&text[..2 * usize::from(len)], "5a".repeat(len.into()));
        }
    }
}

#[test]
fn digests_of_every_length_from_8_to_64_bytes_are_found_and_told_apart() {
    let lengths: Vec<u8> = if cfg!(miri) {
        vec![8, 13, 20, 32, 48, 64]
    } else {
        (8..=64).collect()
    };
    for len in lengths {
        let kept: Vec<u8> = (0..len).map(|b| b.wrapping_mul(29) ^ 0x5c).collect();
        let bytes = pki(&[(0x7f, kept.clone())]);
        let view = parse(&bytes, true);
        let mut table = table();
        texts(&view, &mut *table);
        let slot = texts(&view, &mut *table).0[0].slot;
        assert_eq!(
            texts(&view, &mut *table).0[0].slot,
            slot & !NEW,
            "length {len}"
        );
        // The same head, and two differences that cancel out if they were XORed together: in
        // two words, in the last word and the tail, or in two bytes of the tail.
        let n = usize::from(len);
        let pairs = [(8, n - 1), (n - 1, n - 2), (n / 2, n / 2 + 8 + n % 8)];
        for (i, j) in pairs
            .into_iter()
            .filter(|&(i, j)| i >= 8 && j >= 8 && i != j && i < n && j < n)
        {
            let mut crafted = kept.clone();
            crafted[i] ^= 0x10;
            crafted[j] ^= 0x10;
            let other = pki(&[(0x7f, crafted)]);
            let found = texts(&parse(&other, true), &mut *table).0[0].slot;
            assert_eq!(found, FRESH, "length {len}, bytes {i} and {j}");
        }
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "12.8 KB, three times: minutes under Miri; the captures cover the paths"
)]
fn every_digest_of_the_longest_list_is_kept_and_found() {
    let vectors = vectors();
    let longest = vectors["valid"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "pki_255_sha384");
    let bytes = hex(longest.unwrap()["hex"].as_str().unwrap());
    let view = parse(&bytes, false);
    let mut table = table();
    texts(&view, &mut *table);
    let kept = texts(&view, &mut *table).0;
    assert!(kept.iter().all(|s| s.slot & NEW != 0 && s.slot != FRESH));
    assert_found(&kept, &texts(&view, &mut *table).0);
}

#[test]
fn four_first_sightings_that_share_notes_are_all_remembered() {
    // The same bytes 1 and 2 (the notes' set), other first bytes and heads.
    let digest = |i: u8| -> Vec<u8> {
        (0..32)
            .map(|b| {
                if b == 1 || b == 2 {
                    7
                } else {
                    b ^ i.wrapping_mul(71)
                }
            })
            .collect()
    };
    let messages: Vec<Vec<u8>> = (1..=4).map(|i| pki(&[(2, digest(i))])).collect();
    let mut table = table();
    for m in &messages {
        assert_eq!(texts(&parse(m, false), &mut *table).0[0].slot, FRESH);
    }
    for m in &messages {
        let slot = texts(&parse(m, false), &mut *table).0[0].slot;
        assert!(
            slot & NEW != 0 && slot != FRESH,
            "kept at its second sighting"
        );
    }
}

#[test]
fn digests_seen_once_push_out_nothing() {
    let bytes = capture(2);
    let view = parse(&bytes, false);
    let mut table = table();
    texts(&view, &mut *table);
    let kept = texts(&view, &mut *table).0;
    let mut x = 0x2545_f491_u32;
    for _ in 0..if cfg!(miri) { 20 } else { 2000 } {
        let entries: Vec<(u8, Vec<u8>)> = (0..8)
            .map(|_| {
                let digest = (0..32).map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                });
                (2, digest.collect())
            })
            .collect();
        let noise = pki(&entries);
        assert!(
            texts(&parse(&noise, false), &mut *table)
                .0
                .iter()
                .all(|s| s.slot == FRESH)
        );
    }
    assert_found(&kept, &texts(&view, &mut *table).0);
}

#[test]
fn the_last_list_is_recalled_while_the_table_is_unchanged() {
    let bytes = capture(1);
    let view = parse(&bytes, false);
    let mut table = table();
    texts(&view, &mut *table);
    texts(&view, &mut *table);
    let found = texts(&view, &mut *table).0;
    assert_eq!(usize::from(table.last.len), bytes.len() - 25);
    // Spoil the first entry's kept digest: a lookup would no longer find it, the recalled list
    // still does.
    let first = usize::from(found[0].slot);
    table.digests[first][20] ^= 1;
    assert_eq!(texts(&view, &mut *table).0, found);
    // A list that differs in one digest byte, early, late or in the last partial block, is not
    // the last one: the first entry is looked up, and is not found.
    for at in [2, 63, 64, 400, bytes.len() - 26] {
        let mut other = bytes.clone();
        other[25 + at] ^= 0x80;
        let slots = texts(&parse(&other, false), &mut *table).0;
        assert_ne!(slots[0].slot & NEW, 0, "list byte {at}");
    }
}

#[test]
fn a_psk_hello_is_never_a_last_list_to_recall() {
    // A recalled list of a PKI Hello, then a lenient PSK Hello whose bytes from 25 on are the
    // list of a lenient PKI Hello with one 5-byte digest: that digest is new, not the kept one.
    let list = capture(1);
    let view = parse(&list, false);
    let mut table = table();
    for _ in 0..3 {
        texts(&view, &mut *table);
    }
    let mut psk = psk();
    psk[25..32].copy_from_slice(&[0x7f, 5, 1, 2, 3, 4, 5]);
    texts(&parse(&psk, true), &mut *table);
    let pki = pki(&[(0x7f, vec![1, 2, 3, 4, 5])]);
    assert_eq!(&pki[25..], &psk[25..]);
    let (slots, text) = texts(&parse(&pki, true), &mut *table);
    assert_eq!(slots[0].slot, FRESH);
    assert_eq!(&text[..10], "0102030405");
}

#[test]
fn another_digest_with_a_kept_ones_head_does_not_take_its_place() {
    let kept: Vec<u8> = (0..32).collect();
    let mut crafted = kept.clone();
    crafted[31] ^= 1; // the same first byte (set), length and bytes 4..8 (head)
    let (a, b) = (pki(&[(2, kept)]), pki(&[(2, crafted.clone())]));
    let (a, b) = ((parse(&a, false), a), (parse(&b, false), b));
    let mut table = table();
    texts(&a.0, &mut *table);
    let slot = texts(&a.0, &mut *table).0[0].slot & !NEW;
    for _ in 0..3 {
        let (slots, text) = texts(&b.0, &mut *table);
        assert_eq!(slots[0].slot, FRESH);
        assert_eq!(&text[..64], amt_hello::Digest::new(&crafted).to_string());
        assert_eq!(texts(&a.0, &mut *table).0[0].slot, slot, "still found");
    }
}

#[test]
fn a_full_set_gives_up_its_ways_in_turn() {
    // Ten digests in one set (the same first byte, 0x42), each with its own head.
    let digest = |i: u8| -> Vec<u8> {
        (0..32)
            .map(|b| if b == 0 { 0x42 } else { b ^ i.wrapping_mul(37) })
            .collect()
    };
    let messages: Vec<Vec<u8>> = (0..10).map(|i| pki(&[(2, digest(i))])).collect();
    let mut table = table();
    let mut look = |i: usize| texts(&parse(&messages[i], false), &mut *table).0[0].slot;
    let way = |n: u16| NEW | (0x42 * 8 + n);
    for i in 0..8 {
        assert_eq!(look(i), FRESH, "digest {i}, first sighting");
        assert_eq!(look(i), way(i as u16), "digest {i}, second sighting");
    }
    // A first sighting pushes nothing out; the second takes the first way, then the next.
    assert_eq!(look(8), FRESH);
    assert!((0..8).all(|i| look(i) & NEW == 0));
    assert_eq!(look(8), way(0));
    assert!((1..8).all(|i| look(i) & NEW == 0));
    // Digest 0 was seen before: it is kept again at once, in the second way.
    assert_eq!(look(0), way(1));
    assert_eq!(look(9), FRESH);
    assert_eq!(look(9), way(2));
    assert_eq!(look(1), way(3));
}

#[test]
fn the_slot_protocol_gives_every_digest_its_own_hex() {
    // A pool that collides: 4 sets (first bytes), 24 heads each, 3 lengths, and now and then a
    // digest never seen before. Lists repeat (to be recalled) and change (to evict).
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let pool: Vec<(u8, Vec<u8>)> = (0..96u64)
        .map(|i| {
            let (code, len) = [(1, 20), (2, 32), (3, 48)][(i % 3) as usize];
            let mut d: Vec<u8> = (0..len).map(|b| (b as u64 * 31 + i * 97) as u8).collect();
            d[0] = (i % 4) as u8 * 64;
            (code, d)
        })
        .collect();
    let mut table = table();
    let mut kept: Vec<Option<String>> = vec![None; AMT_HELLO_DIGEST_TABLE_SLOTS];
    let rounds = if cfg!(miri) { 25 } else { 3000 };
    let mut last = pki(&[]);
    for round in 0..rounds {
        let bytes = if next() % 3 == 0 {
            last.clone()
        } else {
            let entries: Vec<(u8, Vec<u8>)> = (0..1 + next() % 30)
                .map(|_| match next() % 10 {
                    0 => (2, (0..32).map(|_| next() as u8).collect()),
                    _ => pool[(next() % 96) as usize].clone(),
                })
                .collect();
            pki(&entries)
        };
        let view = parse(&bytes, false);
        let (slots, text) = texts(&view, &mut *table);
        let mut at = 0;
        for (i, (s, expect)) in slots
            .iter()
            .zip(HelloView::parse(&bytes).unwrap().cert_hashes())
            .enumerate()
        {
            let expect = expect.digest().to_string();
            let got = if s.slot & NEW == 0 {
                kept[usize::from(s.slot)]
                    .clone()
                    .expect("a found slot was kept")
            } else {
                let got = text[at..at + 2 * usize::from(s.len)].to_string();
                at += 2 * usize::from(s.len);
                if s.slot != FRESH {
                    kept[usize::from(s.slot & !NEW)] = Some(got.clone());
                }
                got
            };
            assert_eq!(got, expect, "round {round}, entry {i}");
        }
        assert_eq!(
            text.len(),
            at + 68,
            "round {round}: the rest is the GUID and the UUID's hex"
        );
        last = bytes;
    }
}

#[test]
fn short_buffers_and_bad_pointers_are_refused_before_anything_changes() {
    let bytes = capture(2);
    let view = parse(&bytes, false);
    let count = usize::from(view.hash_count);
    let mut table = table();
    texts(&view, &mut *table); // noted once: the next call would keep them
    let before: Vec<u8> = table.sets.iter().flat_map(|s| s.lens).collect();
    let size = 2 * view.len + AMT_HELLO_TEXTS_EXTRA;
    let mut slots = vec![AmtHelloDigestSlot::default(); 256];
    let mut out = vec![0u8; size];
    let mut len = 0;
    let call = |table: *mut AmtHelloDigestTable,
                slots: *mut AmtHelloDigestSlot,
                n: usize,
                out: *mut u8,
                size: usize,
                len: *mut usize| unsafe {
        amt_hello_texts(&view, table, slots, n, out.cast(), size, len)
    };
    let (s, o) = (slots.as_mut_ptr(), out.as_mut_ptr());
    assert_eq!(
        call(&mut *table, s, count, o, size - 1, &mut len),
        AmtHelloStatus::BufferTooSmall
    );
    assert_eq!(len, size - 1, "the text's largest length");
    assert_eq!(
        call(&mut *table, s, count - 1, o, size, &mut len),
        AmtHelloStatus::BufferTooSmall
    );
    assert_eq!(
        call(&mut *table, null_mut(), count, o, size, &mut len),
        AmtHelloStatus::NullPointer
    );
    assert_eq!(
        call(&mut *table, s, count, null_mut(), size, &mut len),
        AmtHelloStatus::NullPointer
    );
    let misaligned = unsafe { s.cast::<u8>().add(1).cast::<AmtHelloDigestSlot>() };
    assert_eq!(
        call(&mut *table, misaligned, count, o, size, &mut len),
        AmtHelloStatus::OutOfRange
    );
    let after: Vec<u8> = table.sets.iter().flat_map(|s| s.lens).collect();
    assert_eq!(before, after, "nothing looked up");
    let status =
        unsafe { amt_hello_texts(null(), &mut *table, s, count, o.cast(), size, &mut len) };
    assert_eq!(status, AmtHelloStatus::NullPointer);
    // A PSK Hello has no hashes: no slots needed; a NULL `len` is fine.
    let psk = psk();
    let psk_view = parse(&psk, false);
    let status = unsafe {
        amt_hello_texts(
            &psk_view,
            &mut *table,
            null_mut(),
            0,
            o.cast(),
            size,
            null_mut(),
        )
    };
    assert_eq!(status, AmtHelloStatus::Ok);
    assert_eq!(
        call(&mut *table, s, count, o, size, &mut len),
        AmtHelloStatus::Ok
    );
}

#[test]
fn a_view_whose_bytes_changed_empties_the_table() {
    let mut bytes = capture(3);
    let view = parse(&bytes, false);
    let mut table = table();
    texts(&view, &mut *table);
    texts(&view, &mut *table);
    texts(&view, &mut *table); // kept, found and recalled
    assert_ne!(table.last.len, 0);
    // The last entry's length byte now points past the end.
    let at = bytes.len() - 33;
    assert_eq!(bytes[at], 32);
    bytes[at] = 33;
    let view = AmtHelloView {
        bytes: bytes.as_ptr(),
        ..view
    };
    let mut slots = vec![AmtHelloDigestSlot::default(); 255];
    let mut out = vec![0u8; 2 * view.len + AMT_HELLO_TEXTS_EXTRA];
    let status = unsafe {
        amt_hello_texts(
            &view,
            &mut *table,
            slots.as_mut_ptr(),
            255,
            out.as_mut_ptr().cast(),
            out.len(),
            null_mut(),
        )
    };
    assert_eq!(status, AmtHelloStatus::InvalidView);
    assert!(
        table
            .sets
            .iter()
            .all(|s| s.lens == [0; AMT_HELLO_DIGEST_TABLE_WAYS])
    );
    assert_eq!(table.last.len, 0);
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
