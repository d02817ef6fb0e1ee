//! The cause: from what the capture shows of one device's path (its leases, lookups, connections
//! to the SCA's port and the SCA's connect-backs), the first step that failed, as a stable code
//! and one sentence that says what to do. Pure: the tests give it paths.

use std::time::Duration;

use super::hosts::{HelloTry, Path, Try};
use super::tls::Tls;

/// The first step that failed, or how far the path got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    pub code: &'static str,
    pub message: String,
}

fn cause(code: &'static str, message: impl Into<String>) -> Cause {
    let message = message.into();
    Cause { code, message }
}

/// The cause for `path`, in a capture that ends at `end`; a connect-back is due `within` a
/// Hello.
pub fn of_path(path: &Path<'_>, end: Duration, within: Duration) -> Cause {
    let delivered = path
        .hellos
        .iter()
        .rev()
        .find(|h| h.outcome == Try::Delivered);
    if let Some(hello) = delivered {
        return after_hello(path, hello, end, within);
    }
    match path.hellos.last().map(|h| (h.outcome, h.server)) {
        Some((Try::Refused, server)) => {
            let message = format!(
                "nothing listens on {server}: the SCA is not running there, or the DNS record \
                 points to the wrong address"
            );
            return cause("sca_refused", message);
        }
        Some((Try::Unanswered, server)) => {
            let message =
                format!("the SYN to {server} went unanswered: a firewall, or a wrong record");
            return cause("sca_unanswered", message);
        }
        _ => {} // none, or the connection's own report says what went wrong
    }
    if let Some(lookup) = path.lookups.iter().rev().find(|l| l.resolved()) {
        let addresses = lookup.answer.iter().flat_map(|(_, a)| &a.addresses);
        let addresses: Vec<String> = addresses.map(ToString::to_string).collect();
        let resolved = format!("{} resolved to {}", lookup.name, addresses.join(", "));
        return match path.hellos.is_empty() {
            true => cause(
                "no_hello",
                format!("{resolved}, but no connection to the SCA's port followed in the capture"),
            ),
            false => cause(
                "hello_failed",
                format!("{resolved}; the connections to the SCA's port delivered no Hello"),
            ),
        };
    }
    let suffixes: Vec<&str> = path
        .leases
        .iter()
        .flat_map(|l| l.lease.suffixes())
        .collect();
    let bare = !path.lookups.is_empty() && path.lookups.iter().all(|l| !l.name.contains('.'));
    if bare || (!path.leases.is_empty() && suffixes.is_empty()) {
        let message = "the device has no DNS suffix to look up ProvisionServer under: set DHCP \
                       option 15 to the domain, or enter the SCA's address or FQDN in MEBx";
        return cause("no_dns_suffix", message);
    }
    if let Some(lookup) = path.lookups.last() {
        let how = match &lookup.answer {
            Some((_, answer)) if answer.rcode == "NOERROR" => "answered with no address".into(),
            Some((_, answer)) => format!("answered {}", answer.rcode),
            None => "had no answer in the capture".into(),
        };
        let name = &lookup.name;
        let message = format!("the lookup of {name} {how}: add a DNS record for {name}");
        return cause("lookup_failed", message);
    }
    if path.leases.is_empty() {
        return cause("nothing", "the capture shows nothing of this device's path");
    }
    let message = format!(
        "the device took a lease under {} but looked up no ProvisionServer in the capture: is \
         it in Setup Mode, with this network's settings?",
        suffixes.join(", ")
    );
    cause("no_lookup", message)
}

/// The cause once a Hello was delivered: the SCA's connect-back and its TLS outcome.
fn after_hello(path: &Path<'_>, hello: &HelloTry, end: Duration, within: Duration) -> Cause {
    let back = path
        .connect_backs
        .iter()
        .rev()
        .find(|c| c.time >= hello.time);
    let Some(back) = back else {
        return no_connect_back(path, hello, end, within);
    };
    let (device, check) = (back.device, "check the chain with `amt-hello activation`");
    match &back.tls {
        Tls::Alert {
            by_device: true,
            description,
            ..
        } => cause(
            "certificate_rejected",
            format!("the device rejected the SCA's certificate ({description}): {check}"),
        ),
        Tls::EncryptedAlert { by_device: true } => cause(
            "certificate_rejected",
            format!(
                "the device ended the TLS handshake with an encrypted alert, most likely \
                 rejecting the SCA's certificate: {check}"
            ),
        ),
        Tls::Alert { description, .. } => cause(
            "sca_aborted_tls",
            format!("the SCA ended the TLS handshake with {device} ({description}): see its log"),
        ),
        Tls::Completed { version } => cause(
            "connected",
            format!("the SCA connected back to {device} and the {version} handshake completed"),
        ),
        _ if !back.answered => cause(
            "connect_back_unanswered",
            format!(
                "the SCA's connection to {device} got no answer or a RST: the device's port is \
                 closed or filtered"
            ),
        ),
        _ => cause(
            "connect_back_unfinished",
            format!(
                "the SCA connected back to {device}; the TLS handshake did not finish in the capture"
            ),
        ),
    }
}

/// No connect-back after a delivered Hello: too soon to tell, or the SCA did not act (with
/// MeshCentral's known causes when they fit).
fn no_connect_back(path: &Path<'_>, hello: &HelloTry, end: Duration, within: Duration) -> Cause {
    let seconds = within.as_secs();
    if end.saturating_sub(hello.time) < within {
        let message = format!(
            "the Hello reached {}; the capture ends less than {seconds} s after it, too soon to \
             tell whether the SCA acts",
            hello.server
        );
        return cause("hello_delivered", message);
    }
    let mut message = format!(
        "the SCA received the Hello and did not act: no connection back to the device within \
         {seconds} s"
    );
    if path.devices_at_address > 1 {
        message += &format!(
            "; {} devices send Hellos from this address, and an SCA that tracks devices by \
             address (MeshCentral: \"device on this address already being activated\") ignores \
             all but one",
            path.devices_at_address
        );
    }
    if hello.segments > 1 {
        message += &format!(
            "; the Hello came in {} segments, and an SCA that reads only the first (MeshCentral) \
             sees a truncated Hello",
            hello.segments
        );
    }
    cause("no_connect_back", message)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::of_path;
    use crate::capture::dhcp::Lease;
    use crate::capture::dns::Answer;
    use crate::capture::flows::End;
    use crate::capture::hosts::{HelloTry, Path, Try};
    use crate::capture::steps::{ConnectBack, LeaseStep, Lookup};
    use crate::capture::tls::Tls;

    const SCA: &str = "192.0.2.1:9971";
    const MINUTE: Duration = Duration::from_secs(60);

    fn lease(domain: Option<&str>) -> LeaseStep {
        LeaseStep {
            time: Duration::ZERO,
            lease: Lease {
                kind: "ack",
                server: "192.0.2.2".parse().unwrap(),
                mac: None,
                address: Some("192.0.2.10".parse().unwrap()),
                domain: domain.map(Into::into),
                search: vec![],
                host_name: None,
                dns: vec![],
            },
        }
    }

    fn lookup(name: &str, answer: Option<(&str, &str)>) -> Lookup {
        Lookup {
            time: Duration::from_secs(1),
            client: "192.0.2.10:5000".parse().unwrap(),
            server: "192.0.2.53:53".parse().unwrap(),
            tcp: false,
            name: name.into(),
            qtype: "A".into(),
            answer: answer.map(|(rcode, address)| {
                let addresses = address.parse().into_iter().collect();
                (
                    Duration::from_secs(1),
                    Answer {
                        rcode: rcode.into(),
                        addresses,
                    },
                )
            }),
            asked: true,
            evicted: false,
        }
    }

    fn hello(outcome: Try, segments: u32) -> HelloTry {
        HelloTry {
            time: Duration::from_secs(2),
            server: SCA.parse().unwrap(),
            outcome,
            segments,
            device: None,
        }
    }

    fn back(answered: bool, tls: Tls) -> ConnectBack {
        ConnectBack {
            time: Duration::from_secs(3),
            sca: "192.0.2.1:50000".parse().unwrap(),
            device: "192.0.2.10:16993".parse().unwrap(),
            answered,
            end: End::Fin,
            tls,
        }
    }

    /// The cause of a path, the capture ending `end` after it began.
    fn code(path: &Path<'_>, end: Duration) -> (&'static str, String) {
        let cause = of_path(path, end, MINUTE);
        (cause.code, cause.message)
    }

    #[test]
    fn each_first_failing_step_has_its_code_and_sentence() {
        let (with_15, without_15) = (lease(Some("example.com")), lease(None));
        let bare = lookup("ProvisionServer", None);
        let nx = lookup("ProvisionServer.example.com", Some(("NXDOMAIN", "")));
        let servfail = lookup("ProvisionServer.example.com", Some(("SERVFAIL", "")));
        let silent = lookup("ProvisionServer.example.com", None);
        let found = lookup(
            "ProvisionServer.example.com",
            Some(("NOERROR", "192.0.2.1")),
        );
        let (refused, unanswered) = (hello(Try::Refused, 0), hello(Try::Unanswered, 0));
        let (one, three) = (hello(Try::Delivered, 1), hello(Try::Delivered, 3));
        let alert = back(
            true,
            Tls::Alert {
                by_device: true,
                fatal: true,
                description: "unknown_ca".into(),
            },
        );
        let encrypted = back(true, Tls::EncryptedAlert { by_device: true });
        let done = back(true, Tls::Completed { version: "TLS 1.2" });
        let closed = back(false, Tls::None);
        let check = |path: Path<'_>, end, want: &str, words: &str| {
            let (got, message) = code(&path, end);
            assert_eq!(got, want, "{path:?}");
            assert!(message.contains(words), "{want}: {message}");
        };
        let path = |leases, lookups, hellos, connect_backs| Path {
            leases,
            lookups,
            hellos,
            connect_backs,
            devices_at_address: 1,
        };
        let two = 2 * MINUTE;
        let option_15 =
            "set DHCP option 15 to the domain, or enter the SCA's address or FQDN in MEBx";
        check(
            path(vec![&without_15], vec![&bare], vec![], vec![]),
            MINUTE,
            "no_dns_suffix",
            option_15,
        );
        check(
            path(vec![&without_15], vec![], vec![], vec![]),
            MINUTE,
            "no_dns_suffix",
            "option 15",
        );
        let nx_words = "answered NXDOMAIN: add a DNS record for ProvisionServer.example.com";
        check(
            path(vec![&with_15], vec![&nx], vec![], vec![]),
            MINUTE,
            "lookup_failed",
            nx_words,
        );
        check(
            path(vec![], vec![&servfail], vec![], vec![]),
            MINUTE,
            "lookup_failed",
            "SERVFAIL",
        );
        let none = "had no answer in the capture";
        check(
            path(vec![], vec![&silent], vec![], vec![]),
            MINUTE,
            "lookup_failed",
            none,
        );
        check(
            path(vec![&with_15], vec![], vec![], vec![]),
            MINUTE,
            "no_lookup",
            "under example.com",
        );
        check(
            path(vec![], vec![&found], vec![], vec![]),
            MINUTE,
            "no_hello",
            "to 192.0.2.1,",
        );
        let listens = "nothing listens on 192.0.2.1:9971";
        check(
            path(vec![], vec![&found], vec![&refused], vec![]),
            MINUTE,
            "sca_refused",
            listens,
        );
        let syn = "the SYN to 192.0.2.1:9971 went unanswered: a firewall, or a wrong record";
        check(
            path(vec![], vec![], vec![&unanswered], vec![]),
            MINUTE,
            "sca_unanswered",
            syn,
        );
        let ignored = "the SCA received the Hello and did not act";
        check(
            path(vec![], vec![], vec![&one], vec![]),
            two,
            "no_connect_back",
            ignored,
        );
        let mut shared = path(vec![], vec![], vec![&three], vec![]);
        shared.devices_at_address = 2;
        let hint = "2 devices send Hellos from this address";
        check(shared, two, "no_connect_back", hint);
        let segments = "came in 3 segments";
        check(
            path(vec![], vec![], vec![&three], vec![]),
            two,
            "no_connect_back",
            segments,
        );
        let soon = "too soon to tell";
        check(
            path(vec![], vec![], vec![&one], vec![]),
            MINUTE,
            "hello_delivered",
            soon,
        );
        let rejected = "the device rejected the SCA's certificate (unknown_ca)";
        let alerted = path(vec![], vec![], vec![&one], vec![&alert]);
        check(alerted, MINUTE, "certificate_rejected", rejected);
        let sealed = path(vec![], vec![], vec![&one], vec![&encrypted]);
        check(sealed, MINUTE, "certificate_rejected", "encrypted alert");
        let completed = "TLS 1.2 handshake completed";
        check(
            path(vec![], vec![], vec![&one], vec![&done]),
            MINUTE,
            "connected",
            completed,
        );
        let closed_port = "192.0.2.10:16993";
        let refused_back = path(vec![], vec![], vec![&one], vec![&closed]);
        check(refused_back, MINUTE, "connect_back_unanswered", closed_port);
        check(Path::default(), MINUTE, "nothing", "shows nothing");
    }

    #[test]
    fn a_multi_segment_hello_alone_is_no_hint_when_it_is_one_segment() {
        let (one, start) = (hello(Try::Delivered, 1), Duration::ZERO);
        let (_, message) = code(
            &Path {
                hellos: vec![&one],
                ..Path::default()
            },
            start + 2 * MINUTE,
        );
        assert!(
            !message.contains("segments") && !message.contains("devices send"),
            "{message}"
        );
    }
}
