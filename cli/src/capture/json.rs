//! The report for machines: one JSON object per connection, one per device, and a summary,
//! each on its own line. The same model and words as the text report.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::Summary;
use super::cause::Cause;
use super::diagnosis::of_device;
use super::events::{ConnectionEvents, Event, Report};
use super::hosts::Host;
use super::steps::Step;
use super::timeline::{Device, Latest};
use super::words::{self, end, kind, sentence, time};
use crate::activation::output::checks_json;

/// A connection's line: its addresses, times, end, and each event (a Hello with the keys of
/// `amt-hello decode`).
pub fn connection(c: &ConnectionEvents) -> String {
    #[derive(Serialize)]
    struct Line<'a> {
        connection: u64,
        client: String,
        server: String,
        first: String,
        last: String,
        handshake: bool,
        end: &'static str,
        bytes: u64,
        events: Vec<EventLine<'a>>,
    }
    let line = Line {
        connection: c.info.id,
        client: c.info.client.to_string(),
        server: c.info.server.to_string(),
        first: time(c.info.first),
        last: time(c.info.last),
        handshake: c.info.syn,
        end: end(c.info.end).0,
        bytes: c.bytes,
        events: c.events.iter().map(|e| event(e, c)).collect(),
    };
    serde_json::to_string(&line).unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string())
}

/// An event object: a Hello's as the judge serialized it, the others made here.
#[derive(Serialize)]
#[serde(untagged)]
enum EventLine<'a> {
    Made(&'a RawValue),
    Value(Value),
}

fn event<'a>(e: &'a Event, c: &ConnectionEvents) -> EventLine<'a> {
    if let Event::Hello(hello) = e {
        return match &hello.report {
            Report::Json(raw) => EventLine::Made(raw),
            Report::Text(_) => EventLine::Value(json!({ "event": kind(e).0 })),
        };
    }
    let mut object = Map::new();
    object.insert("event".into(), json!(kind(e).0));
    let fields = match e {
        Event::Hello(_) => json!({}),
        Event::HelloError { error } => json!({ "error": error }),
        Event::ClosedEarly { received, needed } => {
            json!({ "received": received, "needed": needed })
        }
        Event::TrailingBytes { after, extra } => json!({ "after": after, "extra": extra }),
        Event::NotAHello { what } => json!({ "what": what }),
        Event::Gap {
            offset,
            len,
            snaplen,
        } => json!({ "offset": offset, "len": len, "snaplen": snaplen }),
        Event::Conflict { offset, len } => json!({ "offset": offset, "len": len }),
        Event::Retransmitted { segments } => json!({ "segments": segments }),
        Event::Refused | Event::Unanswered | Event::StartMissing | Event::Evicted => json!({}),
    };
    if let Value::Object(fields) = fields {
        object.extend(fields);
    }
    object.insert("message".into(), json!(sentence(e, c.info.end)));
    EventLine::Value(Value::Object(object))
}

/// A device's line: its addresses, latest Hello, attempts and what the schedule model infers.
pub fn device(d: &Device, cause: &Cause) -> String {
    let diagnosis = of_device(d);
    let line = DeviceLine {
        device: d.uuid.to_string(),
        kind: d.kinds(),
        hellos: d.attempts.len() as u64 + d.more_attempts,
        addresses: d.addresses.iter().map(ToString::to_string).collect(),
        latest_hello: latest(&d.latest),
        attempts: d
            .attempts
            .iter()
            .map(|a| AttemptLine {
                time: time(a.time),
                retry_count: a.retry_count,
                client: a.client.to_string(),
                connection: a.connection,
            })
            .collect(),
        more_attempts: d.more_attempts,
        schedule: json!({
            "fits": diagnosis.fits(),
            "misfits": diagnosis.misfits.iter().map(|(at, count, expected)| {
                json!({ "time": time(*at), "retry_count": count, "expected": expected.map(time) })
            }).collect::<Vec<_>>(),
            "missed": diagnosis.missed,
            "restarts": diagnosis.restarts.iter().map(|(at, from, to)| {
                json!({ "time": time(*at), "from": from, "to": to })
            }).collect::<Vec<_>>(),
            "phase": diagnosis.phase,
            "window_opened": diagnosis.opened.map(|(at, _)| time(at)),
            "window_opened_exact": diagnosis.opened.map(|(_, exact)| exact),
            "next_hello": diagnosis.next.map(time),
            "window_closes_by": diagnosis.closes_by.map(time),
        }),
        evicted: d.evicted,
        diagnosis: diagnosis_of(cause),
    };
    serde_json::to_string(&line).unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string())
}

// A device's line is written from borrowed fields: a fleet's report has one per device, each
// listing every root the device trusts.
#[derive(Serialize)]
struct DeviceLine<'a> {
    device: String,
    kind: &'static str,
    hellos: u64,
    addresses: Vec<String>,
    latest_hello: LatestLine<'a>,
    attempts: Vec<AttemptLine>,
    more_attempts: u64,
    schedule: Value,
    evicted: bool,
    diagnosis: Value,
}

fn diagnosis_of(cause: &Cause) -> Value {
    json!({ "code": cause.code, "message": cause.message })
}

/// A step of the path: `{"dhcp": …}`, `{"dns": …}` or `{"connect_back": …}`.
pub fn step(step: &Step<'_>) -> String {
    let strings = |items: &[std::net::IpAddr]| -> Vec<String> {
        items.iter().map(ToString::to_string).collect()
    };
    let line = match step {
        Step::Lease(s) => json!({
            "dhcp": s.lease.kind,
            "time": time(s.time),
            "server": s.lease.server.to_string(),
            "mac": s.lease.mac,
            "address": s.lease.address.map(|a| a.to_string()),
            "domain": s.lease.domain,
            "search": s.lease.search,
            "host_name": s.lease.host_name,
            "dns": strings(&s.lease.dns),
            "message": words::lease(s),
        }),
        Step::Lookup(l) => json!({
            "dns": l.name,
            "time": time(l.time),
            "client": l.client.to_string(),
            "server": l.server.to_string(),
            "transport": if l.tcp { "tcp" } else { "udp" },
            "qtype": l.qtype,
            "asked": l.asked,
            "evicted": l.evicted,
            "answered": l.answer.as_ref().map(|(t, _)| time(*t)),
            "rcode": l.answer.as_ref().map(|(_, a)| a.rcode.clone()),
            "addresses": l.answer.as_ref().map(|(_, a)| strings(&a.addresses)),
            "message": words::lookup(l),
        }),
        Step::ConnectBack(c) => {
            let (outcome, message) = words::connect_back(c);
            json!({
                "connect_back": c.device.to_string(),
                "time": time(c.time),
                "sca": c.sca.to_string(),
                "answered": c.answered,
                "end": end(c.end).0,
                "tls": outcome,
                "message": message,
            })
        }
    };
    line.to_string()
}

/// An address that delivered no Hello, and why.
pub fn host(h: &Host, cause: &Cause) -> String {
    json!({ "host": h.address.to_string(), "mac": h.mac, "diagnosis": diagnosis_of(cause) })
        .to_string()
}

#[derive(Serialize)]
struct AttemptLine {
    time: String,
    retry_count: u32,
    client: String,
    connection: u64,
}

/// What a device's latest Hello says, with the keys of `amt-hello decode` (the activation
/// answer in words, and each chain file's checklist as `decode` gives it).
#[derive(Serialize)]
struct LatestLine<'a> {
    version: u16,
    admin_credentials_set: bool,
    pid: Option<&'a str>,
    cert_hashes: Vec<RootLine<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    activation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    activation_checks: Option<Value>,
}

#[derive(Serialize)]
struct RootLine<'a> {
    algorithm: &'a str,
    digest: &'a str,
    /// Only when a CA bundle named the roots (then `null` for a root not in it).
    #[serde(skip_serializing_if = "Option::is_none")]
    ca: Option<Option<&'a str>>,
}

fn latest(latest: &Latest) -> LatestLine<'_> {
    let roots = latest.roots.iter().map(|r| RootLine {
        algorithm: &r.algorithm,
        digest: &r.digest,
        ca: latest.named.then_some(r.ca.as_deref()),
    });
    LatestLine {
        version: latest.version,
        admin_credentials_set: !latest.localized_bios,
        pid: latest.pid.as_deref(),
        cert_hashes: roots.collect(),
        activation: latest.activation.as_deref(),
        activation_checks: latest.checks.as_deref().map(|c| checks_json(c)),
    }
}

/// The closing summary line.
pub fn summary(s: &Summary) -> String {
    json!({ "summary": {
        "files": s.files,
        "bad_files": s.bad_files,
        "records": s.records,
        "unreadable": s.unreadable,
        "segments": s.segments,
        "connections": s.connections,
        "evicted_flows": s.evicted_flows,
        "hellos": s.hellos,
        "devices": s.devices,
        "evicted_devices": s.evicted_devices,
        "leases": s.leases,
        "lookups": s.lookups,
        "connect_backs": s.connect_backs,
        "hosts": s.hosts,
        "evicted_hosts": s.evicted_hosts,
    }})
    .to_string()
}
