//! One value's text into a caller buffer: GUID, PID, digest hex, algorithm name, error message
//! and status name, as NUL-terminated strings, each the crate's own text form (its `Display`, or
//! for the GUID and hex its stack-buffer forms, which say the same without formatting machinery).
//! `amt_hello_uuid_text`'s docs state the rule every text function keeps.

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
    /// Appends the `n` bytes `write` writes when they fit, and counts them either way: once a
    /// piece has not fitted, `len` is past the end and no later piece fits either.
    pub(crate) fn put_with(&mut self, n: usize, write: impl FnOnce(&mut [u8])) {
        let end = self.len.saturating_add(n);
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            write(dst);
        }
        self.len = end;
    }

    /// Appends `bytes` as lowercase hex: no formatting machinery, which in WebAssembly costs
    /// more than the digits.
    pub(crate) fn put_hex(&mut self, bytes: &[u8]) {
        self.put_with(bytes.len().saturating_mul(2), |dst| hex::encode(bytes, dst));
    }

    /// Appends `value`'s `Display`.
    pub(crate) fn display(&mut self, value: &dyn fmt::Display) {
        // Our `Display`s only fail when the writer does, and `Out` never does.
        let _ = write!(self, "{value}");
    }

    /// Ends the text: writes its NUL when text and NUL fit (else makes the buffer an empty
    /// string), reports the text's length to `len`, and returns the module's status.
    ///
    /// # Safety
    /// `len` is NULL or valid for writing a `size_t`.
    pub(crate) unsafe fn finish(self, len: *mut usize) -> AmtHelloStatus {
        let (status, nul) = if self.len < self.buf.len() {
            (AmtHelloStatus::Ok, self.len)
        } else {
            (AmtHelloStatus::BufferTooSmall, 0)
        };
        if let Some(nul) = self.buf.get_mut(nul) {
            *nul = 0;
        }
        // SAFETY: by the caller's promise.
        unsafe { raw::put_optional(len, self.len) };
        status
    }
}

impl Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.put_with(s.len(), |dst| dst.copy_from_slice(s.as_bytes()));
        Ok(())
    }
}

/// Writes what `fill` appends to an `Out`, given the call's checked `input`, to the C buffer
/// `out` of `size` bytes, by the module's rule; an `input` error is the call's status.
///
/// # Safety
/// `out` is NULL or valid for writing `size` bytes; `len` is NULL or valid for a `size_t`.
unsafe fn write<T>(
    input: Result<T, AmtHelloStatus>,
    out: *mut c_char,
    size: usize,
    len: *mut usize,
    fill: impl FnOnce(&mut Out<'_>, T),
) -> AmtHelloStatus {
    let result = (|| {
        let input = input?;
        // SAFETY: by the caller's promise.
        let buf = unsafe { raw::slice_mut(out.cast::<u8>(), size) }?;
        let mut text = Out { buf, len: 0 };
        fill(&mut text, input);
        // SAFETY: by the caller's promise.
        Ok(unsafe { text.finish(len) })
    })();
    result.unwrap_or_else(|status| status)
}

/// Writes the GUID text of the 16 raw UUID bytes at `uuid` (as they are on the wire), e.g.
/// `33221100-5544-7766-8899-aabbccddeeff`.
///
/// The rule for every text function: `size` is the buffer's size in bytes, the NUL included.
/// On success the text and its NUL are written and `*len` (if `len` is not NULL) is the text's
/// length without the NUL. If the buffer is too short nothing is truncated: the buffer holds an
/// empty string (when `size` ≥ 1; its other bytes are unspecified), `*len` the length the text
/// needs (without the NUL), and the call returns `AMT_HELLO_STATUS_BUFFER_TOO_SMALL`. No byte
/// past `size` is ever written.
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
    let uuid = unsafe { raw::get(uuid.cast::<[u8; Uuid::LEN]>()) }.copied();
    // SAFETY: by the caller's promise.
    unsafe {
        write(uuid, out, size, len, |w, uuid| {
            w.put_with(Uuid::TEXT_LEN, |dst| {
                let _ = Uuid::from_bytes(uuid).text_into(dst);
            });
        })
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
    let pid = unsafe { raw::get(pid.cast::<[u8; Pid::LEN]>()) }.copied();
    let pid = pid.map(Pid::from_bytes_lenient);
    // SAFETY: by the caller's promise.
    unsafe { write(pid, out, size, len, |w, pid| w.display(&pid)) }
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
    let digest = unsafe { raw::slice(digest, digest_len) };
    // SAFETY: by the caller's promise.
    unsafe { write(digest, out, size, len, |w, digest| w.put_hex(digest)) }
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
    let algorithm =
        HashAlgorithm::from_wire(code, digest_len).ok_or(AmtHelloStatus::HashLengthMismatch);
    // SAFETY: by the caller's promise.
    unsafe { write(algorithm, out, size, len, |w, name| w.display(&name)) }
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
    let error = unsafe { raw::get(error) }.copied();
    // SAFETY: by the caller's promise.
    unsafe { write(error, out, size, len, |w, error| w.display(&error)) }
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
