//! The device's retry schedule as a pure iterator, and the SCA-side arithmetic that goes with it.
//!
//! In Setup Mode the device sends a Hello at once, then again on a fixed cadence, until it is
//! configured or its network window closes (spec §8). Nothing here reads a clock: firmware
//! drives [`RetrySchedule::attempts`] with its own timer, and an SCA asks the schedule about
//! elapsed times it measured itself.
//!
//! See [`RetrySchedule`] for the model and for restarts.

use core::fmt;
use core::iter::FusedIterator;
use core::time::Duration;

use crate::MAX_RETRY_COUNT;

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// One bounded phase of a cadence: send every `interval` while the time since the window opened
/// is at most `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Phase {
    /// Time between two attempts in this phase.
    pub interval: Duration,
    /// The phase applies to attempts at times up to and including this one.
    pub until: Duration,
}

impl Phase {
    /// Send every `interval` up to and including `until`.
    pub const fn new(interval: Duration, until: Duration) -> Self {
        Phase { interval, until }
    }
}

/// When a device re-sends its Hello: bounded phases in order, then an open-ended interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Cadence {
    phases: [Phase; Cadence::MAX_PHASES],
    len: usize,
    then_every: Duration,
}

impl Cadence {
    /// How many bounded phases a cadence holds (the open-ended one is extra).
    pub const MAX_PHASES: usize = 6;
    /// The shortest interval accepted. Whole seconds keep every count within `u32`.
    pub const MIN_INTERVAL: Duration = Duration::from_secs(1);

    /// The spec's cadence: every minute until 5 min, every 5 minutes until 60 min, then hourly.
    pub const DEFAULT: Cadence = Cadence {
        phases: {
            let mut phases = [Phase::new(Duration::ZERO, Duration::ZERO); Cadence::MAX_PHASES];
            phases[0] = Phase::new(MINUTE, Duration::from_secs(5 * 60));
            phases[1] = Phase::new(Duration::from_secs(5 * 60), HOUR);
            phases
        },
        len: 2,
        then_every: HOUR,
    };

    /// A cadence of `phases` (each `until` later than the one before), then every `then_every`.
    ///
    /// ```
    /// use amt_hello::{Cadence, Phase, ScheduleError};
    /// use core::time::Duration;
    /// let min = Duration::from_secs(60);
    /// let spec = Cadence::new(&[Phase::new(min, 5 * min), Phase::new(5 * min, 60 * min)], 60 * min);
    /// assert_eq!(spec, Ok(Cadence::DEFAULT));
    /// assert_eq!(
    ///     Cadence::new(&[Phase::new(min, 5 * min), Phase::new(min, 5 * min)], min),
    ///     Err(ScheduleError::PhaseOutOfOrder { phase: 1, until: 5 * min, previous: 5 * min })
    /// );
    /// ```
    pub const fn new(phases: &[Phase], then_every: Duration) -> Result<Self, ScheduleError> {
        if phases.len() > Cadence::MAX_PHASES {
            return Err(ScheduleError::TooManyPhases {
                found: phases.len(),
                max: Cadence::MAX_PHASES,
            });
        }
        let mut stored = [Phase::new(Duration::ZERO, Duration::ZERO); Cadence::MAX_PHASES];
        let mut slots: &mut [Phase] = &mut stored;
        let mut rest = phases;
        let mut index = 0;
        let mut previous = Duration::ZERO;
        while let ([phase, tail @ ..], Some((slot, more))) = (rest, slots.split_first_mut()) {
            if phase.interval.as_nanos() < Cadence::MIN_INTERVAL.as_nanos() {
                return Err(ScheduleError::IntervalTooShort {
                    phase: index,
                    interval: phase.interval,
                    min: Cadence::MIN_INTERVAL,
                });
            }
            if phase.until.as_nanos() <= previous.as_nanos() {
                return Err(ScheduleError::PhaseOutOfOrder {
                    phase: index,
                    until: phase.until,
                    previous,
                });
            }
            *slot = *phase;
            previous = phase.until;
            index = index.saturating_add(1);
            rest = tail;
            slots = more;
        }
        if then_every.as_nanos() < Cadence::MIN_INTERVAL.as_nanos() {
            return Err(ScheduleError::IntervalTooShort {
                phase: index,
                interval: then_every,
                min: Cadence::MIN_INTERVAL,
            });
        }
        Ok(Cadence {
            phases: stored,
            len: index,
            then_every,
        })
    }

    /// The bounded phases, in order.
    pub fn phases(&self) -> &[Phase] {
        self.phases.get(..self.len).unwrap_or(&[])
    }

    /// The interval after the last bounded phase.
    pub const fn then_every(&self) -> Duration {
        self.then_every
    }
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence::DEFAULT
    }
}

/// A device's retry schedule: a [`Cadence`] inside a network window of 0 to 255 hours.
///
/// # The model (spec §8, a *model* choice: Intel's own table is not public)
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
            plan: Plan::of(self),
            segment: 0,
            next: 0,
            at: Duration::ZERO,
        }
    }

    /// How many attempts the device makes before the window closes.
    pub fn attempt_count(&self) -> u32 {
        Plan::of(self).total
    }

    /// Attempt number `n` (0-based), if the schedule makes it.
    pub fn attempt(&self, n: u32) -> Option<Attempt> {
        Plan::of(self).attempt(n)
    }

    /// The latest attempt sent at or before `elapsed`: the one in progress while the window is
    /// open (and the last one after it has closed). `None` only for a zero-length window.
    pub fn attempt_at(&self, elapsed: Duration) -> Option<Attempt> {
        let plan = Plan::of(self);
        plan.attempt(plan.latest(elapsed)?)
    }

    /// The first attempt after `elapsed`, if the window is still open then.
    pub fn next_after(&self, elapsed: Duration) -> Option<Attempt> {
        let plan = Plan::of(self);
        plan.attempt(plan.latest(elapsed)?.checked_add(1)?)
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
}

impl Default for RetrySchedule {
    /// [`RetrySchedule::first_window`].
    fn default() -> Self {
        RetrySchedule::first_window()
    }
}

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
    fn new(number: u32, at: Duration, delay: Duration, total: u32) -> Self {
        Attempt {
            number,
            at,
            delay,
            retry_count: number.min(MAX_RETRY_COUNT),
            is_last: number.checked_add(1) == Some(total),
        }
    }
}

/// The attempts of a [`RetrySchedule`], in order. Owns its worked-out plan.
#[derive(Debug, Clone)]
pub struct Attempts {
    plan: Plan,
    /// Index of the segment holding the next attempt (after attempt 0).
    segment: usize,
    next: u32,
    /// Time of the previous attempt.
    at: Duration,
}

impl Iterator for Attempts {
    type Item = Attempt;

    fn next(&mut self) -> Option<Attempt> {
        let n = self.next;
        if n >= self.plan.total {
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
        Some(Attempt::new(n, at, delay, self.plan.total))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.plan.total.saturating_sub(self.next)).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Attempts {}
impl FusedIterator for Attempts {}

/// The attempts one phase sends: numbers `first .. first + count`, at `base + k × interval`
/// for k = 1 ..= count, where `base` is the time of attempt `first - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    first: u32,
    base: Duration,
    interval: Duration,
    count: u32,
}

impl Segment {
    const EMPTY: Segment = Segment {
        first: 0,
        base: Duration::ZERO,
        interval: Duration::ZERO,
        count: 0,
    };

    /// One past the number of its last attempt.
    fn end(&self) -> u32 {
        self.first.saturating_add(self.count)
    }

    fn time_of(&self, k: u32) -> Option<Duration> {
        self.base.checked_add(self.interval.checked_mul(k)?)
    }

    /// How many of this segment's attempts are sent at or before `elapsed`.
    fn sent_by(&self, elapsed: Duration) -> u32 {
        let since = elapsed.saturating_sub(self.base);
        steps_within(since, self.interval).min(self.count)
    }
}

/// How many whole `interval`s fit in `span`.
fn steps_within(span: Duration, interval: Duration) -> u32 {
    // Spans inside a window (at most 255 h) fit u64 nanoseconds, whose division is much
    // cheaper than u128's; longer ones (a phase's `until` can be anything) take the slow path.
    let steps = match (
        u64::try_from(span.as_nanos()),
        u64::try_from(interval.as_nanos()),
    ) {
        (Ok(span), Ok(interval)) => span.checked_div(interval).map(u128::from),
        _ => span.as_nanos().checked_div(interval.as_nanos()),
    };
    u32::try_from(steps.unwrap_or(0)).unwrap_or(u32::MAX)
}

/// A schedule worked out once: its non-empty segments in time order and how many attempts it
/// makes. Every question is answered from this in a few steps per phase.
#[derive(Debug, Clone, Copy)]
struct Plan {
    segments: [Segment; Cadence::MAX_PHASES + 1],
    len: usize,
    total: u32,
}

impl Plan {
    fn of(schedule: &RetrySchedule) -> Plan {
        let mut segments = [Segment::EMPTY; Cadence::MAX_PHASES + 1];
        let (mut len, mut total) = (0usize, u32::from(!schedule.window.is_zero()));
        let mut slots = segments.iter_mut();
        let mut cursor = Cursor::START;
        while let Some(segment) = cursor.advance(schedule) {
            if segment.count == 0 {
                continue; // a phase that sends nothing: its interval does not fit, or the window has closed
            }
            if let Some(slot) = slots.next() {
                *slot = segment;
                len = len.saturating_add(1);
                total = total.saturating_add(segment.count);
            }
        }
        Plan {
            segments,
            len,
            total,
        }
    }

    fn segments(&self) -> &[Segment] {
        self.segments.get(..self.len).unwrap_or(&[])
    }

    /// Attempt number `n`, if the schedule makes it.
    fn attempt(&self, n: u32) -> Option<Attempt> {
        if n >= self.total {
            return None;
        }
        if n == 0 {
            return Some(Attempt::new(0, Duration::ZERO, Duration::ZERO, self.total));
        }
        // Attempt n ≥ 1 is the (n - first + 1)-th of the segment holding it.
        let segment = self.segments().iter().find(|s| n < s.end())?;
        let at = segment.time_of(n.checked_sub(segment.first)?.checked_add(1)?)?;
        Some(Attempt::new(n, at, segment.interval, self.total))
    }

    /// The number of the latest attempt at or before `elapsed`; `None` if there are none.
    fn latest(&self, elapsed: Duration) -> Option<u32> {
        if self.total == 0 {
            return None;
        }
        // Segments are in time order: stop at the first one that has not started.
        let mut latest = 0;
        for segment in self.segments() {
            let sent = segment.sent_by(elapsed);
            if sent == 0 {
                break;
            }
            latest = segment.first.saturating_add(sent).saturating_sub(1);
        }
        Some(latest)
    }
}

/// Where a walk over the segments stands: the next phase, its first attempt number, the time of
/// the attempt before it, and whether the window has already ended an earlier phase.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    phase: usize,
    first: u32,
    base: Duration,
    closed: bool,
}

impl Cursor {
    const START: Cursor = Cursor {
        phase: 0,
        first: 1,
        base: Duration::ZERO,
        closed: false,
    };

    fn advance(&mut self, schedule: &RetrySchedule) -> Option<Segment> {
        let cadence = &schedule.cadence;
        let (interval, until) = match cadence.phases().get(self.phase) {
            Some(phase) => (phase.interval, Some(phase.until)),
            None if self.phase == cadence.phases().len() => (cadence.then_every, None),
            None => return None,
        };
        // Attempts at base + k·interval with k ≥ 1, at most `until` and before the window closes.
        // A phase cut short by the window ends the schedule: later phases send nothing.
        let window = schedule.window;
        let before_close = window
            .saturating_sub(self.base)
            .saturating_sub(Duration::from_nanos(1));
        let by_window = if self.closed || self.base >= window {
            0
        } else {
            steps_within(before_close, interval)
        };
        let by_phase = until.map(|until| {
            until
                .checked_sub(self.base)
                .map_or(0, |span| steps_within(span, interval))
        });
        let count = by_phase.map_or(by_window, |n| n.min(by_window));
        self.closed = self.closed || by_phase.is_none_or(|n| by_window < n);
        let segment = Segment {
            first: self.first,
            base: self.base,
            interval,
            count,
        };
        self.phase = self.phase.saturating_add(1);
        self.first = self.first.saturating_add(count);
        self.base = segment.time_of(count)?;
        Some(segment)
    }
}

/// Why a cadence or a schedule was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ScheduleError {
    /// More bounded phases than [`Cadence::MAX_PHASES`].
    TooManyPhases {
        /// How many were given.
        found: usize,
        /// The most a cadence holds.
        max: usize,
    },
    /// An interval shorter than [`Cadence::MIN_INTERVAL`] (zero included).
    IntervalTooShort {
        /// Index of the phase (the number of bounded phases for the open-ended one).
        phase: usize,
        /// The interval given.
        interval: Duration,
        /// The shortest interval accepted.
        min: Duration,
    },
    /// A phase whose `until` is not later than the previous phase's (or not after zero).
    PhaseOutOfOrder {
        /// Index of the phase.
        phase: usize,
        /// Its `until`.
        until: Duration,
        /// The previous phase's `until` (zero for the first phase).
        previous: Duration,
    },
    /// A window longer than [`RetrySchedule::MAX_WINDOW`].
    WindowTooLong {
        /// The window given.
        window: Duration,
        /// The longest window accepted.
        max: Duration,
    },
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ScheduleError::TooManyPhases { found, max } => {
                write!(f, "{found} bounded phases given, at most {max} allowed")
            }
            ScheduleError::IntervalTooShort {
                phase,
                interval,
                min,
            } => {
                write!(
                    f,
                    "phase {phase}: interval {interval:?} is shorter than {min:?}"
                )
            }
            ScheduleError::PhaseOutOfOrder {
                phase,
                until,
                previous,
            } => {
                write!(
                    f,
                    "phase {phase}: ends at {until:?}, not after the previous end {previous:?}"
                )
            }
            ScheduleError::WindowTooLong { window, max } => {
                write!(f, "window {window:?} is longer than the maximum {max:?}")
            }
        }
    }
}

impl core::error::Error for ScheduleError {}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;

    fn minutes(schedule: &RetrySchedule) -> heapless::Vec<u64, 64> {
        schedule.attempts().map(|a| a.at.as_secs() / 60).collect()
    }

    #[test]
    fn first_window_matches_the_spec() {
        let s = RetrySchedule::first_window();
        let mut expect: heapless::Vec<u64, 64> = heapless::Vec::new();
        expect
            .extend_from_slice(&[0, 1, 2, 3, 4, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60])
            .unwrap();
        for h in 2..=23 {
            expect.push(h * 60).unwrap();
        }
        assert_eq!(minutes(&s), expect);
        assert_eq!(s.attempt_count(), 39);
        let last = s.attempts().last().unwrap();
        assert_eq!((last.number, last.at, last.is_last), (38, 23 * HOUR, true));
        assert!(s.attempts().filter(|a| a.is_last).count() == 1);
    }

    #[test]
    fn retry_counts_and_delays() {
        let s = RetrySchedule::first_window();
        let a: heapless::Vec<Attempt, 64> = s.attempts().collect();
        assert_eq!(a[0].delay, Duration::ZERO);
        assert_eq!(a[5].delay, MINUTE);
        assert_eq!(a[6].delay, 5 * MINUTE);
        assert_eq!(a[17].delay, HOUR);
        assert_eq!(a.iter().map(|a| a.retry_count).max(), Some(14));
        assert_eq!(a[13].retry_count, 13);
        assert_eq!(a[38].retry_count, 14);
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
    fn constructor_errors() {
        let p = |i, u| Phase::new(Duration::from_secs(i), Duration::from_secs(u));
        assert_eq!(
            Cadence::new(&[p(0, 5)], HOUR),
            Err(ScheduleError::IntervalTooShort {
                phase: 0,
                interval: Duration::ZERO,
                min: Cadence::MIN_INTERVAL
            })
        );
        assert_eq!(
            Cadence::new(&[p(1, 5)], Duration::from_millis(999)),
            Err(ScheduleError::IntervalTooShort {
                phase: 1,
                interval: Duration::from_millis(999),
                min: Cadence::MIN_INTERVAL
            })
        );
        assert_eq!(
            Cadence::new(&[p(1, 0)], HOUR),
            Err(ScheduleError::PhaseOutOfOrder {
                phase: 0,
                until: Duration::ZERO,
                previous: Duration::ZERO
            })
        );
        assert_eq!(
            Cadence::new(&[p(1, 10), p(1, 20), p(1, 20)], HOUR),
            Err(ScheduleError::PhaseOutOfOrder {
                phase: 2,
                until: Duration::from_secs(20),
                previous: Duration::from_secs(20)
            })
        );
        let seven = [
            p(1, 1),
            p(1, 2),
            p(1, 3),
            p(1, 4),
            p(1, 5),
            p(1, 6),
            p(1, 7),
        ];
        assert_eq!(
            Cadence::new(&seven, HOUR),
            Err(ScheduleError::TooManyPhases { found: 7, max: 6 })
        );
        assert!(Cadence::new(&seven[..6], HOUR).is_ok());
        assert!(Cadence::new(&[], HOUR).is_ok());
        let too_long = RetrySchedule::MAX_WINDOW + Duration::from_nanos(1);
        assert_eq!(
            RetrySchedule::new(Cadence::DEFAULT, too_long),
            Err(ScheduleError::WindowTooLong {
                window: too_long,
                max: RetrySchedule::MAX_WINDOW
            })
        );
        assert!(RetrySchedule::new(Cadence::DEFAULT, RetrySchedule::MAX_WINDOW).is_ok());
    }

    #[test]
    fn sca_side_lookups() {
        let s = RetrySchedule::first_window();
        assert_eq!(s.attempt_at(Duration::ZERO).unwrap().number, 0);
        assert_eq!(s.attempt_at(7 * MINUTE).unwrap().number, 5);
        assert_eq!(s.attempt_at(10 * MINUTE).unwrap().number, 6);
        assert_eq!(s.next_after(7 * MINUTE).unwrap().at, 10 * MINUTE);
        assert_eq!(s.attempt_at(48 * HOUR).unwrap().number, 38);
        assert_eq!(s.next_after(23 * HOUR), None);
        assert_eq!(s.remaining(20 * HOUR), 4 * HOUR);
        assert_eq!(s.remaining(30 * HOUR), Duration::ZERO);
        assert_eq!(s.earliest_send_time(0), Some(Duration::ZERO));
        assert_eq!(s.earliest_send_time(6), Some(10 * MINUTE));
        assert_eq!(s.earliest_send_time(u32::MAX), s.earliest_send_time(14));
        let short = RetrySchedule::new(Cadence::DEFAULT, 3 * MINUTE).unwrap();
        assert_eq!(short.earliest_send_time(3), None);
        assert_eq!(short.attempt_count(), 3);
    }
}
