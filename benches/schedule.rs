//! Retry-schedule benchmarks: the iterator and the O(phases) SCA lookups, each beside a
//! brute-force baseline in the same group.

use std::hint::black_box;
use std::time::Duration;

use amt_hello::RetrySchedule;
use criterion::{Criterion, criterion_group, criterion_main};

fn schedule(c: &mut Criterion) {
    let schedule = RetrySchedule::first_window();
    let mut g = c.benchmark_group("schedule_24h/iterate");
    g.bench_function("attempts", |b| {
        b.iter(|| {
            black_box(&schedule)
                .attempts()
                .map(|a| a.at.as_secs())
                .sum::<u64>()
        })
    });
    // Baseline: the model's rule stepped by hand into a Vec.
    g.bench_function("naive_step_into_vec", |b| {
        b.iter(|| {
            let min = Duration::from_secs(60);
            let (mut t, mut out) = (Duration::ZERO, Vec::new());
            while t < black_box(RetrySchedule::FIRST_WINDOW) {
                out.push(t);
                t += if t < 5 * min {
                    min
                } else if t < 60 * min {
                    5 * min
                } else {
                    60 * min
                };
            }
            out.iter().map(Duration::as_secs).sum::<u64>()
        })
    });
    g.finish();

    // Each lookup beside a brute-force scan of the iterator, late in the window (the worst case
    // for a scan).
    let elapsed = Duration::from_secs(22 * 3600 + 30 * 60);
    let mut g = c.benchmark_group("schedule_24h/attempt_at");
    g.bench_function("lookup", |b| {
        b.iter(|| schedule.attempt_at(black_box(elapsed)))
    });
    g.bench_function("brute_scan", |b| {
        b.iter(|| {
            schedule
                .attempts()
                .take_while(|a| a.at <= black_box(elapsed))
                .last()
        })
    });
    g.finish();
    let mut g = c.benchmark_group("schedule_24h/next_after");
    g.bench_function("lookup", |b| {
        b.iter(|| schedule.next_after(black_box(elapsed)))
    });
    g.bench_function("brute_scan", |b| {
        b.iter(|| schedule.attempts().find(|a| a.at > black_box(elapsed)))
    });
    g.finish();
    let mut g = c.benchmark_group("schedule_24h/earliest_send_time_14");
    g.bench_function("lookup", |b| {
        b.iter(|| schedule.earliest_send_time(black_box(14)))
    });
    g.bench_function("brute_scan", |b| {
        b.iter(|| {
            schedule
                .attempts()
                .find(|a| a.retry_count == black_box(14))
                .map(|a| a.at)
        })
    });
    g.finish();
    let mut g = c.benchmark_group("schedule_24h/attempt_count");
    g.bench_function("lookup", |b| {
        b.iter(|| black_box(&schedule).attempt_count())
    });
    g.bench_function("brute_scan", |b| {
        b.iter(|| black_box(&schedule).attempts().count())
    });
    g.finish();
}

criterion_group!(benches, schedule);
criterion_main!(benches);
