//! All of a parsed Hello's text in one call: the hex of each digest the caller has no string
//! of yet (see `table`), the GUID, the UUID's hex and the PID. For bindings that turn text
//! into their own strings: the Node module does, and a C# one could.

use core::ffi::c_char;

use amt_hello::Pid;
use amt_hello::layout::{PID_OFFSET, PKI_MIN_LEN, UUID_OFFSET};

use crate::status::AmtHelloStatus;
use crate::table::{AmtHelloDigestTable, FRESH};
use crate::text::{Out, finish};
use crate::view::{AmtHelloView, entry};
use crate::{hex, raw};

/// The flag in `AmtHelloDigestSlot::slot` of a digest whose hex is the next in the text.
pub const AMT_HELLO_SLOT_NEW: u16 = 0x8000;
/// The slot number of a new digest that is not kept: seen for the first time, no table, or a
/// length under 8 or over 64.
pub const AMT_HELLO_SLOT_NONE: u16 = 0x7fff;
/// `amt_hello_texts` needs a buffer of 2 × `view->len` + this many bytes: every digest's hex,
/// the GUID (36), the UUID's hex (32), the longest PID text (33) and the NUL.
pub const AMT_HELLO_TEXTS_EXTRA: usize = 102;

/// Where the text of one digest is, from `amt_hello_texts`, with the entry's algorithm code and
/// digest length, so that a binding needs no walk of its own over the message.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AmtHelloDigestSlot {
    /// Where the text is:
    /// - `AMT_HELLO_SLOT_NEW | AMT_HELLO_SLOT_NONE`: next in the text; use it, keep nothing;
    /// - `AMT_HELLO_SLOT_NEW | n`: next in the text; keep a copy as slot `n`'s text, in place
    ///   of any before (a copy of its own: in JavaScript a slice would keep the whole text);
    /// - `n` alone: the text you kept for slot `n`.
    pub slot: u16,
    /// The algorithm's wire code.
    pub code: u8,
    /// The digest's length in bytes: its hex has twice as many characters.
    pub len: u8,
}

/// Writes the text of a parsed Hello to `out`, in this order: the hex of each new digest (in
/// the device's order), the GUID (36 characters), the 16 UUID bytes as hex (32), and for a
/// PSK Hello the PID's text (as `amt_hello_pid_text` writes it). `slots[i]` says where the
/// i-th digest's text is (see `AmtHelloDigestSlot`).
///
/// Take the slots in order: a later digest may take the slot of an earlier one. With `table`
/// NULL every digest is new. `size` must be at least 2 × `view->len` +
/// `AMT_HELLO_TEXTS_EXTRA` and `slots_len` at least `view->hash_count`; otherwise the call
/// returns `AMT_HELLO_STATUS_BUFFER_TOO_SMALL` with `*len` the text's largest length, before
/// it writes or looks up anything. On success `*len` is the text's length, NUL not counted.
///
/// # Safety
/// `view` is NULL or a view from `amt_hello_parse`/`amt_hello_frame` whose bytes are alive and
/// unchanged; `table` is NULL or an `AmtHelloDigestTable` no one else uses during the call;
/// `slots` is NULL or valid for writing `slots_len` `AmtHelloDigestSlot`s; `out` is NULL or valid for
/// writing `size` bytes; `len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_texts(
    view: *const AmtHelloView,
    table: *mut AmtHelloDigestTable,
    slots: *mut AmtHelloDigestSlot,
    slots_len: usize,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    let result = (|| {
        // SAFETY: by the caller's promise.
        let view = unsafe { raw::get(view) }?;
        // SAFETY: by the caller's promise.
        let message = unsafe { view.message() }?;
        // SAFETY: by the caller's promise.
        let buf = unsafe { raw::bytes_mut(out.cast::<u8>(), size) }?;
        // SAFETY: by the caller's promise.
        let slots = unsafe { raw::slice_mut(slots, slots_len) }?;
        // SAFETY: by the caller's promise, the table is ours during the call (NULL: none).
        let table = unsafe { table.as_mut() };
        let count = if view.version == 3 {
            usize::from(view.hash_count)
        } else {
            0
        };
        let most = view
            .len
            .saturating_mul(2)
            .saturating_add(AMT_HELLO_TEXTS_EXTRA - 1);
        let Some(slots) = slots.get_mut(..count).filter(|_| size > most) else {
            // SAFETY: by the caller's promise.
            unsafe { raw::put_optional(len, most) };
            return Err(AmtHelloStatus::BufferTooSmall);
        };
        let mut text = Out { buf, len: 0 };
        write_digests(message, table, slots, &mut text)?;
        let uuid = message
            .get(UUID_OFFSET..)
            .and_then(<[u8]>::first_chunk::<16>);
        let uuid = uuid.ok_or(AmtHelloStatus::InvalidView)?;
        text.put_with(|out| hex::uuid_texts(uuid, out));
        if view.version == 2 {
            let pid = message.get(PID_OFFSET..).and_then(<[u8]>::first_chunk::<8>);
            let pid = pid.ok_or(AmtHelloStatus::InvalidView)?;
            // Our `Display`s only fail when the writer does, and `Out` never does.
            let _ = core::fmt::write(&mut text, format_args!("{}", Pid::from_bytes_lenient(*pid)));
        }
        let Out { buf, len: text_len } = text;
        // SAFETY: by the caller's promise.
        Ok(unsafe { finish(buf, text_len, len) })
    })();
    result.unwrap_or_else(|status| status)
}

/// Looks up each digest of the message in `table` (if any), writes where its text is to
/// `slots` and a new one's hex to `text`. If the message's entries no longer fit it (its bytes
/// changed after parsing) the table is emptied, so that it never holds a digest whose text the
/// caller did not get.
fn write_digests(
    message: &[u8],
    mut table: Option<&mut AmtHelloDigestTable>,
    slots: &mut [AmtHelloDigestSlot],
    text: &mut Out<'_>,
) -> Result<(), AmtHelloStatus> {
    let list = message.get(PKI_MIN_LEN..).unwrap_or_default();
    if let Some(table) = table.as_deref() {
        if table.last.recall(list, slots) {
            return Ok(());
        }
    }
    let walked = walk(message, table.as_deref_mut(), slots, text);
    if walked.is_none() {
        if let Some(table) = table {
            table.forget();
        }
        return Err(AmtHelloStatus::InvalidView);
    }
    if let Some(table) = table {
        table.last.record(list, slots);
    }
    Ok(())
}

/// `write_digests`' lookups, walking the entries by their length bytes.
fn walk(
    message: &[u8],
    mut table: Option<&mut AmtHelloDigestTable>,
    slots: &mut [AmtHelloDigestSlot],
    text: &mut Out<'_>,
) -> Option<()> {
    let mut offset = PKI_MIN_LEN;
    for out in slots {
        let (code, digest, next) = entry(message, offset)?;
        *out = look_up(table.as_deref_mut(), code, digest, text);
        offset = next;
    }
    Some(())
}

/// One digest: where its text is, and its hex to `text` if it is new.
#[inline(always)]
fn look_up(
    table: Option<&mut AmtHelloDigestTable>,
    code: u8,
    digest: &[u8],
    text: &mut Out<'_>,
) -> AmtHelloDigestSlot {
    let slot = table.map_or(FRESH, |table| table.intern(digest));
    if slot & AMT_HELLO_SLOT_NEW != 0 {
        text.put_hex(digest);
    }
    let len = u8::try_from(digest.len()).unwrap_or(u8::MAX);
    AmtHelloDigestSlot { slot, code, len }
}

const _: () = assert!(size_of::<AmtHelloDigestSlot>() == 4);
const _: () = assert!(core::mem::offset_of!(AmtHelloDigestSlot, code) == 2);
