//! All of a parsed Hello's text in one call: each digest's hex, the GUID, the UUID's hex and the
//! PID. For bindings that turn text into their own strings: the Node module makes one string of
//! it per parse and hands out slices, and a C# one could do the same.

use core::ffi::c_char;

use amt_hello::layout::{PID_OFFSET, PKI_MIN_LEN, UUID_OFFSET};
use amt_hello::{InterfaceVersion, Pid, Uuid};

use crate::format::Out;
use crate::status::AmtHelloStatus;
use crate::view::{AmtHelloView, entry};
use crate::{hex, raw};

/// `amt_hello_texts` needs a buffer of 2 × `view->len` + this many bytes: every digest's hex,
/// the GUID (36), the UUID's hex (32), the longest PID text (33) and the NUL.
pub const AMT_HELLO_TEXTS_EXTRA: usize = 102;

const _: () = assert!(
    AMT_HELLO_TEXTS_EXTRA == Uuid::TEXT_LEN + 2 * Uuid::LEN + Pid::MAX_TEXT_LEN + 1,
    "the header's literal is the core's lengths"
);

/// One digest of `amt_hello_texts`' text: its entry's algorithm code and digest length, so that
/// a binding needs no walk of its own over the message.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AmtHelloDigestInfo {
    /// The algorithm's wire code.
    pub code: u8,
    /// The digest's length in bytes: its hex has twice as many characters.
    pub len: u8,
}

/// Writes the text of a parsed Hello to `out`, in this order: the hex of each digest (in the
/// device's order), the GUID (36 characters), the 16 UUID bytes as hex (32), and for a PSK
/// Hello the PID's text (as `amt_hello_pid_text` writes it). `infos[i]` gets the i-th digest's
/// code and length, which say where its hex ends. With `infos` NULL (and `infos_len` 0) the
/// text leaves the digests out: for a binding that takes their bytes instead.
///
/// `size` must be at least 2 × `view->len` + `AMT_HELLO_TEXTS_EXTRA` and, unless `infos` is
/// NULL, `infos_len` at least `view->hash_count`; otherwise the call returns
/// `AMT_HELLO_STATUS_BUFFER_TOO_SMALL` with `*len` the text's largest length (pass `size` 0 to
/// ask for it), before it writes anything. On success `*len` is the text's length, NUL not
/// counted.
///
/// # Safety
/// `view` as for `amt_hello_uuid`; `infos` is NULL or valid for writing `infos_len`
/// `AmtHelloDigestInfo`s; `out`, `size` and `len` as for `amt_hello_uuid_text`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_texts(
    view: *const AmtHelloView,
    infos: *mut AmtHelloDigestInfo,
    infos_len: usize,
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
        let buf = unsafe { raw::slice_mut(out.cast::<u8>(), size) }?;
        let with_digests = !infos.is_null() && view.version == InterfaceVersion::Pki.to_wire();
        // SAFETY: by the caller's promise.
        let infos = unsafe { raw::slice_mut(infos, infos_len) }?;
        let count = if with_digests { view.hash_count } else { 0 };
        // The largest text, NUL not counted.
        let most = view
            .len
            .saturating_mul(2)
            .saturating_add(AMT_HELLO_TEXTS_EXTRA - 1);
        let Some(infos) = infos.get_mut(..usize::from(count)).filter(|_| size > most) else {
            // SAFETY: by the caller's promise.
            unsafe { raw::put_optional(len, most) };
            return Err(AmtHelloStatus::BufferTooSmall);
        };
        let mut text = Out { buf, len: 0 };
        let mut offset = PKI_MIN_LEN;
        for info in infos {
            let (hash, digest, next) = entry(message, offset).ok_or(AmtHelloStatus::InvalidView)?;
            *info = AmtHelloDigestInfo {
                code: hash.code,
                len: hash.len,
            };
            text.put_hex(digest);
            offset = next;
        }
        let uuid = message.get(UUID_OFFSET..).and_then(<[u8]>::first_chunk);
        let uuid = uuid.ok_or(AmtHelloStatus::InvalidView)?;
        text.put_with(hex::UUID_TEXTS_LEN, |out| hex::uuid_texts(uuid, out));
        if view.version == InterfaceVersion::Psk.to_wire() {
            let pid = message.get(PID_OFFSET..).and_then(<[u8]>::first_chunk);
            let pid = pid.ok_or(AmtHelloStatus::InvalidView)?;
            text.display(&Pid::from_bytes_lenient(*pid));
        }
        // SAFETY: by the caller's promise.
        Ok(unsafe { text.finish(len) })
    })();
    result.unwrap_or_else(|status| status)
}

// The Node module reads the infos as two bytes each.
const _: () = assert!(size_of::<AmtHelloDigestInfo>() == 2);
