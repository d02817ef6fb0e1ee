//! The report for machines: one JSON object per connection, one per device, and a summary,
//! each on its own line. The same model and words as the text report.

use serde_json::{Map, Value, json};

use super::Summary;
use super::diagnosis::of_device;
use super::events::{ConnectionEvents, Event};
use super::timeline::{Device, Latest};
use super::words::{end, kind, sentence, time};

/// A connection: its addresses, times, end, and each event (a Hello with the keys of
/// `amt-hello decode`).
pub fn connection(c: &ConnectionEvents) -> Value {
    let events: Vec<Value> = c.events.iter().map(|e| event(e, c)).collect();
    json!({
        "connection": c.info.id,
        "client": c.info.client.to_string(),
        "server": c.info.server.to_string(),
        "first": time(c.info.first),
        "last": time(c.info.last),
        "handshake": c.info.syn,
        "end": end(c.info.end).0,
        "bytes": c.bytes,
        "events": events,
    })
}

fn event(e: &Event, c: &ConnectionEvents) -> Value {
    let mut object = Map::new();
    object.insert("event".into(), json!(kind(e).0));
    let fields = match e {
        Event::Hello(hello) => hello.json.clone(),
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
    if !matches!(e, Event::Hello(_)) {
        object.insert("message".into(), json!(sentence(e, c.info.end)));
    }
    Value::Object(object)
}

/// A device: its addresses, latest Hello, attempts and what the schedule model infers.
pub fn device(d: &Device) -> Value {
    let diagnosis = of_device(d);
    let attempts: Vec<Value> = d
        .attempts
        .iter()
        .map(|a| {
            json!({
                "time": time(a.time),
                "retry_count": a.retry_count,
                "client": a.client.to_string(),
                "connection": a.connection,
            })
        })
        .collect();
    let restarts: Vec<Value> = diagnosis
        .restarts
        .iter()
        .map(|(at, from, to)| json!({ "time": time(*at), "from": from, "to": to }))
        .collect();
    let misfits: Vec<Value> = diagnosis
        .misfits
        .iter()
        .map(|(at, count, expected)| {
            json!({ "time": time(*at), "retry_count": count, "expected": expected.map(time) })
        })
        .collect();
    json!({
        "device": d.uuid.to_string(),
        "kind": d.kinds(),
        "hellos": d.attempts.len() as u64 + d.more_attempts,
        "addresses": d.addresses.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "latest_hello": latest(&d.latest),
        "attempts": attempts,
        "more_attempts": d.more_attempts,
        "schedule": {
            "fits": diagnosis.fits(),
            "misfits": misfits,
            "missed": diagnosis.missed,
            "restarts": restarts,
            "phase": diagnosis.phase,
            "window_opened": diagnosis.opened.map(|(at, _)| time(at)),
            "window_opened_exact": diagnosis.opened.map(|(_, exact)| exact),
            "next_hello": diagnosis.next.map(time),
            "window_closes_by": diagnosis.closes_by.map(time),
        },
        "evicted": d.evicted,
    })
}

/// What a device's latest Hello says, with the keys of `amt-hello decode` (the activation
/// answer in words).
fn latest(latest: &Latest) -> Value {
    let roots: Vec<Value> = latest
        .roots
        .iter()
        .map(|r| match latest.named {
            true => json!({ "algorithm": r.algorithm, "digest": r.digest, "ca": r.ca }),
            false => json!({ "algorithm": r.algorithm, "digest": r.digest }),
        })
        .collect();
    let mut object = json!({
        "version": latest.version,
        "admin_credentials_set": !latest.localized_bios,
        "pid": latest.pid,
        "cert_hashes": roots,
    });
    if let (Some(answer), Some(object)) = (&latest.activation, object.as_object_mut()) {
        object.insert("activation".into(), json!(answer));
    }
    object
}

/// The closing summary object.
pub fn summary(s: &Summary) -> Value {
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
    }})
}
