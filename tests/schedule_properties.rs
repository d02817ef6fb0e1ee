//! Property tests for the retry schedule: against a step-by-step reference of the retry model
//! (see `amt_hello::protocol`), and against brute-force scans of the iterator for every SCA-side
//! lookup.

use core::time::Duration;

use amt_hello::{Attempt, Cadence, Phase, RetrySchedule};
use proptest::prelude::*;

const SEC: Duration = Duration::from_secs(1);

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The model's rule, one step at a time: the next attempt is `interval` after the last one, in the
/// first phase (from the current one on) whose `until` still admits it; sent only before the
/// window closes.
fn reference(schedule: &RetrySchedule) -> Vec<(Duration, Duration)> {
    let cadence = schedule.cadence();
    let mut out = Vec::new();
    if schedule.window().is_zero() {
        return out;
    }
    let (mut t, mut phase) = (Duration::ZERO, 0);
    out.push((t, Duration::ZERO));
    loop {
        let interval = loop {
            match cadence.phases().get(phase) {
                Some(p) if t + p.interval <= p.until => break p.interval,
                Some(_) => phase += 1,
                None => break cadence.then_every(),
            }
        };
        t += interval;
        if t >= schedule.window() {
            return out;
        }
        out.push((t, interval));
    }
}

/// Valid schedules whose attempt count stays small enough to scan (at most a few thousand).
fn schedule() -> impl Strategy<Value = RetrySchedule> {
    (0u64..=255 * 3600).prop_flat_map(|window| {
        let min = (window / 2000).max(1);
        let interval = min..=min.saturating_mul(50).max(3600);
        let phases = prop::collection::vec((interval.clone(), 1u64..=window.max(1) + 3600), 0..=6);
        (Just(window), phases, interval).prop_map(|(window, raw, then_every)| {
            // Make the untils strictly increasing.
            let mut until = 0;
            let phases: Vec<Phase> = raw
                .into_iter()
                .map(|(i, step)| {
                    until += step;
                    Phase::new(secs(i), secs(until))
                })
                .collect();
            let cadence = Cadence::new(&phases, secs(then_every)).unwrap();
            RetrySchedule::new(cadence, secs(window)).unwrap()
        })
    })
}

fn elapsed(schedule: &RetrySchedule) -> impl Strategy<Value = Duration> + use<> {
    let window = schedule.window().as_nanos() as u64;
    prop_oneof![
        (0..=window.saturating_mul(2).max(1)).prop_map(Duration::from_nanos),
        Just(Duration::ZERO),
        Just(Duration::from_nanos(window)),
        Just(Duration::MAX),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn attempts_follow_the_reference(schedule in schedule()) {
        let attempts: Vec<Attempt> = schedule.attempts().collect();
        let expect = reference(&schedule);
        prop_assert_eq!(attempts.len(), expect.len());
        prop_assert_eq!(schedule.attempts().len(), expect.len());
        prop_assert_eq!(schedule.attempt_count() as usize, expect.len());
        for (n, (a, (at, delay))) in attempts.iter().zip(&expect).enumerate() {
            prop_assert_eq!(a.number as usize, n);
            prop_assert_eq!((a.at, a.delay), (*at, *delay));
            prop_assert!(a.at < schedule.window());
            prop_assert_eq!(a.retry_count as usize, n.min(14));
            prop_assert_eq!(a.is_last, n + 1 == expect.len());
        }
        prop_assert!(attempts.windows(2).all(|w| w[0].at < w[1].at));
        // Exact size all the way down, and fused.
        let mut it = schedule.attempts();
        for left in (0..=expect.len()).rev() {
            prop_assert_eq!(it.len(), left);
            it.next();
        }
        prop_assert_eq!(it.next(), None);
    }

    #[test]
    fn lookups_agree_with_a_brute_force_scan(
        (schedule, elapsed, n) in schedule().prop_flat_map(|s| (Just(s), elapsed(&s), 0u32..64))
    ) {
        let brute_at = schedule.attempts().take_while(|a| a.at <= elapsed).last();
        prop_assert_eq!(schedule.attempt_at(elapsed), brute_at);
        let brute_next = schedule.attempts().find(|a| a.at > elapsed);
        prop_assert_eq!(schedule.next_after(elapsed), brute_next);
        prop_assert_eq!(schedule.attempt(n), schedule.attempts().nth(n as usize));
        for retry_count in [0, 1, 13, 14, 15, n, u32::MAX] {
            let brute = schedule.attempts().find(|a| a.retry_count == retry_count.min(14)).map(|a| a.at);
            prop_assert_eq!(schedule.earliest_send_time(retry_count), brute);
        }
        prop_assert_eq!(schedule.remaining(elapsed), schedule.window().saturating_sub(elapsed));
    }

    #[test]
    fn arbitrary_configurations_never_panic(
        raw in prop::collection::vec((any::<u64>(), any::<u32>(), any::<u64>(), any::<u32>()), 0..9),
        then_every in (any::<u64>(), any::<u32>()),
        window in (any::<u64>(), any::<u32>()),
        elapsed in (any::<u64>(), any::<u32>()),
    ) {
        let d = |(s, n): (u64, u32)| Duration::new(s, n % 1_000_000_000);
        let phases: Vec<Phase> = raw.iter().map(|&(a, b, c, e)| Phase::new(d((a, b)), d((c, e)))).collect();
        let Ok(cadence) = Cadence::new(&phases, d(then_every)) else { return Ok(()) };
        let Ok(schedule) = RetrySchedule::new(cadence, d(window)) else { return Ok(()) };
        let mut last = None;
        for a in schedule.attempts().take(10_000) {
            prop_assert!(a.at < schedule.window());
            prop_assert!(last.is_none_or(|t| t < a.at));
            last = Some(a.at);
        }
        let e = d(elapsed);
        let _ = (schedule.attempt_at(e), schedule.next_after(e), schedule.earliest_send_time(7));
        let _ = schedule.attempt(schedule.attempt_count().saturating_sub(1));
    }
}

#[test]
fn largest_window_with_the_smallest_interval() {
    let cadence = Cadence::new(&[], SEC).unwrap();
    let schedule = RetrySchedule::new(cadence, RetrySchedule::MAX_WINDOW).unwrap();
    let count = 255 * 3600;
    assert_eq!(schedule.attempt_count(), count);
    let last = schedule.attempts().last().unwrap();
    assert_eq!(
        (last.number, last.at, last.is_last),
        (count - 1, RetrySchedule::MAX_WINDOW - SEC, true)
    );
    assert_eq!(schedule.attempt_at(Duration::MAX), Some(last));
    assert_eq!(schedule.next_after(Duration::MAX), None);
}

#[test]
fn six_hour_window_matches_the_spec() {
    let s = RetrySchedule::reopened_window();
    let minutes: Vec<u64> = s.attempts().map(|a| a.at.as_secs() / 60).collect();
    assert_eq!(
        minutes,
        [
            0, 1, 2, 3, 4, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 120, 180, 240, 300
        ]
    );
    assert_eq!(
        s.attempts()
            .last()
            .map(|a| (a.number, a.retry_count, a.is_last)),
        Some((20, 14, true))
    );
}
