//! Where C's pointers become Rust references: every other module calls these, so the checks
//! that make each exported function total (NULL, lengths a slice cannot have) are written once.

use crate::status::{AmtHelloError, AmtHelloStatus};

/// Whether `len` `T`s at `ptr` can be a slice: `Ok(false)` for NULL with `len` 0, an empty one;
/// NULL otherwise is `NullPointer`, a size over `isize::MAX` or a misaligned `ptr` `OutOfRange`.
fn usable<T>(ptr: *const T, len: usize) -> Result<bool, AmtHelloStatus> {
    let fits = len
        .checked_mul(size_of::<T>())
        .is_some_and(|size| isize::try_from(size).is_ok());
    match (ptr.is_null(), len) {
        (true, 0) => Ok(false),
        (true, _) => Err(AmtHelloStatus::NullPointer),
        _ if !fits || !ptr.is_aligned() => Err(AmtHelloStatus::OutOfRange),
        _ => Ok(true),
    }
}

/// `len` `T`s at `ptr`, to read.
///
/// # Safety
/// A non-NULL `ptr` must be valid for reads of `len` initialized `T`s that nothing writes
/// during `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> Result<&'a [T], AmtHelloStatus> {
    if !usable(ptr, len)? {
        return Ok(&[]);
    }
    // SAFETY: `ptr` is non-NULL, aligned and, by the caller's promise, valid for `len` reads
    // during 'a; the size fits an isize, as `from_raw_parts` requires (all checked by `usable`).
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// `len` writable `T`s at `ptr`.
///
/// # Safety
/// A non-NULL `ptr` must be valid for writes of `len` `T`s that nothing else reads or writes
/// during `'a`; `T` must be a type any bit pattern is a value of (the old values are read).
pub(crate) unsafe fn slice_mut<'a, T>(
    ptr: *mut T,
    len: usize,
) -> Result<&'a mut [T], AmtHelloStatus> {
    if !usable(ptr, len)? {
        return Ok(&mut []);
    }
    // SAFETY: `ptr` is non-NULL, aligned and, by the caller's promise, valid for `len` writes
    // of `T` that are ours alone during 'a; the size fits an isize, as `from_raw_parts_mut`
    // requires (all checked by `usable`).
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

/// The status of a result whose error is a status.
pub(crate) fn status(result: Result<(), AmtHelloStatus>) -> AmtHelloStatus {
    result.err().unwrap_or(AmtHelloStatus::Ok)
}
