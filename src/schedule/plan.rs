//! A schedule worked out once: the arithmetic every question about it is answered from.

use core::time::Duration;

use super::cadence::Cadence;

/// The attempts one phase sends: numbers `first .. first + count`, at `base + k × interval`
/// for k = 1 ..= count, where `base` is the time of attempt `first - 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Segment {
    first: u32,
    base: Duration,
    interval: Duration,
    count: u32,
}

impl Segment {
    fn time_of(&self, k: u32) -> Option<Duration> {
        self.base.checked_add(self.interval.checked_mul(k)?)
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

/// The non-empty segments in time order and the attempt count; answers take a few steps per phase.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    segments: [Segment; Cadence::MAX_PHASES + 1],
    len: usize,
    /// How many attempts the schedule makes.
    pub(super) total: u32,
}

impl Plan {
    pub(super) fn of(cadence: &Cadence, window: Duration) -> Plan {
        let mut plan = Plan {
            segments: [Segment::default(); Cadence::MAX_PHASES + 1],
            len: 0,
            total: u32::from(!window.is_zero()),
        };
        // Each phase continues from the attempt before it (attempt 0, at 0, before the first),
        // sending at base + k·interval with k ≥ 1, at most `until` and before the window closes.
        let (mut first, mut base) = (1, Duration::ZERO);
        let bounded = cadence.phases().iter().map(|p| (p.interval, Some(p.until)));
        for (interval, until) in bounded.chain([(cadence.then_every(), None)]) {
            let before_close = window
                .saturating_sub(base)
                .saturating_sub(Duration::from_nanos(1));
            let by_window = steps_within(before_close, interval);
            let by_phase = until.map(|until| {
                until
                    .checked_sub(base)
                    .map_or(0, |span| steps_within(span, interval))
            });
            let count = by_phase.map_or(by_window, |n| n.min(by_window));
            let segment = Segment {
                first,
                base,
                interval,
                count,
            };
            // A phase that sends nothing (its interval does not fit, or the window has closed)
            // takes no slot.
            if let (1.., Some(slot)) = (count, plan.segments.get_mut(plan.len)) {
                *slot = segment;
                plan.len = plan.len.saturating_add(1);
                plan.total = plan.total.saturating_add(count);
            }
            // A phase cut short by the window (or the open-ended one) ends the schedule.
            if by_phase.is_none_or(|n| by_window < n) {
                break;
            }
            first = first.saturating_add(count);
            base = segment.time_of(count).unwrap_or(base);
        }
        plan
    }

    fn segments(&self) -> &[Segment] {
        self.segments.get(..self.len).unwrap_or(&[])
    }

    /// When attempt `n` is sent and how long after the one before, if the schedule makes it.
    pub(super) fn timing(&self, n: u32) -> Option<(Duration, Duration)> {
        if n >= self.total {
            return None;
        }
        if n == 0 {
            return Some((Duration::ZERO, Duration::ZERO));
        }
        // Attempt n ≥ 1 is the (n - first + 1)-th of the last segment to start at or before it.
        let segment = self.segments().iter().rfind(|s| s.first <= n)?;
        let at = segment.time_of(n.checked_sub(segment.first)?.checked_add(1)?)?;
        Some((at, segment.interval))
    }

    /// The number of the latest attempt at or before `elapsed`; 0 (which `timing` refuses) if none.
    pub(super) fn latest(&self, elapsed: Duration) -> u32 {
        // Segments are in time order: stop at the first one that has not started.
        let mut latest = 0;
        for segment in self.segments() {
            // How many of this segment's attempts are sent at or before `elapsed`.
            let since = elapsed.saturating_sub(segment.base);
            let sent = steps_within(since, segment.interval).min(segment.count);
            if sent == 0 {
                break;
            }
            latest = segment.first.saturating_add(sent).saturating_sub(1);
        }
        latest
    }
}
