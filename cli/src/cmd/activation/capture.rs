//! `amt-hello activation --capture FILE`: every device of a packet capture, checked as its
//! Hellos arrive in the capture. The capture pipeline of `amt-hello capture` reads the file; its
//! judge makes each Hello's checklist (the chain given as a provisioning chain), and this sink
//! prints one per device (by UUID, in the order their Hellos complete), and again when a
//! device's later Hello lists other roots.
//!
//! Memory: the pipeline's own bounds, and here a UUID and a 64-bit digest of the roots per
//! device seen.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::ExitCode;

use amt_hello::{Policy, Uuid};
use serde_json::{Map, json};

use super::{Checklist, Format, Inputs};
use crate::activation::output::Device;
use crate::activation::{Checks, Options, time};
use crate::ca::Certs;
use crate::capture::cause::Cause;
use crate::capture::events::{ConnectionEvents, Event, HelloFacts, Judge};
use crate::capture::hosts::Host;
use crate::capture::path::Watch;
use crate::capture::steps::Step;
use crate::capture::timeline::Device as Timeline;
use crate::capture::{Capture, Form, Sink, Summary, words};
use crate::cmd::capture::{MAX_DEVICES, MAX_FLOWS, SCA_PORT};
use crate::out;

/// Reads `file` and checks every device in it; the exit status.
pub(super) fn run(file: &Path, inputs: Inputs) -> ExitCode {
    // One time for the whole run: a device checked twice differs only where its roots do.
    let options = inputs.options(time::now());
    let checks = Checks {
        chains: vec![(inputs.file, inputs.provisioning)],
        dns_suffix: options.dns_suffix.clone(),
        me_version: options.me_version,
        at: Some(options.at),
    };
    let judge = Judge {
        policy: Policy::Lenient,
        certs: Certs {
            checks: Some(checks),
            ..Certs::default()
        },
        form: match inputs.format {
            Format::Text => Form::Text,
            Format::Json => Form::Json,
        },
    };
    let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let watch = Watch::default();
    let (flows, devices) = (size(MAX_FLOWS), size(MAX_DEVICES));
    let mut capture = Capture::new(vec![SCA_PORT], watch, flows, devices, judge);
    let mut sink = Checklists {
        format: inputs.format,
        options,
        seen: HashMap::new(),
        blocked: false,
    };
    let read = capture.file(file, &mut sink, |_| {});
    // The connections still open when the capture (or its readable part) ends hold Hellos too.
    capture.finish(&mut sink);
    if let Err(e) = read {
        let (file, offset) = (file.display(), e.offset);
        out::stderr(&format!("error: {file}: byte {offset}: {}", e.message));
        return ExitCode::from(2);
    }
    if sink.seen.is_empty() {
        out::stderr(&format!(
            "amt-hello activation: {}: no device's Hello to port {SCA_PORT}: nothing checked",
            file.display()
        ));
    }
    ExitCode::from(u8::from(sink.blocked))
}

/// Prints a device's checklist when its Hello is new, or lists other roots than before.
struct Checklists {
    format: Format,
    options: Options,
    /// Each device seen, and a digest of the roots its last checked Hello listed.
    seen: HashMap<Uuid, u64>,
    /// Whether some checklist says a device cannot be activated.
    blocked: bool,
}

impl Checklists {
    fn hello(&mut self, c: &ConnectionEvents, facts: &HelloFacts) {
        let Some((_, assessment)) = facts.checks.as_ref().and_then(|c| c.first()) else {
            return;
        };
        let mut hasher = DefaultHasher::new();
        facts.roots.hash(&mut hasher);
        let roots = hasher.finish();
        let again = match self.seen.entry(facts.uuid) {
            Entry::Vacant(entry) => {
                entry.insert(roots);
                false
            }
            Entry::Occupied(entry) if *entry.get() == roots => return,
            Entry::Occupied(mut entry) => {
                entry.insert(roots);
                true
            }
        };
        let device = Device {
            uuid: facts.uuid,
            trusted_roots: facts.roots.len(),
        };
        let (client, time) = (c.info.client, words::time(c.info.first));
        let again_text = match again {
            true => ": its Hello lists other roots than when it was last checked; checked again",
            false => "",
        };
        let heading = format!("device {} from {client} at {time}{again_text}", facts.uuid);
        let mut source = Map::new();
        source.insert("client".into(), json!(client.to_string()));
        source.insert("time".into(), json!(time));
        source.insert("roots_changed".into(), json!(again));
        let checklist = Checklist::new(
            assessment,
            device,
            &self.options,
            self.format,
            (Some(heading), source),
        );
        self.blocked |= !checklist.possible;
        out::stdout(&checklist.report);
    }
}

impl Sink for Checklists {
    fn connection(&mut self, c: &ConnectionEvents) {
        for event in &c.events {
            if let Event::Hello(facts) = event {
                self.hello(c, facts);
            }
        }
    }

    /// Devices were checked as their Hellos arrived.
    fn device(&mut self, _: &Timeline, _: &Cause) {}

    /// The provisioning path is `amt-hello capture`'s report, not a checklist.
    fn step(&mut self, _: &Step<'_>) {}

    fn host(&mut self, _: &Host, _: &Cause) {}

    fn summary(&mut self, _: &Summary) {}
}
