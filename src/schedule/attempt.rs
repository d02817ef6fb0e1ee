//! One attempt: when it is sent and the retry count it carries.

use core::time::Duration;

use crate::policy::MAX_RETRY_COUNT;

/// One Hello the device sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Attempt {
    /// 0-based attempt number.
    pub number: u32,
    /// Time since the window opened.
    pub at: Duration,
    /// Time since the previous attempt (zero for the first).
    pub delay: Duration,
    /// The retry-count field this attempt's Hello carries: `min(number, 14)`.
    pub retry_count: u32,
    /// Whether this is the last attempt before the window closes.
    pub is_last: bool,
}

impl Attempt {
    pub(super) fn new(number: u32, at: Duration, delay: Duration, total: u32) -> Self {
        Attempt {
            number,
            at,
            delay,
            retry_count: number.min(MAX_RETRY_COUNT),
            is_last: number.checked_add(1) == Some(total),
        }
    }
}
