//! Why a cadence or a schedule was refused.

use core::fmt;
use core::time::Duration;

/// Why a cadence or a schedule was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ScheduleError {
    /// More bounded phases than [`Cadence::MAX_PHASES`](super::Cadence::MAX_PHASES).
    TooManyPhases {
        /// How many were given.
        found: usize,
        /// The most a cadence holds.
        max: usize,
    },
    /// An interval shorter than [`Cadence::MIN_INTERVAL`](super::Cadence::MIN_INTERVAL) (zero included).
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
    /// A window longer than [`RetrySchedule::MAX_WINDOW`](super::RetrySchedule::MAX_WINDOW).
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
            } => write!(
                f,
                "phase {phase}: interval {interval:?} is shorter than {min:?}"
            ),
            ScheduleError::PhaseOutOfOrder {
                phase,
                until,
                previous,
            } => write!(
                f,
                "phase {phase}: ends at {until:?}, not after the previous end {previous:?}"
            ),
            ScheduleError::WindowTooLong { window, max } => {
                write!(f, "window {window:?} is longer than the maximum {max:?}")
            }
        }
    }
}

impl core::error::Error for ScheduleError {}
