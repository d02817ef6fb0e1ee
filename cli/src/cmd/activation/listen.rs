//! `amt-hello activation --listen ADDR`: each device checked as it arrives. The SCA of
//! `amt-hello listen` serves the port, under its limits; its [`Config::describe`] hook makes
//! each decoded Hello's checklist, and the sink prints it when the connection ends cleanly.
//! Connections that bring no Hello are one line each on stderr.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use amt_hello::{HelloView, Policy};
use serde_json::value::{RawValue, to_raw_value};
use serde_json::{Map, Value, json};

use super::{Checklist, Format, Inputs};
use crate::activation::output::Device;
use crate::activation::time;
use crate::capture::words::count;
use crate::cmd::listen::{BACKLOG, serve};
use crate::out;
use crate::sca::{Config, Describe, Sink};

/// Serves `addr` until `exit_after` connections or a signal; the exit status.
pub(super) fn run(addr: SocketAddr, exit_after: Option<usize>, inputs: Inputs) -> ExitCode {
    let inputs = Arc::new(inputs);
    let describe: Describe = Arc::new(move |hello, peer| checklist(&inputs, hello, peer));
    let config = Config {
        policy: Policy::Lenient,
        describe: Some(describe),
        ..Config::default()
    };
    let tally = Arc::new(Tally::default());
    let sink: Sink = {
        let tally = Arc::clone(&tally);
        Arc::new(move |line| tally.print(&line))
    };
    let who = "amt-hello activation";
    let summary = match serve(who, addr, BACKLOG, exit_after, config, sink) {
        Ok(summary) => summary,
        Err(status) => return status,
    };
    let (checked, blocked) = (
        tally.checked.load(Ordering::Relaxed),
        tally.blocked.load(Ordering::Relaxed),
    );
    let connections = summary["summary"]["connections"].as_u64().unwrap_or(0);
    out::stderr(&format!(
        "{who}: {}, {} checked, {blocked} of them cannot be activated",
        count(connections, "connection"),
        count(checked, "Hello"),
    ));
    ExitCode::from(u8::from(blocked > 0))
}

/// The line the SCA hands the sink for a decoded Hello: `{"possible": …, "text": …}` in text,
/// the checklist object (which has `"possible"`) in JSON.
fn checklist(inputs: &Inputs, hello: &HelloView<'_>, peer: SocketAddr) -> Box<RawValue> {
    let now = time::now();
    let options = inputs.options(now);
    let assessment = inputs.provisioning.assess(hello, &options);
    let device = Device::of(hello);
    let heading = format!(
        "device {} from {peer} at {}",
        device.uuid,
        time::rfc3339(now)
    );
    let mut source = Map::new();
    source.insert("peer".into(), json!(peer.to_string()));
    let checklist = Checklist::new(
        &assessment,
        device,
        &options,
        inputs.format,
        (Some(heading), source),
    );
    let line = match inputs.format {
        Format::Text => to_raw_value(&json!({
            "possible": checklist.possible,
            "text": checklist.report,
        })),
        Format::Json => RawValue::from_string(checklist.report),
    };
    line.unwrap_or_default()
}

/// What the sink printed.
#[derive(Default)]
struct Tally {
    checked: AtomicU64,
    blocked: AtomicU64,
}

impl Tally {
    /// Prints a connection's line: a checklist on stdout, anything else on stderr.
    fn print(&self, line: &RawValue) {
        let value: Value = serde_json::from_str(line.get()).unwrap_or_default();
        let Some(possible) = value.get("possible").and_then(Value::as_bool) else {
            let peer = value["peer"].as_str().unwrap_or("?");
            let what = value
                .get("error")
                .or_else(|| value.get("http_probe"))
                .and_then(Value::as_str)
                .unwrap_or_else(|| line.get());
            out::stderr(&format!("amt-hello activation: {peer}: no Hello: {what}"));
            return;
        };
        self.checked.fetch_add(1, Ordering::Relaxed);
        self.blocked
            .fetch_add(u64::from(!possible), Ordering::Relaxed);
        match value.get("text").and_then(Value::as_str) {
            Some(text) => out::stdout(text),
            None => out::stdout(line.get()),
        }
    }
}
