//! The checklist for people, and the same in JSON.

use std::fmt::Write;

use amt_hello::HelloView;
use serde_json::{Value, json};

use super::time::rfc3339;
use super::{Assessment, Options};

/// The checklist: what was checked, one line per finding, the verdict and what blocks it.
pub fn text(assessment: &Assessment, hello: &HelloView<'_>, options: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Can this chain activate device {}? ({} trusted roots; ME {} rules; DNS suffix {}; at {})",
        hello.uuid(),
        hello.cert_hashes().count(),
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

/// The report of `amt-hello activation`: the device, the options, then [`json()`]'s keys.
pub fn report(assessment: &Assessment, hello: &HelloView<'_>, options: &Options) -> Value {
    let mut report = json!({
        "uuid": hello.uuid().to_string(),
        "dns_suffix": options.dns_suffix,
        "me_version": options.me_version,
        "at": rfc3339(options.at),
    });
    if let (Some(object), Value::Object(rest)) = (report.as_object_mut(), json(assessment)) {
        object.extend(rest);
    }
    report
}
