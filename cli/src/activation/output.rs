//! The checklist for people, and the same in JSON.

use std::fmt::Write;

use amt_hello::{HelloView, Uuid};
use serde_json::{Map, Value, json};

use super::time::rfc3339;
use super::{Assessment, Options};

/// What the checklist's heading says about the device: all it needs of the Hello, so that a
/// capture's device can be reported after its Hello's bytes are gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device {
    pub uuid: Uuid,
    /// How many roots its Hello lists (none in a PSK Hello).
    pub trusted_roots: usize,
}

impl Device {
    pub fn of(hello: &HelloView<'_>) -> Device {
        Device {
            uuid: hello.uuid(),
            trusted_roots: hello.cert_hashes().count(),
        }
    }
}

/// The checklist: what was checked, one line per finding, the verdict and what blocks it.
pub fn text(assessment: &Assessment, device: Device, options: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Can this chain activate device {}? ({} trusted roots; ME {} rules; DNS suffix {}; at {})",
        device.uuid,
        device.trusted_roots,
        options.me_version,
        options
            .dns_suffix
            .as_deref()
            .map_or("not given".into(), |s| format!("\"{s}\"")),
        rfc3339(options.at),
    );
    let _ = writeln!(out, "  chain: {}", assessment.chain.join(" → "));
    for f in &assessment.findings {
        let cert = f
            .cert
            .as_deref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<11}  {:<12}  {}{cert}",
            f.outcome.key(),
            f.rule.to_string(),
            f.reason
        );
    }
    let _ = write!(out, "Verdict: {}", assessment.verdict());
    for f in assessment.blocking() {
        let cert = f
            .cert
            .as_deref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        let _ = write!(out, "\n  - {}: {}{cert}", f.rule, f.reason);
    }
    out
}

/// The checklist as one JSON object: `possible`, `verdict`, `chain` and `checks`.
pub fn json(assessment: &Assessment) -> Value {
    let checks: Vec<Value> = assessment
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule.key(),
                "result": f.outcome.key(),
                "reason": f.reason,
                "certificate": f.cert,
            })
        })
        .collect();
    json!({
        "possible": assessment.possible(),
        "verdict": assessment.verdict(),
        "chain": assessment.chain,
        "checks": checks,
    })
}

/// The report of `amt-hello activation`: the device's UUID, then `source`'s keys (where the
/// Hello came from: a capture's client and time, a peer; none for `--hello`), the options,
/// then [`json()`]'s keys.
pub fn report(
    assessment: &Assessment,
    device: Device,
    source: Map<String, Value>,
    options: &Options,
) -> Value {
    let mut report = Map::new();
    report.insert("uuid".into(), json!(device.uuid.to_string()));
    report.extend(source);
    report.insert("dns_suffix".into(), json!(options.dns_suffix));
    report.insert("me_version".into(), json!(options.me_version));
    report.insert("at".into(), json!(rfc3339(options.at)));
    if let Value::Object(rest) = json(assessment) {
        report.extend(rest);
    }
    Value::Object(report)
}

/// Each chain file's checklist as `decode`, `listen` and `capture` report it in
/// `"activation_checks"`: [`json()`]'s keys and `"file"`.
pub fn checks_json(checks: &[(String, Assessment)]) -> Value {
    let checks = checks.iter().map(|(file, assessment)| {
        let mut value = json(assessment);
        if let Some(object) = value.as_object_mut() {
            object.insert("file".into(), json!(file));
        }
        value
    });
    Value::Array(checks.collect())
}

/// Each chain file's verdict in a line, and under it what blocks activation, a line each (the
/// text reports of `decode`, `listen` and `capture`; not indented).
pub fn checks_lines(checks: &[(String, Assessment)]) -> Vec<String> {
    let mut lines = Vec::new();
    for (file, assessment) in checks {
        lines.push(format!("{file}: {}", assessment.verdict()));
        for f in assessment.blocking() {
            lines.push(format!("  - {}: {}", f.rule, f.reason));
        }
    }
    lines
}
