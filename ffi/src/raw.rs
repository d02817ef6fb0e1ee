//! Where C's pointers become Rust references: every other module calls these, so the checks
//! that make each exported function total (NULL, lengths a slice cannot have) are written once.
//!
//! The functions are `unsafe` because they trust what C promises: a non-NULL pointer is valid
//! for the length given, for as long as the call lasts. Each caller states that promise in its
//! `// SAFETY:` comment and in its `# Safety` docs.

use crate::status::{AmtHelloError, AmtHelloStatus};

/// `len` bytes at `ptr`. NULL is accepted only for an empty input.
///
/// # Safety
/// A non-NULL `ptr` must be valid for reads of `len` bytes that nothing writes during `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], AmtHelloStatus> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(AmtHelloStatus::NullPointer)
        };
    }
    if isize::try_from(len).is_err() {
        return Err(AmtHelloStatus::OutOfRange);
    }
    // SAFETY: `ptr` is non-NULL and, by the caller's promise, valid for `len` reads during
    // 'a; `len` fits an isize, as `from_raw_parts` requires; `u8` has no alignment.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// The `N` bytes at `ptr`, copied.
///
/// # Safety
/// A non-NULL `ptr` must be valid for reads of `N` bytes.
pub(crate) unsafe fn array<const N: usize>(ptr: *const u8) -> Result<[u8; N], AmtHelloStatus> {
    // SAFETY: by the caller's promise.
    let bytes = unsafe { bytes(ptr, N) }?;
    <[u8; N]>::try_from(bytes).map_err(|_| AmtHelloStatus::OutOfRange)
}

/// `len` writable bytes at `ptr`. NULL is accepted only for an empty buffer.
///
/// # Safety
/// A non-NULL `ptr` must be valid for writes of `len` bytes that nothing else reads or writes
/// during `'a`.
pub(crate) unsafe fn bytes_mut<'a>(
    ptr: *mut u8,
    len: usize,
) -> Result<&'a mut [u8], AmtHelloStatus> {
    // SAFETY: forwarded; a `u8` pointer is always aligned.
    unsafe { slice_mut(ptr, len) }
}

/// `len` writable `T`s at `ptr`. NULL is accepted only for an empty buffer; a pointer not
/// aligned for `T` is `OutOfRange`.
///
/// # Safety
/// A non-NULL `ptr` must be valid for writes of `len` `T`s that nothing else reads or writes
/// during `'a`; `T` must be a type any bit pattern is a value of (the old values are read).
pub(crate) unsafe fn slice_mut<'a, T>(
    ptr: *mut T,
    len: usize,
) -> Result<&'a mut [T], AmtHelloStatus> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&mut [])
        } else {
            Err(AmtHelloStatus::NullPointer)
        };
    }
    let fits = len
        .checked_mul(size_of::<T>())
        .is_some_and(|size| isize::try_from(size).is_ok());
    if !fits || !ptr.is_aligned() {
        return Err(AmtHelloStatus::OutOfRange);
    }
    // SAFETY: `ptr` is non-NULL, aligned (checked) and, by the caller's promise, valid for
    // `len` writes of `T` that are ours alone during 'a; the size fits an isize, as
    // `from_raw_parts_mut` requires.
    Ok(unsafe { core::slice::from_raw_parts_mut(ptr, len) })
}

/// The `T` at `ptr`, to read.
///
/// # Safety
/// A non-NULL `ptr` must point to an initialized, aligned `T` that nothing writes during `'a`.
pub(crate) unsafe fn get<'a, T>(ptr: *const T) -> Result<&'a T, AmtHelloStatus> {
    // SAFETY: `as_ref` checks for NULL; the rest is the caller's promise.
    unsafe { ptr.as_ref() }.ok_or(AmtHelloStatus::NullPointer)
}

/// The `T` at `ptr`, to write (its old value is never read, so it may be uninitialized).
///
/// # Safety
/// A non-NULL `ptr` must be valid for writes of an aligned `T` that nothing else touches
/// during `'a`.
pub(crate) unsafe fn put<T>(ptr: *mut T, value: T) -> Result<(), AmtHelloStatus> {
    if ptr.is_null() {
        return Err(AmtHelloStatus::NullPointer);
    }
    // SAFETY: non-NULL, and by the caller's promise valid and aligned for a write of `T`;
    // `write` does not drop (or read) the old value, so uninitialized memory is fine.
    unsafe { ptr.write(value) };
    Ok(())
}

/// Writes `value` to `ptr` unless it is NULL: for optional outputs such as the error struct.
///
/// # Safety
/// As for [`put`].
pub(crate) unsafe fn put_optional<T>(ptr: *mut T, value: T) {
    // SAFETY: forwarded from the caller; NULL is the one failure, and it means "not wanted".
    let _ = unsafe { put(ptr, value) };
}

/// The status of a result whose error is an `AmtHelloError`, writing the error to `error`.
///
/// # Safety
/// As for [`put`], with `error`.
pub(crate) unsafe fn report(
    result: Result<(), AmtHelloError>,
    error: *mut AmtHelloError,
) -> AmtHelloStatus {
    match result {
        Ok(()) => AmtHelloStatus::Ok,
        Err(e) => {
            // SAFETY: forwarded from the caller.
            unsafe { put_optional(error, e) };
            e.status()
        }
    }
}
