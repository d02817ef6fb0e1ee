//! The digest table behind `amt_hello_texts`: which digests a binding already has strings of.
//!
//! Why: an SCA sees the same digests again and again. The hashes in a Hello are the device's
//! trusted root certificates, the same default list in every device of a firmware generation,
//! and each device repeats its Hello on the retry schedule. In Node, making the digests'
//! strings is most of the cost of a parse; a binding that keeps one string per digest needs
//! the hex of new digests only.
//!
//! - A digest is kept from its second sighting on. The first only writes 4 of its bytes to a
//!   list of notes, so digests that never repeat make the binding keep nothing, and cannot push
//!   out the digests it keeps.
//! - 2048 digests of 8 to 64 bytes, in 256 sets of 8 chosen by the digest's first byte: room
//!   for the longest list (255 hashes) with little chance that more than 8 of its digests share
//!   a set. Digests are hashes, so that byte is uniform; crafted digests that collide only cost
//!   what a parse without the table costs, as a lookup reads at most 8 slots.
//! - The last list all of whose digests were found is kept too, with its slots: the next
//!   message with the same list (the device's retry, or the next device of its fleet) gets
//!   them with one comparison instead of a lookup per digest.

use crate::texts::{AMT_HELLO_SLOT_NEW, AMT_HELLO_SLOT_NONE, AmtHelloDigestSlot};

/// A new digest the table does not keep.
pub(crate) const FRESH: u16 = AMT_HELLO_SLOT_NEW | AMT_HELLO_SLOT_NONE;

/// How many digests an `AmtHelloDigestTable` holds.
pub const AMT_HELLO_DIGEST_TABLE_SLOTS: usize = 2048;
/// The longest digest an `AmtHelloDigestTable` keeps (SHA-512); longer ones are always new.
pub const AMT_HELLO_DIGEST_TABLE_WIDTH: usize = 64;

/// How many slots share a set (the slots a lookup may read).
pub const AMT_HELLO_DIGEST_TABLE_WAYS: usize = 8;
/// How many sets an `AmtHelloDigestTable` has.
pub const AMT_HELLO_DIGEST_TABLE_SETS: usize = 256;
/// How many sets of 4 first sightings the table remembers.
pub const AMT_HELLO_DIGEST_TABLE_NOTE_SETS: usize = 1024;
/// The longest list of hashes a table recalls, in bytes: 255 entries of 64-byte digests.
pub const AMT_HELLO_LAST_LIST_SIZE: usize = 16830;

const WAYS: usize = AMT_HELLO_DIGEST_TABLE_WAYS;
const SETS: usize = AMT_HELLO_DIGEST_TABLE_SETS;
const NOTES: usize = AMT_HELLO_DIGEST_TABLE_NOTE_SETS;
/// `AMT_HELLO_DIGEST_TABLE_WIDTH` as a digest length.
const WIDTH: u8 = 64;

/// What a lookup reads of the 8 slots of one set, together.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AmtHelloDigestSet {
    /// Each slot's digest length; 0 is an empty slot.
    pub lens: [u8; AMT_HELLO_DIGEST_TABLE_WAYS],
    /// Each slot's digest bytes 4 to 8, which a lookup compares before the whole digest (byte
    /// 0 chose the set).
    pub heads: [[u8; 4]; AMT_HELLO_DIGEST_TABLE_WAYS],
    /// The slot a new digest takes when the set is full: each in turn.
    pub next: u8,
}

/// Four digests seen once: their bytes 4 to 8. A digest found here is seen for the second time.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AmtHelloNoteSet {
    /// The digests' bytes 4 to 8.
    pub heads: [[u8; 4]; 4],
    /// The note a new one replaces: each in turn.
    pub next: u8,
}

/// The digests a binding has made strings of. Zero it before its first use (all zeros is the
/// empty table), keep it as long as the strings, and treat its fields as private.
#[repr(C)]
pub struct AmtHelloDigestTable {
    /// The slots' lengths and heads, 8 slots a set: slot `n` is `sets[n / 8]`'s `n % 8`.
    pub sets: [AmtHelloDigestSet; AMT_HELLO_DIGEST_TABLE_SETS],
    /// Each kept slot's digest (its first `len` bytes).
    pub digests: [[u8; AMT_HELLO_DIGEST_TABLE_WIDTH]; AMT_HELLO_DIGEST_TABLE_SLOTS],
    /// Digests seen once, in sets their bytes 1 and 2 choose.
    pub notes: [AmtHelloNoteSet; AMT_HELLO_DIGEST_TABLE_NOTE_SETS],
    /// The last list all of whose digests were found.
    pub last: AmtHelloLastList,
}

/// The last list of certificate hashes all of whose digests were in the table, and their
/// slots. The next message with the same list (the device's retry, or the next device of its
/// fleet) gets the same slots without a lookup. Keeping another digest forgets it.
#[repr(C)]
pub struct AmtHelloLastList {
    /// The list's length in bytes; 0 is none.
    pub len: u16,
    /// How many hashes it holds.
    pub count: u8,
    /// Its entries' slots.
    pub slots: [AmtHelloDigestSlot; 255],
    /// Its entries, as on the wire.
    pub entries: [u8; AMT_HELLO_LAST_LIST_SIZE],
}

impl AmtHelloDigestTable {
    /// Forgets every digest, and the last list: for a call that failed after it changed the
    /// table, so that the table never holds a digest whose text the caller did not get.
    pub(crate) fn forget(&mut self) {
        self.sets.iter_mut().for_each(|set| set.lens = [0; WAYS]);
        self.last.len = 0;
    }

    /// The slot that holds `digest`; or, if it is new, `AMT_HELLO_SLOT_NEW |` the slot that
    /// keeps it from now on (`AMT_HELLO_SLOT_NONE` for none).
    pub(crate) fn intern(&mut self, digest: &[u8]) -> u16 {
        let (Ok(len @ 8..=WIDTH), Some(&[b0, b1, b2, _, h0, h1, h2, h3])) =
            (u8::try_from(digest.len()), digest.first_chunk::<8>())
        else {
            return FRESH;
        };
        let head = [h0, h1, h2, h3];
        let index = usize::from(b0) % SETS;
        let Some(set) = self.sets.get_mut(index) else {
            return FRESH;
        };
        // The way with this length and head, or else the first empty one: ways fill in order
        // and are never emptied, so past an empty one is no match, and no two ways hold the
        // same length and head.
        let found = (set.lens.iter().zip(&set.heads))
            .position(|(&kept, kept_head)| kept == 0 || kept == len && *kept_head == head);
        if let Some(way) = found.filter(|&way| set.lens.get(way).is_some_and(|&kept| kept != 0)) {
            let slot = index.saturating_mul(WAYS).saturating_add(way);
            let same = self.digests.get(slot).is_some_and(|d| same(d, digest));
            // Another digest with the same head (a crafted one) does not take its place.
            return if same {
                u16::try_from(slot).unwrap_or(FRESH)
            } else {
                FRESH
            };
        }
        // Not kept. A first sighting is noted; the second is kept, in the first empty way or,
        // in a full set, in each way in turn.
        let notes = self
            .notes
            .get_mut(usize::from(u16::from_le_bytes([b1, b2])) % NOTES);
        let Some(notes) = notes else {
            return FRESH;
        };
        if !notes.heads.contains(&head) {
            if let Some(note) = notes.heads.get_mut(usize::from(notes.next) % 4) {
                *note = head;
            }
            notes.next = notes.next.wrapping_add(1);
            return FRESH;
        }
        let way = found.unwrap_or_else(|| {
            let way = usize::from(set.next) % WAYS;
            set.next = set.next.wrapping_add(1);
            way
        });
        let slot = index.saturating_mul(WAYS).saturating_add(way);
        let kept = (set.lens.get_mut(way), set.heads.get_mut(way));
        let kept_digest = self
            .digests
            .get_mut(slot)
            .and_then(|d| d.get_mut(..digest.len()));
        let (Some(kept), Some(kept_head), Some(kept_digest)) = (kept.0, kept.1, kept_digest) else {
            return FRESH;
        };
        (*kept, *kept_head) = (len, head);
        kept_digest.copy_from_slice(digest);
        self.last.len = 0;
        AMT_HELLO_SLOT_NEW | u16::try_from(slot).unwrap_or(AMT_HELLO_SLOT_NONE)
    }
}

impl AmtHelloLastList {
    /// Writes the slots of `list` (the entries of `slots.len()` hashes) if it is the last list.
    pub(crate) fn recall(&self, list: &[u8], slots: &mut [AmtHelloDigestSlot]) -> bool {
        let last = self.entries.get(..usize::from(self.len));
        let kept = self.slots.get(..usize::from(self.count));
        match (last, kept) {
            (Some(last), Some(kept)) if kept.len() == slots.len() && equal(last, list) => {
                slots.copy_from_slice(kept);
                true
            }
            _ => false,
        }
    }

    /// Remembers `list` and its `slots` if it has hashes and every one was found. (A PSK
    /// Hello, with none, has no list: its bytes after the count byte are its PID's.)
    pub(crate) fn record(&mut self, list: &[u8], slots: &[AmtHelloDigestSlot]) {
        let found = !slots.is_empty() && slots.iter().all(|s| s.slot & AMT_HELLO_SLOT_NEW == 0);
        let entries = self.entries.get_mut(..list.len());
        let kept = self.slots.get_mut(..slots.len());
        if let (true, Ok(len), Ok(count), Some(entries), Some(kept)) = (
            found,
            u16::try_from(list.len()),
            u8::try_from(slots.len()),
            entries,
            kept,
        ) {
            entries.copy_from_slice(list);
            kept.copy_from_slice(slots);
            (self.len, self.count) = (len, count);
        }
    }
}

/// Whether two byte strings are equal, 64 bytes a step (see `same`).
fn equal(a: &[u8], b: &[u8]) -> bool {
    let (blocks, other) = (a.chunks_exact(64), b.chunks_exact(64));
    let tail = same_words(Some(blocks.remainder()), other.remainder());
    let block = |(a, b): (&[u8], &[u8])| a.first_chunk::<64>().is_some_and(|a| same_n::<64>(a, b));
    a.len() == b.len() && tail && blocks.zip(other).all(block)
}

/// Whether `digest` is the front of `kept`, compared a word at a time: a byte loop, or the
/// `memcmp` it becomes, costs more in WebAssembly than the rest of a lookup. The lengths of
/// the known algorithms get loops of fixed length, which the compiler unrolls.
fn same(kept: &[u8; AMT_HELLO_DIGEST_TABLE_WIDTH], digest: &[u8]) -> bool {
    match digest.len() {
        20 => same_n::<20>(kept, digest),
        32 => same_n::<32>(kept, digest),
        48 => same_n::<48>(kept, digest),
        64 => same_n::<64>(kept, digest),
        _ => same_words(kept.get(..digest.len()), digest),
    }
}

fn same_n<const N: usize>(kept: &[u8; AMT_HELLO_DIGEST_TABLE_WIDTH], digest: &[u8]) -> bool {
    match (kept.first_chunk::<N>(), digest.first_chunk::<N>()) {
        (Some(kept), Some(digest)) => same_words(Some(kept), digest),
        _ => false,
    }
}

#[inline(always)]
fn same_words(kept: Option<&[u8]>, digest: &[u8]) -> bool {
    let Some(kept) = kept else {
        return false;
    };
    let (kept, digest) = (kept.chunks_exact(8), digest.chunks_exact(8));
    let word = |chunk: &[u8]| <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
    let tail = (kept.remainder().iter().zip(digest.remainder())).fold(0, |d, (a, b)| d | (a ^ b));
    let words = kept
        .zip(digest)
        .fold(0, |d, (a, b)| d | (word(a) ^ word(b)));
    words == 0 && tail == 0
}

// The ES module (js/amt_hello.mjs) lays out wasm32 linear memory with this table's size.
const _: () = assert!(
    size_of::<AmtHelloDigestTable>() == 256 * 41 + 2048 * 64 + 1024 * 17 + 4 + 1020 + 16830
);
const _: () = assert!(WIDTH as usize == AMT_HELLO_DIGEST_TABLE_WIDTH);
const _: () = assert!(SETS * WAYS == AMT_HELLO_DIGEST_TABLE_SLOTS);
const _: () = assert!(AMT_HELLO_LAST_LIST_SIZE == 255 * (2 + AMT_HELLO_DIGEST_TABLE_WIDTH));
