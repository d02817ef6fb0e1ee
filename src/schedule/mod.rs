//! The device's retry schedule as a pure iterator, and the SCA-side arithmetic that goes with it.
//!
//! In Setup Mode the device sends a Hello at once, then again on a fixed cadence, until it is
//! configured or its network window closes (see the [protocol page](crate::protocol#the-retry-schedule)). Nothing here reads a clock: firmware
//! drives [`RetrySchedule::attempts`] with its own timer, and an SCA asks the schedule about
//! elapsed times it measured itself.
//!
//! See [`RetrySchedule`] for the model and for restarts.

mod attempts;
mod cadence;
mod error;
mod plan;

use core::time::Duration;

pub use attempts::{Attempt, Attempts};
pub use cadence::{Cadence, Phase};
pub use error::ScheduleError;

use crate::policy::MAX_RETRY_COUNT;
use plan::Plan;

/// A device's retry schedule: a [`Cadence`] inside a network window of 0 to 255 hours.
///
/// # The model (a *model* choice: Intel's own table is not public; see the [protocol page](crate::protocol#the-retry-schedule))
///
/// - Attempt 0 is sent at t = 0, when the window opens.
/// - Each bounded phase sends every `interval` while t ≤ its `until`; the next phase continues
///   from the last attempt of the one before. The default is every minute until 5 min, every
///   5 minutes until 60 min, then every hour.
/// - An attempt is sent only while t < window (the window is half-open). The first-time window
///   is 24 h (39 attempts, the last at 23 h), a re-opened one 6 h (21 attempts, the last at 5 h).
/// - Attempt *n* carries the retry count `min(n, 14)`.
///
/// # Restarts
///
/// A firmware reset, or an agent re-opening the window, restarts the algorithm: that is a fresh
/// iterator, possibly over another window. Nothing carries over.
///
/// ```
/// use amt_hello::RetrySchedule;
/// use core::time::Duration;
///
/// let first = RetrySchedule::first_window();
/// assert_eq!(first.attempts().len(), 39);
/// // Power was cut at 2 h 30 min; later an agent re-opens the window: a new 6-hour schedule.
/// let before_reset = first.attempts().take_while(|a| a.at < Duration::from_secs(150 * 60));
/// assert_eq!(before_reset.count(), 6 + 11 + 1);
/// let reopened = RetrySchedule::reopened_window();
/// assert_eq!(reopened.attempts().next().unwrap().retry_count, 0); // counts start again
/// assert_eq!(reopened.attempts().len(), 21);
/// ```
///
/// # Example
///
/// ```
/// use amt_hello::RetrySchedule;
/// use core::time::Duration;
/// let minutes = |a: amt_hello::Attempt| a.at.as_secs() / 60;
/// let times: Vec<u64> = RetrySchedule::reopened_window().attempts().map(minutes).collect();
/// assert_eq!(times, [0, 1, 2, 3, 4, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 120, 180, 240, 300]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RetrySchedule {
    cadence: Cadence,
    window: Duration,
}

impl RetrySchedule {
    /// The window the first time a device enters Setup Mode: 24 hours.
    pub const FIRST_WINDOW: Duration = Duration::from_secs(24 * 3600);
    /// The window when it is re-opened later: 6 hours.
    pub const REOPENED_WINDOW: Duration = Duration::from_secs(6 * 3600);
    /// The longest window a device allows: 255 hours.
    pub const MAX_WINDOW: Duration = Duration::from_secs(255 * 3600);

    /// The default cadence over the first-time 24-hour window.
    pub const fn first_window() -> Self {
        RetrySchedule {
            cadence: Cadence::DEFAULT,
            window: RetrySchedule::FIRST_WINDOW,
        }
    }

    /// The default cadence over a re-opened 6-hour window.
    pub const fn reopened_window() -> Self {
        RetrySchedule {
            cadence: Cadence::DEFAULT,
            window: RetrySchedule::REOPENED_WINDOW,
        }
    }

    /// `cadence` over a window of `window` (zero, which sends nothing, up to 255 hours).
    pub const fn new(cadence: Cadence, window: Duration) -> Result<Self, ScheduleError> {
        if window.as_nanos() > RetrySchedule::MAX_WINDOW.as_nanos() {
            return Err(ScheduleError::WindowTooLong {
                window,
                max: RetrySchedule::MAX_WINDOW,
            });
        }
        Ok(RetrySchedule { cadence, window })
    }

    /// The cadence.
    pub const fn cadence(&self) -> &Cadence {
        &self.cadence
    }

    /// How long the window stays open, which is also when it closes, counted from its opening.
    pub const fn window(&self) -> Duration {
        self.window
    }

    /// How much of the window is left `elapsed` after it opened (zero once it has closed).
    pub const fn remaining(&self, elapsed: Duration) -> Duration {
        self.window.saturating_sub(elapsed)
    }

    /// Every attempt, in order. Finite, fused and exact-size.
    pub fn attempts(&self) -> Attempts {
        Attempts {
            plan: self.plan(),
            next: 0,
        }
    }

    /// How many attempts the device makes before the window closes.
    pub fn attempt_count(&self) -> u32 {
        self.plan().total
    }

    /// Attempt number `n` (0-based), if the schedule makes it.
    pub fn attempt(&self, n: u32) -> Option<Attempt> {
        Attempt::of(&self.plan(), n)
    }

    /// The latest attempt sent at or before `elapsed`: the one in progress while the window is
    /// open (and the last one after it has closed). `None` only for a zero-length window.
    pub fn attempt_at(&self, elapsed: Duration) -> Option<Attempt> {
        let plan = self.plan();
        Attempt::of(&plan, plan.latest(elapsed))
    }

    /// The first attempt after `elapsed`, if the window is still open then.
    pub fn next_after(&self, elapsed: Duration) -> Option<Attempt> {
        let plan = self.plan();
        Attempt::of(&plan, plan.latest(elapsed).checked_add(1)?)
    }

    /// The earliest time after the window opened at which the device can have sent a Hello with
    /// this retry count. For 0–13 that is the time of attempt `retry_count`; 14 (and above, seen
    /// only leniently) is sent by every attempt from 14 on, so the answer is "at least" attempt
    /// 14's time. `None` if the schedule never sends that count.
    ///
    /// ```
    /// use amt_hello::RetrySchedule;
    /// use core::time::Duration;
    /// let schedule = RetrySchedule::first_window();
    /// assert_eq!(schedule.earliest_send_time(3), Some(Duration::from_secs(3 * 60)));
    /// assert_eq!(schedule.earliest_send_time(14), Some(Duration::from_secs(50 * 60)));
    /// ```
    pub fn earliest_send_time(&self, retry_count: u32) -> Option<Duration> {
        self.attempt(retry_count.min(MAX_RETRY_COUNT)).map(|a| a.at)
    }

    /// The schedule worked out into segments, once per question.
    fn plan(&self) -> Plan {
        Plan::of(&self.cadence, self.window)
    }
}

impl Default for RetrySchedule {
    /// [`RetrySchedule::first_window`].
    fn default() -> Self {
        RetrySchedule::first_window()
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::cadence::{HOUR, MINUTE};
    use super::*;

    fn minutes(schedule: &RetrySchedule) -> heapless::Vec<u64, 64> {
        schedule.attempts().map(|a| a.at.as_secs() / 60).collect()
    }

    #[test]
    fn first_window_matches_the_spec() {
        // The arithmetic is checked against a reference model in tests/schedule_properties.rs;
        // this pins the published cadence's times.
        let s = RetrySchedule::first_window();
        let expect = (0..=5)
            .chain((10..=60).step_by(5))
            .chain((2..=23).map(|h| h * 60));
        assert!(minutes(&s).into_iter().eq(expect));
        let last = s.attempts().last().unwrap();
        assert_eq!((last.number, last.at, last.is_last), (38, 23 * HOUR, true));
        assert_eq!(s.earliest_send_time(6), Some(10 * MINUTE));
    }

    #[test]
    fn zero_window_sends_nothing() {
        let s = RetrySchedule::new(Cadence::DEFAULT, Duration::ZERO).unwrap();
        assert_eq!(s.attempts().next(), None);
        assert_eq!(
            (
                s.attempt_count(),
                s.attempt_at(HOUR),
                s.earliest_send_time(0)
            ),
            (0, None, None)
        );
        // A window of one second still sends attempt 0.
        let s = RetrySchedule::new(Cadence::DEFAULT, Duration::from_secs(1)).unwrap();
        assert_eq!(s.attempt_count(), 1);
        assert!(s.attempt(0).unwrap().is_last);
    }

    #[test]
    fn a_phase_that_fills_the_window_exactly_lets_the_next_phase_run() {
        // Every 2 min until 4 min (attempts at 2 and 4), then every 30 s, in a 5-minute window:
        // the window allows exactly the first phase's two attempts, so the schedule goes on.
        let cadence = Cadence::new(
            &[
                Phase::new(2 * MINUTE, 4 * MINUTE),
                Phase::new(Duration::from_secs(30), 10 * MINUTE),
            ],
            HOUR,
        )
        .unwrap();
        let s = RetrySchedule::new(cadence, 5 * MINUTE).unwrap();
        let at: heapless::Vec<u64, 8> = s.attempts().map(|a| a.at.as_secs()).collect();
        assert_eq!(at, [0, 120, 240, 270]);
        assert_eq!(s.attempt_count(), 4);
        // A window one attempt shorter ends the schedule inside the first phase.
        let s = RetrySchedule::new(cadence, 4 * MINUTE).unwrap();
        assert_eq!(s.attempts().map(|a| a.at.as_secs()).last(), Some(120));
    }

    #[test]
    fn errors_say_what_was_refused() {
        use std::string::ToString;
        let cases = [
            (
                ScheduleError::TooManyPhases { found: 7, max: 6 },
                "7 bounded phases given, at most 6 allowed",
            ),
            (
                ScheduleError::IntervalTooShort {
                    phase: 1,
                    interval: Duration::from_millis(999),
                    min: Duration::from_secs(1),
                },
                "phase 1: interval 999ms is shorter than 1s",
            ),
            (
                ScheduleError::PhaseOutOfOrder {
                    phase: 2,
                    until: MINUTE,
                    previous: HOUR,
                },
                "phase 2: ends at 60s, not after the previous end 3600s",
            ),
            (
                ScheduleError::WindowTooLong {
                    window: 256 * HOUR,
                    max: 255 * HOUR,
                },
                "window 921600s is longer than the maximum 918000s",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }
}
