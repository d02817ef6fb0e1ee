//! The `capture` target's check, one source for the fuzz target and the stable replay of its
//! corpus (`cli/tests/fuzz_corpus.rs`, which includes this file by path): any bytes as a capture
//! file through the whole `amt-hello capture` pipeline (records, packets, reassembly, events,
//! timelines, diagnosis, the DHCP, DNS and TLS readers of the path, the report in each form): no
//! panic, and memory bounded by the small flow and device tables given here (`-rss_limit_mb` in
//! CI).

use amt_hello::Policy;
use amt_hello_cli::ca::Certs;
use amt_hello_cli::capture::cause::Cause;
use amt_hello_cli::capture::events::{ConnectionEvents, Judge};
use amt_hello_cli::capture::hosts::Host;
use amt_hello_cli::capture::path::Watch;
use amt_hello_cli::capture::steps::Step;
use amt_hello_cli::capture::text::Style;
use amt_hello_cli::capture::timeline::Device;
use amt_hello_cli::capture::{Capture, Form, Sink, Summary, json, text};

/// Renders everything (both formats) and drops it.
struct Render;

impl Sink for Render {
    fn connection(&mut self, c: &ConnectionEvents) {
        let _ = (
            json::connection(c),
            text::connection(c, Style { colour: false }),
        );
    }
    fn step(&mut self, s: &Step) {
        let _ = (json::step(s), text::step(s));
    }
    fn device(&mut self, d: &Device, cause: &Cause) {
        let _ = (
            json::device(d, cause),
            text::device(d, cause, Style { colour: false }),
        );
    }
    fn host(&mut self, h: &Host, cause: &Cause) {
        let _ = (
            json::host(h, cause),
            text::host(h, cause, Style { colour: false }),
        );
    }
    fn summary(&mut self, s: &Summary) {
        let _ = (json::summary(s), text::summary(s));
    }
}

/// `capture`: the bytes as a capture file, reported in both forms.
pub fn capture(data: &[u8]) {
    for form in [Form::Text, Form::Json] {
        let judge = Judge {
            policy: Policy::Lenient,
            certs: Certs::default(),
            form,
        };
        let mut capture = Capture::new(vec![9971, 80], Watch::default(), 16, 16, judge);
        let _ = capture.bytes(data, &mut Render);
        capture.finish(&mut Render);
    }
}
