//! One decoded Hello as a report: the JSON object (the library's `Serialize` keys, with `"ca"`
//! per entry and `"activation"` from the certificates) or a few lines for people.

use std::fmt::Write;

use amt_hello::HelloView;
use serde_json::{Value, json};

use crate::ca::{Activation, Verdict};

/// The notice a localized BIOS gets: setup cannot complete until credentials are set.
pub const LOCALIZED_BIOS: &str =
    "localized BIOS: new admin credentials must be set in the device before setup can complete";

/// The Hello as one JSON object: the crate's own `Serialize` (the keys of the shared test
/// vectors), then `"ca"` in each certificate-hash entry and `"activation"` where `verdict` has
/// them.
pub fn json(hello: &HelloView<'_>, verdict: &Verdict) -> Value {
    let mut report =
        serde_json::to_value(hello).unwrap_or_else(|e| json!({ "error": e.to_string() }));
    let Some(object) = report.as_object_mut() else {
        return report;
    };
    if let Some(names) = &verdict.names {
        let entries = object.get_mut("cert_hashes").and_then(Value::as_array_mut);
        for (entry, name) in entries.into_iter().flatten().zip(names) {
            if let Some(entry) = entry.as_object_mut() {
                entry.insert("ca".into(), json!(name));
            }
        }
    }
    if let Some(activation) = &verdict.activation {
        let value = activation.as_ref().map_or(Value::Null, |a| {
            json!({
                "root": a.root,
                "algorithm": a.algorithm.to_string(),
                "digest": a.digest,
                "index": a.index,
            })
        });
        object.insert("activation".into(), value);
    }
    report
}

/// The Hello in a few lines for people: what it is, then one indented line per field.
pub fn text(hello: &HelloView<'_>, verdict: &Verdict) -> String {
    let mut out = String::new();
    let kind = if hello.pid().is_some() { "PSK" } else { "PKI" };
    let _ = writeln!(
        out,
        "{kind} Hello (interface version {}), {} bytes",
        hello.version().to_wire(),
        hello.encoded_len()
    );
    let _ = writeln!(out, "  uuid:        {}", hello.uuid());
    let _ = writeln!(out, "  retry count: {}", hello.retry_count());
    let credentials = hello.admin_credentials();
    let credentials = if credentials.must_set_new_credentials() {
        LOCALIZED_BIOS
    } else {
        "set"
    };
    let _ = writeln!(out, "  credentials: {credentials}");
    if let Some(pid) = hello.pid() {
        let _ = writeln!(out, "  pid:         {pid}");
    } else {
        let _ = writeln!(out, "  trusted roots: {}", hello.cert_hashes().count());
        for (i, entry) in hello.cert_hashes().enumerate() {
            let name = match verdict.names.as_ref().map(|n| n.get(i).cloned().flatten()) {
                Some(Some(name)) => format!("  {name}"),
                Some(None) => "  (not in the CA bundle)".into(),
                None => String::new(),
            };
            let (algorithm, digest) = (entry.algorithm(), entry.digest());
            let _ = writeln!(out, "    {i:>3} {algorithm:<7} {digest}{name}");
        }
    }
    if let Some(activation) = &verdict.activation {
        let _ = writeln!(
            out,
            "  activation:  {}",
            activation_text(activation.as_ref())
        );
    }
    out.pop(); // the last newline: the caller writes lines
    out
}

fn activation_text(activation: Option<&Activation>) -> String {
    match activation {
        Some(a) => format!(
            "possible: the device trusts {} (entry {}, {})",
            a.root.as_deref().unwrap_or("the root"),
            a.index,
            a.algorithm
        ),
        None => "impossible: the device trusts none of the provisioning chains' roots".into(),
    }
}
