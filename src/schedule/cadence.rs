//! A cadence: bounded phases in order, then an open-ended interval.

use core::time::Duration;

use super::error::ScheduleError;

pub(super) const MINUTE: Duration = Duration::from_secs(60);
pub(super) const HOUR: Duration = Duration::from_secs(3600);

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

    /// The published cadence ([protocol page](crate::protocol#the-retry-schedule)): every minute until 5 min, every 5 minutes until 60 min, then hourly.
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schedule::RetrySchedule;

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
        let seven: [Phase; 7] = core::array::from_fn(|i| p(1, i as u64 + 1));
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
}
