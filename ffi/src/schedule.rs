//! The device's retry schedule as a C iterator: a window length and the next attempt's number,
//! so the state is two plain integers that C can copy, store or reset.

use core::time::Duration;

use amt_hello::{Cadence, RetrySchedule};

use crate::raw;
use crate::status::AmtHelloStatus;

/// Where a walk over the default schedule is; fill it with an `amt_hello_schedule_*` starter.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmtHelloSchedule {
    /// The network window in milliseconds (at most 255 hours).
    pub window_ms: u64,
    /// The number of the next attempt.
    pub next: u32,
}

/// One Hello the device sends.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmtHelloAttempt {
    /// 0-based attempt number.
    pub number: u32,
    /// Milliseconds since the window opened.
    pub at_ms: u64,
    /// Milliseconds since the previous attempt (0 for the first).
    pub delay_ms: u64,
    /// The retry count this attempt's Hello carries: min(number, 14).
    pub retry_count: u32,
    /// Whether this is the last attempt before the window closes.
    pub is_last: bool,
}

/// Whole milliseconds of `d`, saturating (the longest window is 255 hours).
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The default cadence over a window of `window_ms`; `None` beyond 255 hours.
fn default_cadence(window_ms: u64) -> Option<RetrySchedule> {
    RetrySchedule::new(Cadence::DEFAULT, Duration::from_millis(window_ms)).ok()
}

/// Starts the default cadence over a window of `window_ms` milliseconds (0 sends nothing):
/// every minute until 5 min, every 5 min until 60 min, then hourly. A window over 255 hours is
/// `AMT_HELLO_STATUS_OUT_OF_RANGE`.
///
/// # Safety
/// `schedule` is NULL or valid for writing an `AmtHelloSchedule`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_schedule_init(
    schedule: *mut AmtHelloSchedule,
    window_ms: u64,
) -> AmtHelloStatus {
    if default_cadence(window_ms).is_none() {
        return AmtHelloStatus::OutOfRange;
    }
    // SAFETY: by the caller's promise.
    raw::status(unsafe { raw::put(schedule, AmtHelloSchedule { window_ms, next: 0 }) })
}

/// Starts the schedule of a device's first Setup-Mode window: 24 hours, 39 attempts.
///
/// # Safety
/// As for `amt_hello_schedule_init`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_schedule_first_window(
    schedule: *mut AmtHelloSchedule,
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    unsafe { amt_hello_schedule_init(schedule, millis(RetrySchedule::first_window().window())) }
}

/// Starts the schedule of a re-opened window: 6 hours, 21 attempts.
///
/// # Safety
/// As for `amt_hello_schedule_init`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_schedule_reopened_window(
    schedule: *mut AmtHelloSchedule,
) -> AmtHelloStatus {
    // SAFETY: by the caller's promise.
    unsafe { amt_hello_schedule_init(schedule, millis(RetrySchedule::reopened_window().window())) }
}

/// How many attempts the whole schedule has (0 for NULL).
///
/// # Safety
/// `schedule` is NULL or points to an `AmtHelloSchedule`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_schedule_len(schedule: *const AmtHelloSchedule) -> u32 {
    // SAFETY: by the caller's promise.
    unsafe { raw::get(schedule) }
        .ok()
        .and_then(|s| default_cadence(s.window_ms))
        .map_or(0, |s| s.attempt_count())
}

/// Writes the next attempt to `*attempt` and returns true; false when the window has closed
/// (or a pointer is NULL).
///
/// # Safety
/// `schedule` is NULL or points to an `AmtHelloSchedule` the call may update; `attempt` is
/// NULL or valid for writing an `AmtHelloAttempt`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn amt_hello_schedule_next(
    schedule: *mut AmtHelloSchedule,
    attempt: *mut AmtHelloAttempt,
) -> bool {
    (|| {
        // SAFETY: by the caller's promise, ours to read and write during the call.
        let state = unsafe { schedule.as_mut() }?;
        let next = default_cadence(state.window_ms)?.attempt(state.next)?;
        let next = AmtHelloAttempt {
            number: next.number,
            at_ms: millis(next.at),
            delay_ms: millis(next.delay),
            retry_count: next.retry_count,
            is_last: next.is_last,
        };
        // SAFETY: by the caller's promise.
        unsafe { raw::put(attempt, next) }.ok()?;
        state.next = state.next.saturating_add(1);
        Some(())
    })()
    .is_some()
}
