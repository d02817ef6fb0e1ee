//! The device side: each attempt, and every attempt in order, read off the plan.

use core::iter::FusedIterator;
use core::time::Duration;

use crate::policy::MAX_RETRY_COUNT;

use super::plan::Plan;

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
    /// Attempt `n` of `plan`, if the schedule makes it.
    pub(super) fn of(plan: &Plan, n: u32) -> Option<Self> {
        let (at, delay) = plan.timing(n)?;
        Some(Attempt {
            number: n,
            at,
            delay,
            retry_count: n.min(MAX_RETRY_COUNT),
            is_last: n.checked_add(1) == Some(plan.total),
        })
    }
}

/// The attempts of a [`RetrySchedule`](super::RetrySchedule), in order. Owns its worked-out plan.
#[derive(Debug, Clone)]
pub struct Attempts {
    pub(super) plan: Plan,
    pub(super) next: u32,
}

impl Iterator for Attempts {
    type Item = Attempt;

    fn next(&mut self) -> Option<Attempt> {
        let attempt = Attempt::of(&self.plan, self.next)?;
        self.next = self.next.saturating_add(1);
        Some(attempt)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.plan.total.saturating_sub(self.next)).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Attempts {}
impl FusedIterator for Attempts {}
