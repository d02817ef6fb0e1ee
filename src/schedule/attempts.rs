//! The device side: every attempt in order, read off the plan.

use core::iter::FusedIterator;
use core::time::Duration;

use super::attempt::Attempt;
use super::plan::Plan;

/// The attempts of a [`RetrySchedule`](super::RetrySchedule), in order. Owns its worked-out plan.
#[derive(Debug, Clone)]
pub struct Attempts {
    plan: Plan,
    /// Index of the segment holding the next attempt (after attempt 0).
    segment: usize,
    next: u32,
    /// Time of the previous attempt.
    at: Duration,
}

impl Attempts {
    pub(super) fn new(plan: Plan) -> Self {
        Attempts {
            plan,
            segment: 0,
            next: 0,
            at: Duration::ZERO,
        }
    }
}

impl Iterator for Attempts {
    type Item = Attempt;

    fn next(&mut self) -> Option<Attempt> {
        let n = self.next;
        if n >= self.plan.total() {
            return None;
        }
        let (at, delay) = if n == 0 {
            (Duration::ZERO, Duration::ZERO)
        } else {
            let mut segment = self.plan.segments().get(self.segment)?;
            if n >= segment.end() {
                self.segment = self.segment.saturating_add(1);
                segment = self.plan.segments().get(self.segment)?;
            }
            (self.at.checked_add(segment.interval)?, segment.interval)
        };
        self.at = at;
        self.next = n.saturating_add(1);
        Some(Attempt::new(n, at, delay, self.plan.total()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left =
            usize::try_from(self.plan.total().saturating_sub(self.next)).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Attempts {}
impl FusedIterator for Attempts {}
