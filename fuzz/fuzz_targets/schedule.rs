//! Arbitrary cadences and windows: the constructors accept or refuse without panicking; the
//! iterator terminates, is monotone, stays inside the window and agrees with the lookups.
#![no_main]

use std::time::Duration;

use amt_hello::{Cadence, Phase, RetrySchedule};
use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fn duration(u: &mut Unstructured<'_>) -> arbitrary::Result<Duration> {
    Ok(match u.int_in_range(0..=3)? {
        0 => Duration::from_secs(u.int_in_range(0..=7200)?),
        1 => Duration::from_secs(u.int_in_range(0..=256 * 3600)?),
        2 => Duration::new(u.arbitrary()?, u.int_in_range(0..=999_999_999)?),
        _ => Duration::from_secs(60 * u.int_in_range(0..=300)?),
    })
}

fn run(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let mut phases = Vec::new();
    for _ in 0..u.int_in_range(0..=8)? {
        phases.push(Phase::new(duration(u)?, duration(u)?));
    }
    let Ok(cadence) = Cadence::new(&phases, duration(u)?) else {
        return Ok(());
    };
    let Ok(schedule) = RetrySchedule::new(cadence, duration(u)?) else {
        return Ok(());
    };

    let total = schedule.attempt_count();
    let scan_all = total <= 20_000;
    let mut previous: Option<amt_hello::Attempt> = None;
    let mut seen = 0u32;
    for a in schedule.attempts().take(20_000) {
        assert_eq!(a.number, seen);
        assert!(a.at < schedule.window());
        assert_eq!(a.retry_count, a.number.min(14));
        assert_eq!(a.is_last, a.number + 1 == total);
        if let Some(p) = previous {
            assert!(p.at < a.at);
            assert_eq!(a.delay, a.at - p.at);
        }
        if seen < 64 {
            assert_eq!(schedule.attempt(seen), Some(a));
        }
        previous = Some(a);
        seen += 1;
    }
    if scan_all {
        assert_eq!(seen, total);
        let elapsed = duration(u)?;
        let brute = schedule.attempts().take_while(|a| a.at <= elapsed).last();
        assert_eq!(schedule.attempt_at(elapsed), brute);
        assert_eq!(
            schedule.next_after(elapsed),
            schedule.attempts().find(|a| a.at > elapsed)
        );
        let rc = u.int_in_range(0..=20)?;
        let brute = schedule
            .attempts()
            .find(|a| a.retry_count == rc.min(14))
            .map(|a| a.at);
        assert_eq!(schedule.earliest_send_time(rc), brute);
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
