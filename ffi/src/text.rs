//! Text into caller buffers: GUID, PID, digest hex, algorithm names and error messages, all
//! written as NUL-terminated strings by the crate's own `Display`.
//!
//! The rule for every text function: `size` is the buffer's size in bytes, the NUL included.
//! On success the text and its NUL are written and `*len` (if `len` is not NULL) is the text's
//! length without the NUL. If the buffer is too short nothing is truncated: the buffer holds an
//! empty string (when `size` ≥ 1; its other bytes are unspecified), `*len` the length the text
//! needs (without the NUL), and the call returns `AMT_HELLO_STATUS_BUFFER_TOO_SMALL`. No byte
//! past `size` is ever written.

use core::ffi::c_char;
use core::fmt::{self, Write};

use amt_hello::{Digest, HashAlgorithm, Pid, Uuid};

use crate::raw;
use crate::status::{AmtHelloError, AmtHelloStatus};

/// The buffer size a GUID needs: 36 characters and the NUL.
pub const AMT_HELLO_UUID_TEXT_SIZE: usize = 37;
/// The buffer size any PID needs: 8 bytes escaped as `\xNN`, the dash and the NUL.
pub const AMT_HELLO_PID_TEXT_SIZE: usize = 34;
/// The buffer size any error message needs.
pub const AMT_HELLO_MESSAGE_SIZE: usize = 160;

/// Writes into a byte buffer, failing (and counting on) when it would overflow.
struct Out<'a> {
    buf: &'a mut [u8],
    len: usize,
    overflow: bool,
}

impl Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.saturating_add(s.len());
        // Keep one byte for the NUL.
        let fits = end < self.buf.len() && !self.overflow;
        match self.buf.get_mut(self.len..end) {
            Some(dst) if fits => dst.copy_from_slice(s.as_bytes()),
            _ => self.overflow = true,
        }
        self.len = end;
        Ok(())
    }
}

/// Writes `text` to the C buffer `out` of `size` bytes, by the module's rule: a plain copy, for
/// texts already in a stack buffer (formatting machinery costs more than a GUID in wasm).
///
/// # Safety
/// As for [`write_text`].
unsafe fn write_bytes(
    text: &[u8],
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    let buf = match unsafe { raw::bytes_mut(out.cast::<u8>(), size) } {
        Ok(buf) => buf,
        Err(status) => return status,
    };
    let status = match buf.get_mut(..=text.len()) {
        Some(room) => {
            // `room` is the text and one byte more: always splits.
            if let Some((nul, dst)) = room.split_last_mut() {
                dst.copy_from_slice(text);
                *nul = 0;
            }
            AmtHelloStatus::Ok
        }
        None => {
            if let Some(first) = buf.first_mut() {
                *first = 0;
            }
            AmtHelloStatus::BufferTooSmall
        }
    };
    // SAFETY: by the caller's promise.
    unsafe { raw::put_optional(len, text.len()) };
    status
}

/// Writes `text`'s `Display` to the C buffer `out` of `size` bytes, by the module's rule.
///
/// # Safety
/// `out` is NULL or valid for writing `size` bytes; `len` is NULL or valid for a `size_t`.
pub(crate) unsafe fn write_text(
    text: &dyn fmt::Display,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    let buf = match unsafe { raw::bytes_mut(out.cast::<u8>(), size) } {
        Ok(buf) => buf,
        Err(status) => return status,
    };
    let mut w = Out {
        buf,
        len: 0,
        overflow: false,
    };
    // Our `Display`s only fail when the writer does, and this writer never does.
    let _ = write!(w, "{text}");
    // The NUL needs a byte too, also after an empty text.
    let (status, end) = if w.overflow || w.len >= w.buf.len() {
        (AmtHelloStatus::BufferTooSmall, 0)
    } else {
        (AmtHelloStatus::Ok, w.len)
    };
    if let Some(nul) = w.buf.get_mut(end) {
        *nul = 0;
    }
    // SAFETY: by the caller's promise.
    unsafe { raw::put_optional(len, w.len) };
    status
}

/// Writes the GUID text of the 16 raw UUID bytes at `uuid` (as they are on the wire), e.g.
/// `33221100-5544-7766-8899-aabbccddeeff`.
///
/// # Safety
/// `uuid` is NULL or valid for reading 16 bytes; `out` is NULL or valid for writing `size`
/// bytes; `len` is NULL or valid for writing a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_uuid_text(
    uuid: *const u8,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise, 16 readable bytes.
    let raw = match unsafe { raw::bytes(uuid, 16) } {
        Ok(raw) => raw,
        Err(status) => return status,
    };
    let Ok(raw) = <[u8; 16]>::try_from(raw) else {
        return AmtHelloStatus::OutOfRange;
    };
    // SAFETY: forwarded.
    unsafe { write_bytes(&Uuid::from_bytes(raw).to_text(), out, size, len) }
}

/// Writes the text of the 8 PID bytes at `pid`: `ABCD-1234`, with any byte that is not
/// printable ASCII, a dash or a backslash escaped as `\xNN` (a leniently decoded PID).
///
/// # Safety
/// `pid` is NULL or valid for reading 8 bytes; `out`, `size` and `len` as for
/// `amt_hello_uuid_text`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_pid_text(
    pid: *const u8,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise, 8 readable bytes.
    let raw = match unsafe { raw::bytes(pid, 8) } {
        Ok(raw) => raw,
        Err(status) => return status,
    };
    let Ok(raw) = <[u8; 8]>::try_from(raw) else {
        return AmtHelloStatus::OutOfRange;
    };
    // SAFETY: forwarded.
    unsafe { write_text(&Pid::from_bytes_lenient(raw), out, size, len) }
}

/// Writes `digest_len` bytes at `digest` as lowercase hex (`size` ≥ 2 × `digest_len` + 1).
/// Any bytes will do: the Node module hex-encodes a whole message with one call.
///
/// # Safety
/// `digest` is NULL (only when `digest_len` is 0) or valid for reading `digest_len` bytes;
/// `out`, `size` and `len` as for `amt_hello_uuid_text`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_digest_hex(
    digest: *const u8,
    digest_len: usize,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    let bytes = match unsafe { raw::bytes(digest, digest_len) } {
        Ok(bytes) => bytes,
        Err(status) => return status,
    };
    // SAFETY: by the caller's promise.
    let buf = match unsafe { raw::bytes_mut(out.cast::<u8>(), size) } {
        Ok(buf) => buf,
        Err(status) => return status,
    };
    let text_len = digest_len.saturating_mul(2);
    // Hex straight into the buffer, keeping a byte for the NUL: no formatting machinery,
    // which costs more than the digits in WebAssembly.
    let status = match buf.get_mut(..text_len.saturating_add(1)) {
        Some(room) => {
            let text = Digest::new(bytes).hex_into(room).map_or(0, str::len);
            if let Some(nul) = room.get_mut(text) {
                *nul = 0;
            }
            AmtHelloStatus::Ok
        }
        None => {
            if let Some(first) = buf.first_mut() {
                *first = 0;
            }
            AmtHelloStatus::BufferTooSmall
        }
    };
    // SAFETY: by the caller's promise.
    unsafe { raw::put_optional(len, text_len) };
    status
}

/// Writes the name of the algorithm with wire code `code` and digest length `digest_len`:
/// `sha1`, `sha256`, `sha384`, `sha512`, or `unknown(CODE)` for a code the crate does not know.
/// A known code with a length it does not allow is `AMT_HELLO_STATUS_HASH_LENGTH_MISMATCH`.
///
/// # Safety
/// `out`, `size` and `len` as for `amt_hello_uuid_text`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_algorithm_name(
    code: u8,
    digest_len: u8,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    match HashAlgorithm::from_wire(code, digest_len) {
        // SAFETY: forwarded.
        Some(algorithm) => unsafe { write_text(&algorithm, out, size, len) },
        None => AmtHelloStatus::HashLengthMismatch,
    }
}

/// Writes the one-sentence message for `error`: for message errors the same text as the Rust
/// crate's `DecodeError` (and the decode example's stderr, after `error: `).
/// `AMT_HELLO_MESSAGE_SIZE` bytes always suffice.
///
/// # Safety
/// `error` is NULL or points to an `AmtHelloError`; `out`, `size` and `len` as for
/// `amt_hello_uuid_text`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_error_message(
    error: *const AmtHelloError,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    let error = match unsafe { raw::get(error) } {
        Ok(error) => *error,
        Err(status) => return status,
    };
    // SAFETY: forwarded.
    unsafe { write_text(&error, out, size, len) }
}

/// The snake-case name of a status, as a static NUL-terminated string: `truncated`,
/// `invalid_pid`, … (the error kinds of the shared test vectors); NULL for a value that is not
/// a status.
#[unsafe(no_mangle)]
pub extern "C" fn amt_hello_status_name(status: u32) -> *const c_char {
    AmtHelloStatus::name(status).map_or(core::ptr::null(), |name| name.as_ptr().cast())
}
