//! Diagnosis: what the library's retry-schedule model infers from one device's attempts (capture
//! time and retry count), as a pure function: where each run of the schedule began, the phase
//! the device is in, whether the gaps between Hellos fit the schedule, attempts missing from
//! the capture, retry counts that went back (the firmware restarted: a power cycle, or the
//! window was re-opened), and by when the network window closes at the latest.
//!
//! Model choices (the schedule's own are the library's, `RetrySchedule`): a run of the schedule
//! ends where the retry count goes down, or repeats below 14; a run's window opened at the first
//! Hello's time minus the time the schedule sends that count (only "at or before" when that
//! count is 14, which every later attempt also carries); a Hello fits when it is within 10 s +
//! 2 % of the elapsed time of an attempt that carries its count. The window closes at the
//! latest 24 h after it opened (a re-opened window: 6 h).

use std::time::Duration;

use amt_hello::{Cadence, MAX_RETRY_COUNT, RetrySchedule};

use super::timeline::Device;

/// One Hello of a device: when the capture saw it, and its retry count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub time: Duration,
    pub retry_count: u32,
}

/// What the model infers from a device's Hellos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// Where the retry count went back: (time, from, to).
    pub restarts: Vec<(Duration, u32, u32)>,
    /// When the current run's window opened; `exact` false: at or before then.
    pub opened: Option<(Duration, bool)>,
    /// The phase of the schedule at the last Hello, in words.
    pub phase: String,
    /// Hellos that do not fit the schedule: (time, retry count, when the schedule sends it).
    pub misfits: Vec<(Duration, u32, Option<Duration>)>,
    /// Attempts the schedule made between the current run's Hellos that the capture lacks.
    pub missed: u32,
    /// When the next Hello is due, if the window is still open.
    pub next: Option<Duration>,
    /// When the window closes at the latest.
    pub closes_by: Option<Duration>,
}

impl Diagnosis {
    /// Whether every gap between the Hellos fits the schedule.
    pub fn fits(&self) -> bool {
        self.misfits.is_empty()
    }
}

/// Infers the schedule from a device's attempts.
pub fn of_device(device: &Device) -> Diagnosis {
    let seen: Vec<Seen> = device
        .attempts
        .iter()
        .map(|a| Seen {
            time: a.time,
            retry_count: a.retry_count,
        })
        .collect();
    diagnose(&seen)
}

/// Infers the schedule from `seen` (in any order).
pub fn diagnose(seen: &[Seen]) -> Diagnosis {
    let schedule = RetrySchedule::first_window();
    let mut seen = seen.to_vec();
    seen.sort_by_key(|s| s.time);
    let mut runs: Vec<&[Seen]> = Vec::new();
    let mut restarts = Vec::new();
    let mut start = 0;
    for (i, pair) in seen.windows(2).enumerate() {
        let (a, b) = (count(pair[0]), count(pair[1]));
        if b < a || (b == a && b < MAX_RETRY_COUNT) {
            restarts.push((pair[1].time, pair[0].retry_count, pair[1].retry_count));
            runs.push(&seen[start..=i]);
            start = i + 1;
        }
    }
    runs.push(&seen[start..]);
    let mut misfits = Vec::new();
    let mut missed = 0;
    let mut opened = None;
    for run in runs.iter().filter(|run| !run.is_empty()) {
        opened = opening(&schedule, run);
        let Some((at, true)) = opened else {
            continue;
        };
        let mut numbers = Vec::new();
        for s in *run {
            let elapsed = s.time.saturating_sub(at);
            match fitting(&schedule, elapsed, count(*s)) {
                Some(number) => numbers.push(number),
                None => misfits.push((
                    s.time,
                    s.retry_count,
                    schedule
                        .earliest_send_time(s.retry_count)
                        .and_then(|d| at.checked_add(d)),
                )),
            }
        }
        if let (Some(first), Some(last)) = (numbers.first(), numbers.last()) {
            missed = (last.saturating_sub(*first) + 1).saturating_sub(numbers.len() as u32);
        }
    }
    let last = seen.last().map(|s| s.time).unwrap_or_default();
    let (phase, next) = match opened {
        Some((at, true)) => {
            let elapsed = last.saturating_sub(at);
            let attempt = schedule.attempt_at(elapsed);
            let phase = attempt.map_or_else(String::new, |a| phase_at(a.at));
            (
                phase,
                schedule
                    .next_after(elapsed)
                    .and_then(|a| at.checked_add(a.at)),
            )
        }
        Some((_, false)) => {
            let from = schedule
                .earliest_send_time(MAX_RETRY_COUNT)
                .unwrap_or_default();
            (
                format!(
                    "{} or later into the window: {} or {}",
                    human(from),
                    phase_at(from),
                    phase_at(schedule.window())
                ),
                None,
            )
        }
        None => (String::new(), None),
    };
    Diagnosis {
        restarts,
        opened,
        phase,
        misfits,
        missed,
        next,
        closes_by: opened.and_then(|(at, _)| at.checked_add(schedule.window())),
    }
}

/// A retry count as the schedule counts it (lenient counts above 14 as 14).
fn count(s: Seen) -> u32 {
    s.retry_count.min(MAX_RETRY_COUNT)
}

/// When a run's window opened: exactly, from its first Hello with a count below 14; else at or
/// before its first Hello's time minus the time of attempt 14.
fn opening(schedule: &RetrySchedule, run: &[Seen]) -> Option<(Duration, bool)> {
    if let Some(s) = run.iter().find(|s| count(**s) < MAX_RETRY_COUNT) {
        let sent = schedule.earliest_send_time(s.retry_count)?;
        return Some((s.time.checked_sub(sent)?, true));
    }
    let first = run.first()?;
    let sent = schedule.earliest_send_time(MAX_RETRY_COUNT)?;
    Some((first.time.checked_sub(sent)?, false))
}

/// The number of the attempt near `elapsed` that carries `retry_count`, if one is near enough.
fn fitting(schedule: &RetrySchedule, elapsed: Duration, retry_count: u32) -> Option<u32> {
    let tolerance = Duration::from_secs(10).saturating_add(elapsed / 50);
    let candidates = [schedule.attempt_at(elapsed), schedule.next_after(elapsed)];
    candidates.into_iter().flatten().find_map(|a| {
        let off = a.at.abs_diff(elapsed);
        (off <= tolerance && a.retry_count == retry_count).then_some(a.number)
    })
}

/// The phase of the default cadence that sends the attempt at `at`, in words.
fn phase_at(at: Duration) -> String {
    let cadence = Cadence::DEFAULT;
    let bounded = cadence.phases().iter().find(|p| at <= p.until);
    match bounded {
        Some(p) => format!("every {} until {}", human(p.interval), human(p.until)),
        None => format!(
            "every {} until the window closes",
            human(cadence.then_every())
        ),
    }
}

/// `5 min`, `1 h`, `30 s`.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        _ if s >= 3600 && s.is_multiple_of(3600) => format!("{} h", s / 3600),
        _ if s >= 60 && s.is_multiple_of(60) => format!("{} min", s / 60),
        _ => format!("{s} s"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Seen, diagnose};

    const T0: Duration = Duration::from_secs(1_000_000);

    fn seen(rows: &[(u64, u32)]) -> Vec<Seen> {
        rows.iter()
            .map(|&(secs, retry_count)| Seen {
                time: T0 + Duration::from_secs(secs),
                retry_count,
            })
            .collect()
    }

    /// One row per rule: Hellos (seconds after T0, retry count) → restarts, misfits, missed
    /// attempts, phase, and the window's opening (seconds after T0, exact?).
    #[test]
    fn each_rule_of_the_schedule_model() {
        #[allow(clippy::type_complexity)]
        let rows: [(
            &str,
            &[(u64, u32)],
            usize,
            usize,
            u32,
            &str,
            Option<(u64, bool)>,
        ); 7] = [
            (
                "on time",
                &[(0, 0), (60, 1), (120, 2)],
                0,
                0,
                0,
                "every 1 min until 5 min",
                Some((0, true)),
            ),
            (
                "first Hello seen is retry 3",
                &[(600, 3), (660, 4)],
                0,
                0,
                0,
                "every 1 min until 5 min",
                Some((420, true)),
            ),
            (
                "one attempt not in the capture",
                &[(0, 0), (120, 2)],
                0,
                0,
                1,
                "every 1 min until 5 min",
                Some((0, true)),
            ),
            (
                "a gap that does not fit",
                &[(0, 0), (600, 1)],
                0,
                1,
                0,
                "every 5 min until 1 h",
                Some((0, true)),
            ),
            (
                "count back to 0",
                &[(0, 0), (60, 1), (120, 2), (900, 0)],
                1,
                0,
                0,
                "every 1 min until 5 min",
                Some((900, true)),
            ),
            (
                "hourly phase: 16 attempts between not in the capture",
                &[(0, 0), (7200, 14)],
                0,
                0,
                16,
                "every 1 h until the window closes",
                Some((0, true)),
            ),
            (
                "only count 14: opened at or before",
                &[(4000, 14)],
                0,
                0,
                0,
                "50 min or later into the window: every 5 min until 1 h or every 1 h until the window closes",
                Some((1000, false)),
            ),
        ];
        for (name, hellos, restarts, misfits, missed, phase, opened) in rows {
            let d = diagnose(&seen(hellos));
            assert_eq!(d.restarts.len(), restarts, "{name}: {d:?}");
            assert_eq!(d.misfits.len(), misfits, "{name}: {d:?}");
            assert_eq!(d.missed, missed, "{name}: {d:?}");
            assert_eq!(d.phase, phase, "{name}");
            let expected = opened.map(|(secs, exact)| (T0 + Duration::from_secs(secs), exact));
            assert_eq!(d.opened, expected, "{name}");
            let closes = expected.map(|(at, _)| at + Duration::from_secs(24 * 3600));
            assert_eq!(d.closes_by, closes, "{name}");
        }
    }

    #[test]
    fn the_next_hello_is_due_on_the_schedule_and_none_after_the_last() {
        let d = diagnose(&seen(&[(0, 0), (300, 5)]));
        assert_eq!(d.next, Some(T0 + Duration::from_secs(600)));
        let last = diagnose(&seen(&[(23 * 3600, 14), (0, 0)]));
        assert_eq!(last.next, None);
        assert!(last.fits(), "{last:?}");
    }
}
