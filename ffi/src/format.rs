//! One value's text into a caller buffer: GUID, PID, digest hex, algorithm name, error message
//! and status name, as NUL-terminated strings, each the crate's own text form (its `Display`, or for the GUID and
//! hex its stack-buffer forms, which say the same without formatting machinery).
//!
//! The rule for every text function: `size` is the buffer's size in bytes, the NUL included.
//! On success the text and its NUL are written and `*len` (if `len` is not NULL) is the text's
//! length without the NUL. If the buffer is too short nothing is truncated: the buffer holds an
//! empty string (when `size` ≥ 1; its other bytes are unspecified), `*len` the length the text
//! needs (without the NUL), and the call returns `AMT_HELLO_STATUS_BUFFER_TOO_SMALL`. No byte
//! past `size` is ever written.

use core::ffi::c_char;
use core::fmt::{self, Write};

use amt_hello::{HashAlgorithm, Pid, Uuid};

use crate::status::{AmtHelloError, AmtHelloStatus, NAMES};
use crate::{hex, raw};

/// The buffer size a GUID needs: 36 characters and the NUL.
pub const AMT_HELLO_UUID_TEXT_SIZE: usize = 37;
/// The buffer size any PID needs: 8 bytes escaped as `\xNN`, the dash and the NUL.
pub const AMT_HELLO_PID_TEXT_SIZE: usize = 34;
/// The buffer size any error message needs.
pub const AMT_HELLO_MESSAGE_SIZE: usize = 160;

// The header's sizes are literals (cbindgen writes them as they are): the core's lengths check them.
const _: () = assert!(AMT_HELLO_UUID_TEXT_SIZE == Uuid::TEXT_LEN + 1);
const _: () = assert!(AMT_HELLO_PID_TEXT_SIZE == Pid::MAX_TEXT_LEN + 1);

/// Writes into a byte buffer, counting on past its end: what does not fit is not written, and
/// `len` becomes the length the whole text needs.
pub(crate) struct Out<'a> {
    pub(crate) buf: &'a mut [u8],
    pub(crate) len: usize,
}

impl Out<'_> {
    /// Appends `bytes`, already text.
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len());
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
        }
        self.len = end;
    }

    /// Appends the `N` bytes `write` writes.
    pub(crate) fn put_with<const N: usize>(&mut self, write: impl FnOnce(&mut [u8; N])) {
        let end = self.len.saturating_add(N);
        let dst = self.buf.get_mut(self.len..end);
        if let Some(dst) = dst.and_then(|dst| <&mut [u8; N]>::try_from(dst).ok()) {
            write(dst);
        }
        self.len = end;
    }

    /// Appends `bytes` as lowercase hex.
    pub(crate) fn put_hex(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len().saturating_mul(2));
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            hex::encode(bytes, dst);
        }
        self.len = end;
    }
}

impl Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // Once a piece has not fitted, `len` is past the end and no later piece fits either.
        self.put(s.as_bytes());
        Ok(())
    }
}

/// Ends a text of `text_len` bytes written to the front of `buf` when it fits with its NUL:
/// writes the NUL (or, when it does not fit, makes `buf` an empty string), reports the length
/// to `len`, and returns the module's status.
///
/// # Safety
/// `len` is NULL or valid for writing a `size_t`.
pub(crate) unsafe fn finish(buf: &mut [u8], text_len: usize, len: *mut usize) -> AmtHelloStatus {
    let (status, nul) = if text_len < buf.len() {
        (AmtHelloStatus::Ok, text_len)
    } else {
        (AmtHelloStatus::BufferTooSmall, 0)
    };
    if let Some(nul) = buf.get_mut(nul) {
        *nul = 0;
    }
    // SAFETY: by the caller's promise.
    unsafe { raw::put_optional(len, text_len) };
    status
}

/// Writes what `fill` appends to an `Out` to the C buffer `out` of `size` bytes, by the
/// module's rule.
///
/// # Safety
/// `out` is NULL or valid for writing `size` bytes; `len` is NULL or valid for a `size_t`.
unsafe fn write(
    out: *mut c_char,
    size: usize,
    len: *mut usize,
    fill: impl FnOnce(&mut Out<'_>),
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    let buf = match unsafe { raw::bytes_mut(out.cast::<u8>(), size) } {
        Ok(buf) => buf,
        Err(status) => return status,
    };
    let mut text = Out { buf, len: 0 };
    fill(&mut text);
    let Out { buf, len: text_len } = text;
    // SAFETY: by the caller's promise.
    unsafe { finish(buf, text_len, len) }
}

/// Writes `text`'s `Display` to the C buffer `out` of `size` bytes, by the module's rule.
///
/// # Safety
/// As for [`write()`].
unsafe fn write_text(
    text: &dyn fmt::Display,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
) -> AmtHelloStatus {
    // SAFETY: forwarded.
    unsafe {
        write(out, size, len, |w| {
            // Our `Display`s only fail when the writer does, and `Out` never does.
            let _ = write!(w, "{text}");
        })
    }
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
    match unsafe { raw::array::<{ Uuid::LEN }>(uuid) } {
        // A plain copy of the stack-buffer form: formatting machinery costs more than a GUID
        // in wasm. SAFETY: forwarded.
        Ok(raw) => unsafe {
            write(out, size, len, |w| {
                let mut text = [0; Uuid::TEXT_LEN];
                w.put(
                    Uuid::from_bytes(raw)
                        .text_into(&mut text)
                        .unwrap_or_default()
                        .as_bytes(),
                );
            })
        },
        Err(status) => status,
    }
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
    match unsafe { raw::array::<{ Pid::LEN }>(pid) } {
        // SAFETY: forwarded.
        Ok(raw) => unsafe { write_text(&Pid::from_bytes_lenient(raw), out, size, len) },
        Err(status) => status,
    }
}

/// Writes `digest_len` bytes at `digest` as lowercase hex (`size` ≥ 2 × `digest_len` + 1).
/// Any bytes will do.
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
    // Hex straight into the buffer: no formatting machinery, which in WebAssembly costs more
    // than the digits. SAFETY: by the caller's promise.
    unsafe { write(out, size, len, |w| w.put_hex(bytes)) }
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
/// crate's `DecodeError` (and `amt-hello decode`'s stderr, after `error: `).
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
/// `invalid_pid`, … (for message errors the Rust crate's `DecodeError::kind`, the error kinds of
/// the shared test vectors); NULL for a value that is not a status.
#[unsafe(no_mangle)]
pub extern "C" fn amt_hello_status_name(status: u32) -> *const c_char {
    let name = usize::try_from(status)
        .ok()
        .and_then(|code| NAMES.get(code));
    name.map_or(core::ptr::null(), |name| name.as_ptr().cast())
}
