//! The report's words, shared by the text and JSON writers: capture times, how a connection
//! ended, one sentence per event, and one per step of the path.

use std::time::{Duration, UNIX_EPOCH};

use super::events::{End, Event};
use super::steps::{ConnectBack, LeaseStep, Lookup};
use super::tls::Tls;

/// The first second RFC 3339 cannot write (year 10000): a capture file may say anything.
const YEAR_10000: Duration = Duration::from_secs(253_402_300_800);

/// A capture time as RFC 3339 UTC with milliseconds (or seconds since 1970 past year 9999).
pub fn time(since_epoch: Duration) -> String {
    match UNIX_EPOCH.checked_add(since_epoch) {
        Some(t) if since_epoch < YEAR_10000 => humantime::format_rfc3339_millis(t).to_string(),
        _ => format!("{} s after 1970", since_epoch.as_secs()),
    }
}

/// `1 byte`, `2 bytes`: a count and its noun (plural by an s).
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    match n.into() {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// How a connection ended, as a JSON value and in words.
pub fn end(end: End) -> (&'static str, &'static str) {
    match end {
        End::Fin => ("fin", "closed by the client (FIN)"),
        End::Reset { by_server: true } => ("reset_by_server", "reset by the server (RST)"),
        End::Reset { by_server: false } => ("reset_by_client", "reset by the client (RST)"),
        End::CaptureEnded => ("capture_ended", "open when the capture ended"),
        End::Evicted => ("evicted", "evicted while open"),
        End::Reused => ("reused", "replaced by a new SYN from the same port"),
    }
}

/// An event's JSON name, and whether it is a problem (as opposed to a Hello or a remark).
pub fn kind(event: &Event) -> (&'static str, bool) {
    match event {
        Event::Hello(_) => ("hello", false),
        Event::HelloError { .. } => ("hello_error", true),
        Event::Refused => ("refused", true),
        Event::Unanswered => ("unanswered", true),
        Event::ClosedEarly { .. } => ("closed_early", true),
        Event::TrailingBytes { .. } => ("trailing_bytes", true),
        Event::NotAHello { .. } => ("not_a_hello", true),
        Event::StartMissing => ("start_missing", true),
        Event::Gap { .. } => ("gap", true),
        Event::Conflict { .. } => ("conflict", true),
        Event::Retransmitted { .. } => ("retransmitted", false),
        Event::Evicted => ("evicted", true),
    }
}

/// One sentence for an event on a connection that ended with `end`.
pub fn sentence(event: &Event, end: End) -> String {
    match event {
        Event::Hello(h) => format!(
            "{} Hello from device {}, retry count {}",
            if h.psk { "PSK" } else { "PKI" },
            h.uuid,
            h.retry_count
        ),
        Event::HelloError { error } => format!("not a valid Hello: {error}"),
        Event::Refused => {
            "refused: the server answered the SYN with a RST (no SCA listening there)".into()
        }
        Event::Unanswered => {
            "the SYN got no answer in the capture (a firewall, a wrong address, or the SCA is down)"
                .into()
        }
        Event::ClosedEarly { received: 0, .. } => format!("{}: no bytes sent", end_words(end)),
        Event::ClosedEarly { received, needed } => format!(
            "{} after {}, before a full Hello (at least {needed} bytes)",
            end_words(end),
            count(*received, "byte")
        ),
        Event::TrailingBytes { after, extra } => {
            format!(
                "{} after the {after}-byte Hello (a device sends nothing after it)",
                count(*extra, "byte")
            )
        }
        Event::NotAHello { what } => format!("not a Hello: {what}"),
        Event::StartMissing => "began before the capture: its first bytes are not in it, \
                                so no Hello can be decoded"
            .into(),
        Event::Gap {
            offset,
            len,
            snaplen,
        } => format!(
            "capture lost {} at stream offset {offset}{}: nothing across them is decoded",
            count(*len, "byte"),
            if *snaplen {
                " (packets cut to the capture's snaplen: capture with -s 0)"
            } else {
                ""
            }
        ),
        Event::Conflict { offset, len } => format!(
            "conflict: two copies in the capture differ in {} from stream offset {offset}; \
             the first copy was decoded",
            count(*len, "byte")
        ),
        Event::Retransmitted { segments } => {
            format!(
                "{} (the same bytes again)",
                count(*segments, "retransmitted segment")
            )
        }
        Event::Evicted => {
            format!(
                "evicted while open: more than --max-flows connections, or {} MiB of their \
                 bytes, were held at once",
                super::flows::MAX_BUFFERED >> 20
            )
        }
    }
}

/// What a lease gave, in words: the suffix the firmware will look under, the DNS servers.
pub fn lease(step: &LeaseStep) -> String {
    let lease = &step.lease;
    let mut words = match (&lease.domain, lease.search.is_empty()) {
        (Some(domain), _) => format!("option 15 {domain}"),
        (None, false) => format!("search list {}", lease.search.join(", ")),
        (None, true) if lease.kind == "reply" => "no domain search list (option 24)".into(),
        (None, true) => "no option 15 (domain name)".into(),
    };
    if !lease.dns.is_empty() {
        let dns: Vec<String> = lease.dns.iter().map(ToString::to_string).collect();
        words += &format!(", DNS {}", dns.join(", "));
    }
    words
}

/// What a lookup got, in words.
pub fn lookup(lookup: &Lookup) -> String {
    let asked = if lookup.asked {
        ""
    } else {
        " (the query is not in the capture)"
    };
    match &lookup.answer {
        Some((_, answer)) if answer.rcode == "NOERROR" && !answer.addresses.is_empty() => {
            let addresses: Vec<String> = answer.addresses.iter().map(ToString::to_string).collect();
            format!("{}{asked}", addresses.join(", "))
        }
        Some((_, answer)) if answer.rcode == "NOERROR" => format!("no address{asked}"),
        Some((_, answer)) => format!("{}{asked}", answer.rcode),
        None if lookup.evicted => {
            "given up unanswered: more queries waited at once than --max-devices".into()
        }
        None => "no answer in the capture".into(),
    }
}

/// How a connect-back went: its outcome's JSON name, and a sentence.
pub fn connect_back(back: &ConnectBack) -> (&'static str, String) {
    let who = |by_device: bool| if by_device { "the device" } else { "the SCA" };
    match &back.tls {
        Tls::Alert {
            by_device,
            fatal,
            description,
        } => {
            let level = if *fatal { "a fatal" } else { "a warning" };
            (
                "alert",
                format!("{} sent {level} TLS alert: {description}", who(*by_device)),
            )
        }
        Tls::EncryptedAlert { by_device } => (
            "encrypted_alert",
            format!(
                "{} ended the handshake with an encrypted alert",
                who(*by_device)
            ),
        ),
        Tls::Completed { version } => ("completed", format!("{version} handshake completed")),
        Tls::Unfinished => (
            "unfinished",
            "the TLS handshake did not finish in the capture".into(),
        ),
        Tls::None if !back.answered => match back.end {
            End::Reset { by_server: true } => ("refused", "refused by the device (RST)".into()),
            _ => ("unanswered", "the device did not answer the SYN".into()),
        },
        Tls::None => ("no_tls", "no TLS record in the capture".into()),
    }
}

fn end_words(end: End) -> &'static str {
    match end {
        End::Fin => "closed",
        End::Reset { by_server: true } => "reset by the server",
        End::Reset { by_server: false } => "reset by the client",
        End::CaptureEnded => "still open when the capture ended",
        End::Evicted => "evicted",
        End::Reused => "replaced by a new connection",
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    #[test]
    fn times_past_year_9999_are_seconds() {
        let last = super::YEAR_10000 - Duration::from_millis(1);
        assert_eq!(super::time(last), "9999-12-31T23:59:59.999Z");
        assert_eq!(super::time(super::YEAR_10000), "253402300800 s after 1970");
        assert_eq!(
            super::time(Duration::MAX),
            format!("{} s after 1970", u64::MAX)
        );
    }
}
