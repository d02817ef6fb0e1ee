//! The readable report: a few lines per connection (a Hello as `amt-hello decode --format text`
//! shows it, then each problem), then each device's timeline and what the schedule model infers,
//! then a summary. Colour only when asked (on a terminal, without NO_COLOR).

use std::fmt::Write;

use super::Summary;
use super::cause::Cause;
use super::diagnosis::{Diagnosis, human, of_device};
use super::events::{ConnectionEvents, Event, Report};
use super::hosts::Host;
use super::steps::Step;
use super::timeline::Device;
use super::words::{self, count, end, kind, sentence, time};
use crate::activation::output::checks_lines;
use crate::report::LOCALIZED_BIOS;

/// Text styling: ANSI colour or none.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub colour: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn heading(self, text: &str) -> String {
        self.paint("1", text)
    }
    fn problem(self, text: &str) -> String {
        self.paint("33", text)
    }
}

/// A connection in a few lines.
pub fn connection(c: &ConnectionEvents, style: Style) -> String {
    let mut out = style.heading(&format!(
        "connection {}: {} -> {} at {}",
        c.info.id,
        c.info.client,
        c.info.server,
        time(c.info.first)
    ));
    let handshake = if c.info.syn {
        ""
    } else {
        ", began before the capture"
    };
    let _ = write!(
        out,
        "\n  {}, {}{handshake}",
        count(c.bytes, "byte"),
        end(c.info.end).1
    );
    for event in &c.events {
        match event {
            Event::Hello(hello) => {
                let Report::Text(text) = &hello.report else {
                    continue; // a JSON run: no text was made
                };
                for line in text.lines() {
                    let _ = write!(out, "\n  {line}");
                }
            }
            other if kind(other).1 => {
                let line = format!("! {}", sentence(other, c.info.end));
                let _ = write!(out, "\n  {}", style.problem(&line));
            }
            other => {
                let _ = write!(out, "\n  - {}", sentence(other, c.info.end));
            }
        }
    }
    out
}

/// A device's timeline and diagnosis.
pub fn device(d: &Device, cause: &Cause, style: Style) -> String {
    let latest = &d.latest;
    let mut out = style.heading(&format!(
        "device {}: {} ({})",
        d.uuid,
        count(d.attempts.len() as u64 + d.more_attempts, "Hello"),
        d.kinds()
    ));
    let mut line = |label: &str, value: &str| {
        let _ = write!(out, "\n  {label:<13}{value}");
    };
    let addresses: Vec<String> = d.addresses.iter().map(ToString::to_string).collect();
    line("addresses:", &addresses.join(", "));
    let credentials = if latest.localized_bios {
        LOCALIZED_BIOS
    } else {
        "set"
    };
    line("credentials:", credentials);
    if let Some(pid) = &latest.pid {
        line("pid:", pid);
    }
    if !latest.psk {
        line("roots:", &format!("{} trusted", latest.roots.len()));
    }
    for (i, root) in latest.roots.iter().enumerate() {
        let name = root
            .ca
            .as_deref()
            .map(|n| format!("  {n}"))
            .unwrap_or_default();
        let _ = write!(
            out,
            "\n    {i:>3} {:<7} {}{name}",
            root.algorithm, root.digest
        );
    }
    if let Some(activation) = &latest.activation {
        let _ = write!(out, "\n  activation:  {activation}");
    }
    for line in checks_lines(latest.checks.as_deref().map_or(&[], Vec::as_slice)) {
        let _ = write!(out, "\n  {line}");
    }
    let _ = write!(out, "\n  attempts:");
    for a in &d.attempts {
        let _ = write!(
            out,
            "\n    {}  retry count {:>2}  from {} (connection {})",
            time(a.time),
            a.retry_count,
            a.client,
            a.connection
        );
    }
    if d.more_attempts > 0 {
        let _ = write!(out, "\n    ... and {} more", d.more_attempts);
    }
    for line in diagnosis_lines(&of_device(d)) {
        let _ = write!(out, "\n  {line}");
    }
    if d.evicted {
        let line = "! evicted: more than --max-devices devices; its later Hellos start anew";
        let _ = write!(out, "\n  {}", style.problem(line));
    }
    let _ = write!(out, "\n  {}", cause_line(cause, style));
    out
}

/// The cause, marked as a problem unless the path got as far as the capture lets it.
fn cause_line(cause: &Cause, style: Style) -> String {
    let line = format!("cause:       {} ({})", cause.message, cause.code);
    match cause.code {
        "connected" | "hello_delivered" => line,
        _ => style.problem(&line),
    }
}

/// A step of the path, in one line.
pub fn step(step: &Step<'_>) -> String {
    match step {
        Step::Lease(s) => {
            let (lease, mac) = (&s.lease, s.lease.mac.as_deref());
            let to = lease.address.map_or("?".into(), |a| a.to_string());
            let mac = mac.map(|m| format!(" ({m})")).unwrap_or_default();
            format!(
                "dhcp {} at {}: {to}{mac} from {}: {}",
                lease.kind,
                time(s.time),
                lease.server,
                words::lease(s)
            )
        }
        Step::Lookup(l) => format!(
            "dns at {}: {} asked {} for {} ({}, {}): {}",
            time(l.time),
            l.client.ip(),
            l.server.ip(),
            l.name,
            l.qtype,
            if l.tcp { "tcp" } else { "udp" },
            words::lookup(l)
        ),
        Step::ConnectBack(c) => format!(
            "connect-back at {}: {} -> {}: {}",
            time(c.time),
            c.sca,
            c.device,
            words::connect_back(c).1
        ),
    }
}

/// An address that delivered no Hello, and why.
pub fn host(h: &Host, cause: &Cause, style: Style) -> String {
    let mac = h
        .mac
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let mut out = style.heading(&format!("host {}{mac}: no Hello", h.address));
    let _ = write!(out, "\n  {}", cause_line(cause, style));
    out
}

/// What the schedule model infers, one line per fact.
fn diagnosis_lines(d: &Diagnosis) -> Vec<String> {
    let mut lines = Vec::new();
    for (at, from, to) in &d.restarts {
        lines.push(format!(
            "restart:     at {} the retry count went from {from} back to {to}: the firmware \
             restarted (a power cycle) or the window was re-opened",
            time(*at)
        ));
    }
    if d.fits() {
        lines.push("schedule:    the Hellos fit the retry schedule".into());
    }
    for (at, count, expected) in &d.misfits {
        let expected = expected.map_or("never".into(), |e| format!("at {}", time(e)));
        lines.push(format!(
            "schedule:    retry count {count} at {} does not fit: the schedule sends it {expected}",
            time(*at)
        ));
    }
    if d.missed > 0 {
        lines.push(format!(
            "missed:      {} between these Hellos not in the capture",
            count(d.missed, "attempt")
        ));
    }
    if !d.phase.is_empty() {
        lines.push(format!("phase:       {}", d.phase));
    }
    if let Some((opened, exact)) = d.opened {
        let when = if exact { "at" } else { "at or before" };
        let mut window = format!("window:      opened {when} {}", time(opened));
        if let Some(next) = d.next {
            let _ = write!(window, "; next Hello due at {}", time(next));
        }
        if let Some(closes) = d.closes_by {
            let _ = write!(
                window,
                "; closes by {} at the latest (24 h; {} if it was re-opened)",
                time(closes),
                human(amt_hello::RetrySchedule::REOPENED_WINDOW)
            );
        }
        lines.push(window);
    }
    lines
}

/// The closing summary line.
pub fn summary(s: &Summary) -> String {
    format!(
        "summary: {} ({} unreadable), {} ({} not TCP/IP or unreadable), {} on the watched \
         ports, {} ({} evicted), {} from {} ({} evicted); {}, {}, {}; {} without a Hello \
         ({} evicted)",
        count(s.files, "file"),
        s.bad_files,
        count(s.records, "record"),
        s.unreadable,
        count(s.segments, "segment"),
        count(s.connections, "connection"),
        s.evicted_flows,
        count(s.hellos, "Hello"),
        count(s.devices, "device"),
        s.evicted_devices,
        count(s.leases, "DHCP lease"),
        count(s.lookups, "lookup"),
        count(s.connect_backs, "connect-back"),
        count(s.hosts, "host"),
        s.evicted_hosts
    )
}
