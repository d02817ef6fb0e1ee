//! Encoding a Hello described by a C struct into a caller buffer.
//!
//! The header comes from the crate's own encoder. The certificate hashes are copied straight
//! from the caller's table: building the crate's owned `Hello` would first copy every entry
//! into a 66-byte slot (17 KB for 255 hashes), which a firmware stack cannot spare.

use amt_hello::layout::{ENTRY_OVERHEAD, HASH_COUNT_OFFSET, VERSION_OFFSET};
use amt_hello::{AdminCredentials, HashAlgorithm, Hello, InterfaceVersion, Payload, Pid, Uuid};

use crate::raw::{self, report};
use crate::status::{AmtHelloError, AmtHelloStatus};
use crate::view::AmtHelloCertHash;

/// A Hello to encode.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AmtHelloMessage {
    /// 2 (PSK: `pid` is sent) or 3 (PKI: `hashes` are sent).
    pub version: u16,
    /// Whether the admin credentials are set (false: the BIOS is localized).
    pub admin_credentials_set: bool,
    /// The retry count. Any value encodes; above 14 only a lenient reader accepts it.
    pub retry_count: u32,
    /// The UUID's 16 raw bytes, in wire order.
    // Literal lengths, as cbindgen writes them: `write` passes these arrays to `Uuid::from_bytes`
    // and `Pid::from_bytes_lenient`, so the build checks them against `Uuid::LEN` and `Pid::LEN`.
    pub uuid: [u8; 16],
    /// The PID's 8 bytes (PSK only). Any bytes encode; only `A-Z0-9` pass a strict reader.
    pub pid: [u8; 8],
    /// The certificate hashes (PKI only); NULL when `hash_count` is 0.
    pub hashes: *const AmtHelloCertHash,
    /// How many hashes: at most 255.
    pub hash_count: usize,
}

/// Encodes `message` into the `size` bytes at `out` and writes its length to `*written` (if
/// not NULL). Each hash's length must be one its algorithm code allows
/// (`AMT_HELLO_STATUS_HASH_LENGTH_MISMATCH`, with the entry's offset, otherwise; unknown codes
/// take any length). If `out` is too short nothing is written and `error->needed` is the
/// length needed: pass `size` 0 to ask for it.
///
/// # Safety
/// `message` is NULL or points to an `AmtHelloMessage` whose `hashes` (if `hash_count` > 0)
/// point to `hash_count` entries, each with `len` readable bytes at `digest`; `out` is NULL or
/// valid for writing `size` bytes; `written` is NULL or valid for writing a `size_t`; `error`
/// is NULL or valid for writing an `AmtHelloError`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_encode(
    message: *const AmtHelloMessage,
    out: *mut u8,
    size: usize,
    written: *mut usize,
    error: *mut AmtHelloError,
) -> AmtHelloStatus {
    let result = (|| {
        // SAFETY: by the caller's promise.
        let message = unsafe { raw::get(message) }.map_err(AmtHelloError::of)?;
        // SAFETY: by the caller's promise.
        let (hashes, len) = unsafe { checked(message) }?;
        // SAFETY: by the caller's promise.
        let buf = unsafe { raw::slice_mut(out, size) }.map_err(AmtHelloError::of)?;
        let buf = buf.get_mut(..len).ok_or(AmtHelloError {
            found: size as u64,
            needed: len,
            needed_is_exact: true,
            ..AmtHelloError::of(AmtHelloStatus::BufferTooSmall)
        })?;
        // SAFETY: by the caller's promise, as `checked` found it.
        unsafe { write(message, hashes, buf) }
            .ok_or(AmtHelloError::of(AmtHelloStatus::InvalidView))?;
        // SAFETY: by the caller's promise.
        unsafe { raw::put_optional(written, len) };
        Ok(())
    })();
    // SAFETY: by the caller's promise.
    unsafe { report(result, error) }
}

/// The message's hash table (empty for PSK) and the encoding's length, after checking the hash
/// count, the version and every entry.
///
/// # Safety
/// As for `amt_hello_encode`'s `message`.
unsafe fn checked(
    message: &AmtHelloMessage,
) -> Result<(&[AmtHelloCertHash], usize), AmtHelloError> {
    let hashes: &[AmtHelloCertHash] = if message.version != InterfaceVersion::Pki.to_wire() {
        &[]
    } else if message.hash_count > usize::from(u8::MAX) {
        return Err(AmtHelloError {
            found: message.hash_count as u64,
            ..AmtHelloError::of(AmtHelloStatus::TooManyHashes)
        });
    } else {
        // SAFETY: by the caller's promise, `hash_count` readable entries (NULL only when 0).
        unsafe { raw::slice(message.hashes, message.hash_count) }.map_err(AmtHelloError::of)?
    };
    let version = InterfaceVersion::from_wire(message.version).ok_or(AmtHelloError {
        offset: VERSION_OFFSET,
        found: message.version.into(),
        ..AmtHelloError::of(AmtHelloStatus::UnsupportedVersion)
    })?;
    // No hashes for PSK; at most 25 + 255 × 257 bytes for PKI: no overflow.
    let len = hashes.iter().try_fold(version.min_len(), |offset, hash| {
        if hash.digest.is_null() && hash.len > 0 {
            return Err(AmtHelloError::of(AmtHelloStatus::NullPointer));
        }
        if HashAlgorithm::from_wire(hash.code, hash.len).is_none() {
            return Err(AmtHelloError {
                offset: offset.saturating_add(1),
                found: hash.len.into(),
                code: hash.code,
                ..AmtHelloError::of(AmtHelloStatus::HashLengthMismatch)
            });
        }
        Ok(offset.saturating_add(ENTRY_OVERHEAD.saturating_add(hash.len.into())))
    })?;
    Ok((hashes, len))
}

/// Writes the checked message into `buf`, exactly its encoded length; `None` only if the
/// checks above and this disagree.
///
/// # Safety
/// Each hash's `digest` is NULL (only when `len` is 0) or valid for reading `len` bytes.
unsafe fn write(
    message: &AmtHelloMessage,
    hashes: &[AmtHelloCertHash],
    buf: &mut [u8],
) -> Option<()> {
    let admin_credentials = AdminCredentials::from_wire(message.admin_credentials_set.into())?;
    let payload = if message.version == InterfaceVersion::Psk.to_wire() {
        Payload::Psk(Pid::from_bytes_lenient(message.pid))
    } else {
        Payload::Pki(Default::default())
    };
    let head: Hello<0> = Hello {
        admin_credentials,
        retry_count: message.retry_count,
        uuid: Uuid::from_bytes(message.uuid),
        payload,
    };
    let mut offset = head.encode_into(buf).ok()?;
    if hashes.is_empty() {
        return Some(());
    }
    *buf.get_mut(HASH_COUNT_OFFSET)? = u8::try_from(hashes.len()).ok()?;
    for hash in hashes {
        // SAFETY: by the caller's promise, NULL only when empty, else `len` readable bytes.
        let digest = unsafe { raw::slice(hash.digest, hash.len.into()) }.ok()?;
        let end = offset
            .checked_add(ENTRY_OVERHEAD)?
            .checked_add(digest.len())?;
        let (head, rest) = buf
            .get_mut(offset..end)?
            .split_first_chunk_mut::<ENTRY_OVERHEAD>()?;
        *head = [hash.code, hash.len];
        rest.copy_from_slice(digest);
        offset = end;
    }
    Some(())
}
