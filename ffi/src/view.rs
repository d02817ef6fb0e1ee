//! Parsing and framing into a C view that points into the caller's bytes, and the view's
//! accessors: UUID, PID and the certificate hashes.
//!
//! The view is validated once, by `amt_hello_parse` or `amt_hello_frame`; the accessors then
//! only read at offsets the parser proved to be inside the message. They still check every
//! read against `len`, so a view whose bytes were changed after parsing can give wrong answers
//! (`AMT_HELLO_STATUS_INVALID_VIEW` where it notices) but never reads outside them.

use amt_hello::layout::{ENTRY_OVERHEAD, HASH_COUNT_OFFSET, PID_OFFSET, PKI_MIN_LEN, UUID_OFFSET};
use amt_hello::{Frame, HelloView, InterfaceVersion, Pid, Policy, Uuid, frame_with};

use crate::raw::{self, report};
use crate::status::{AmtHelloError, AmtHelloStatus};

/// A parsed Hello: the header's fields, and where the message is. It borrows the bytes it was
/// parsed from: keep them alive and unchanged while you use it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AmtHelloView {
    /// The message's first byte (the caller's buffer).
    pub bytes: *const u8,
    /// The message's length: the whole input for `amt_hello_parse`, the Hello at the front of
    /// the prefix for `amt_hello_frame`.
    pub len: usize,
    /// The interface version: 2 (PSK, with a PID) or 3 (PKI, with certificate hashes).
    pub version: u16,
    /// Whether the admin-credentials word is 1 (set). 0 means the BIOS is localized: the SCA
    /// must set new credentials.
    pub admin_credentials_set: bool,
    /// The retry count (0 to 14, or any value under the lenient policy).
    pub retry_count: u32,
    /// How many certificate hashes follow (0 for PSK).
    pub hash_count: u8,
    /// The digest length of every hash when they all have the same one (the common case: the
    /// accessors then find the i-th hash without walking); 0 otherwise.
    pub uniform_digest_len: u8,
}

/// One certificate hash: the algorithm's wire code, the digest's length and its bytes. As an
/// output it points into the view's bytes; as an input to `amt_hello_encode`, into yours.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AmtHelloCertHash {
    /// The algorithm code: 1 SHA-1, 2 SHA-256, 3 SHA-384 (48 bytes) or SHA-512 (64 bytes).
    pub code: u8,
    /// The digest's length in bytes.
    pub len: u8,
    /// The digest.
    pub digest: *const u8,
}

/// Walks a view's certificate hashes: fill it with `amt_hello_hashes`, then call
/// `amt_hello_hashes_next` until it returns false.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AmtHelloHashIter {
    /// The message.
    pub bytes: *const u8,
    /// The message's length.
    pub len: usize,
    /// The offset of the next entry.
    pub offset: usize,
    /// How many entries are left.
    pub remaining: usize,
}

impl AmtHelloView {
    /// The C form of a validated view.
    fn of(view: &HelloView<'_>) -> Self {
        let hash_count = u8::try_from(view.cert_hashes().len()).unwrap_or(u8::MAX);
        AmtHelloView {
            bytes: view.as_bytes().as_ptr(),
            len: view.encoded_len(),
            version: view.version().to_wire(),
            admin_credentials_set: view.admin_credentials().is_set(),
            retry_count: view.retry_count(),
            hash_count,
            uniform_digest_len: view.uniform_digest_len().unwrap_or(0),
        }
    }

    /// The message's bytes.
    ///
    /// # Safety
    /// `self` came from `amt_hello_parse`/`amt_hello_frame`, and its bytes are alive and
    /// unchanged (as the C caller promises).
    pub(crate) unsafe fn message<'a>(&self) -> Result<&'a [u8], AmtHelloStatus> {
        // SAFETY: by the caller's promise: the parser saw `len` bytes at `bytes`.
        unsafe { raw::slice(self.bytes, self.len) }
    }
}

/// Parses the `len` bytes at `bytes` as one whole Hello into `view`. `lenient` accepts what the
/// lenient policy does (retry counts above 14, odd PID bytes, unknown hash algorithms).
/// Returns `AMT_HELLO_STATUS_OK`, or an error code with the details in `*error` (if not NULL);
/// `*view` is written only on success.
///
/// # Safety
/// `bytes` is NULL (only when `len` is 0) or valid for reading `len` bytes, which must stay
/// alive and unchanged while the view is used; `view` is NULL or valid for writing an
/// `AmtHelloView`; `error` is NULL or valid for writing an `AmtHelloError`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_parse(
    bytes: *const u8,
    len: usize,
    lenient: bool,
    view: *mut AmtHelloView,
    error: *mut AmtHelloError,
) -> AmtHelloStatus {
    // SAFETY: forwarded.
    unsafe { read_view(bytes, len, lenient, view, error, false) }
}

/// Is a complete Hello at the front of these `len` bytes received so far? `AMT_HELLO_STATUS_OK`:
/// yes, `*view` describes it (`view->len` bytes; anything after it is not part of it).
/// `AMT_HELLO_STATUS_INCOMPLETE`: valid so far, read more; `error->needed` says how much the
/// message needs in all. Any other code: the bytes can never become a valid Hello.
///
/// # Safety
/// As for `amt_hello_parse`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_frame(
    bytes: *const u8,
    len: usize,
    lenient: bool,
    view: *mut AmtHelloView,
    error: *mut AmtHelloError,
) -> AmtHelloStatus {
    // SAFETY: forwarded.
    unsafe { read_view(bytes, len, lenient, view, error, true) }
}

/// What parsing and framing share: the caller's bytes read as one whole Hello, or (`frame`) the
/// Hello at their front, its view to `*view`, its error to `*error`.
///
/// # Safety
/// As for `amt_hello_parse`.
unsafe fn read_view(
    bytes: *const u8,
    len: usize,
    lenient: bool,
    view: *mut AmtHelloView,
    error: *mut AmtHelloError,
    frame: bool,
) -> AmtHelloStatus {
    let policy = if lenient {
        Policy::Lenient
    } else {
        Policy::Strict
    };
    let result = (|| {
        // SAFETY: by the caller's promise.
        let input = unsafe { raw::slice(bytes, len) }.map_err(AmtHelloError::of)?;
        if view.is_null() {
            return Err(AmtHelloError::of(AmtHelloStatus::NullPointer));
        }
        // Read in place: moving the view out of the `Result` copies it with loads wider than
        // the parser's stores, which then wait for those stores to retire.
        let c_view = match frame {
            false => match &HelloView::parse_with(input, policy) {
                Ok(parsed) => AmtHelloView::of(parsed),
                Err(error) => return Err((*error).into()),
            },
            true => match &frame_with(input, policy) {
                Ok(Frame::Complete(parsed)) => AmtHelloView::of(parsed),
                Ok(Frame::Incomplete { offset, needed }) => {
                    return Err(AmtHelloError::incomplete(*offset, len, *needed));
                }
                Err(error) => return Err((*error).into()),
            },
        };
        // SAFETY: by the caller's promise; checked non-NULL above.
        unsafe { raw::put(view, c_view) }.map_err(AmtHelloError::of)
    })();
    // SAFETY: by the caller's promise.
    unsafe { report(result, error) }
}

/// Copies the 16 raw UUID bytes (wire order; `amt_hello_uuid_text` prints them) to `out`.
///
/// # Safety
/// `view` is NULL or a view from `amt_hello_parse`/`amt_hello_frame` whose bytes are alive and
/// unchanged; `out` is NULL or valid for writing 16 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_uuid(view: *const AmtHelloView, out: *mut u8) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    unsafe { copy_field(view, UUID_OFFSET, out, Uuid::LEN) }
}

/// Copies the 8 PID bytes of a PSK Hello to `out`; `AMT_HELLO_STATUS_OUT_OF_RANGE` for PKI.
///
/// # Safety
/// As for `amt_hello_uuid`, with 8 bytes at `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_pid(view: *const AmtHelloView, out: *mut u8) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    match unsafe { raw::get(view) } {
        Ok(v) if v.version != InterfaceVersion::Psk.to_wire() => AmtHelloStatus::OutOfRange,
        // SAFETY: by the caller's promise.
        _ => unsafe { copy_field(view, PID_OFFSET, out, Pid::LEN) },
    }
}

/// Copies `n` bytes of the view's message from `offset` to `out`.
///
/// # Safety
/// As for `amt_hello_uuid`, with `n` bytes at `out`.
unsafe fn copy_field(
    view: *const AmtHelloView,
    offset: usize,
    out: *mut u8,
    n: usize,
) -> AmtHelloStatus {
    raw::status((|| {
        // SAFETY: by the caller's promise.
        let message = unsafe { raw::get(view)?.message()? };
        // SAFETY: by the caller's promise.
        let out = unsafe { raw::slice_mut(out, n) }?;
        let field = message.get(offset..offset.saturating_add(n));
        out.copy_from_slice(field.ok_or(AmtHelloStatus::InvalidView)?);
        Ok(())
    })())
}

/// Starts a walk over the view's certificate hashes, in the device's order, into `iter`.
///
/// # Safety
/// `view` as for `amt_hello_uuid`; `iter` is NULL or valid for writing an `AmtHelloHashIter`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_hashes(
    view: *const AmtHelloView,
    iter: *mut AmtHelloHashIter,
) -> AmtHelloStatus {
    raw::status((|| {
        // SAFETY: by the caller's promise.
        let view = unsafe { raw::get(view) }?;
        let walk = AmtHelloHashIter {
            bytes: view.bytes,
            len: view.len,
            offset: PKI_MIN_LEN,
            remaining: match view.version == InterfaceVersion::Pki.to_wire() {
                true => view.hash_count.into(),
                false => 0,
            },
        };
        // SAFETY: by the caller's promise.
        unsafe { raw::put(iter, walk) }
    })())
}

/// Writes the next certificate hash to `*hash` and returns true; false at the end (or if
/// `iter`/`hash` is NULL, or the bytes were changed under the view).
///
/// # Safety
/// `iter` is NULL or was filled by `amt_hello_hashes` (and the view's bytes are alive and
/// unchanged); `hash` is NULL or valid for writing an `AmtHelloCertHash`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_hashes_next(
    iter: *mut AmtHelloHashIter,
    hash: *mut AmtHelloCertHash,
) -> bool {
    (|| {
        // SAFETY: by the caller's promise, `iter` is ours to read and write during the call.
        let walk = unsafe { iter.as_mut() }.filter(|walk| walk.remaining > 0 && !hash.is_null())?;
        // SAFETY: by the caller's promise, the walk's bytes are the view's.
        let message = unsafe { raw::slice(walk.bytes, walk.len) }.ok()?;
        let Some((entry, _, next)) = entry(message, walk.offset) else {
            walk.remaining = 0;
            return None;
        };
        walk.offset = next;
        walk.remaining = walk.remaining.saturating_sub(1);
        // SAFETY: by the caller's promise; checked non-NULL above.
        unsafe { raw::put(hash, entry) }.ok()
    })()
    .is_some()
}

/// Writes the certificate hash at `index` (from 0, in the device's order) to `*hash`;
/// `AMT_HELLO_STATUS_OUT_OF_RANGE` past the last. Constant time when the digests all have the
/// same length, else a walk from the first.
///
/// # Safety
/// `view` as for `amt_hello_uuid`; `hash` is NULL or valid for writing an `AmtHelloCertHash`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_cert_hash(
    view: *const AmtHelloView,
    index: usize,
    hash: *mut AmtHelloCertHash,
) -> AmtHelloStatus {
    raw::status((|| {
        // SAFETY: by the caller's promise.
        let view = unsafe { raw::get(view) }?;
        if hash.is_null() {
            return Err(AmtHelloStatus::NullPointer);
        }
        if view.version != InterfaceVersion::Pki.to_wire() || index >= usize::from(view.hash_count)
        {
            return Err(AmtHelloStatus::OutOfRange);
        }
        // SAFETY: by the caller's promise.
        let message = unsafe { view.message() }?;
        let offset = match view.uniform_digest_len {
            // Walk the length bytes from the first entry.
            0 => (0..index).try_fold(PKI_MIN_LEN, |offset, _| Some(entry(message, offset)?.2)),
            len => index
                .checked_mul(ENTRY_OVERHEAD.saturating_add(len.into()))
                .and_then(|skip| skip.checked_add(PKI_MIN_LEN)),
        };
        let (entry, _, _) = offset
            .and_then(|offset| entry(message, offset))
            .ok_or(AmtHelloStatus::InvalidView)?;
        // SAFETY: by the caller's promise; checked non-NULL above.
        unsafe { raw::put(hash, entry) }
    })())
}

/// The entry at `offset`: the hash (pointing into `message`), its digest and the offset after
/// it; `None` if it does not fit the message.
pub(crate) fn entry(message: &[u8], offset: usize) -> Option<(AmtHelloCertHash, &[u8], usize)> {
    let (&[code, len], rest) = message
        .get(offset..)?
        .split_first_chunk::<ENTRY_OVERHEAD>()?;
    let digest = rest.get(..len.into())?;
    let next = offset
        .checked_add(ENTRY_OVERHEAD)?
        .checked_add(len.into())?;
    let hash = AmtHelloCertHash {
        code,
        len,
        digest: digest.as_ptr(),
    };
    Some((hash, digest, next))
}

// The count byte sits just before the first entry; the accessors rely on it.
const _: () = assert!(HASH_COUNT_OFFSET + 1 == PKI_MIN_LEN);

// The Node module (js/amt_hello.cjs) reads these structs out of wasm32 linear memory at fixed
// offsets: a layout change must change it too, so the build fails first.
#[cfg(target_arch = "wasm32")]
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(offset_of!(AmtHelloView, len) == 4 && offset_of!(AmtHelloView, version) == 8);
    assert!(offset_of!(AmtHelloView, admin_credentials_set) == 10);
    assert!(offset_of!(AmtHelloView, retry_count) == 12);
    assert!(offset_of!(AmtHelloView, hash_count) == 16);
    assert!(size_of::<AmtHelloView>() == 20);
    assert!(offset_of!(AmtHelloCertHash, len) == 1 && offset_of!(AmtHelloCertHash, digest) == 4);
    assert!(size_of::<AmtHelloHashIter>() == 16);
    assert!(offset_of!(AmtHelloError, offset) == 4 && offset_of!(AmtHelloError, found) == 8);
    assert!(offset_of!(AmtHelloError, needed) == 16);
    assert!(offset_of!(AmtHelloError, needed_is_exact) == 20);
};
