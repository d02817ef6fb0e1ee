//! One decoded Hello as a report: the JSON object (the library's `Serialize` keys, with `"ca"`
//! per entry and `"activation"` from the certificates) or a few lines for people.

use std::fmt::Write;

use amt_hello::HelloView;
use serde::Serialize;
use serde_json::value::{RawValue, to_raw_value};
use serde_json::{Value, json};

use crate::ca::{Activation, Verdict};

/// The notice a localized BIOS gets: setup cannot complete until credentials are set.
pub const LOCALIZED_BIOS: &str =
    "localized BIOS: new admin credentials must be set in the device before setup can complete";

/// The request line when `bytes` begin like an HTTP request: a browser or curl probing the
/// SCA's port (`listen` answers it, `capture` names it).
pub fn http_request_line(bytes: &[u8]) -> Option<String> {
    const METHODS: [&[u8]; 6] = [
        b"GET ",
        b"HEAD ",
        b"POST ",
        b"PUT ",
        b"OPTIONS ",
        b"CONNECT ",
    ];
    METHODS.iter().any(|m| bytes.starts_with(m)).then(|| {
        let line = bytes.split(|&b| b == b'\r' || b == b'\n').next();
        String::from_utf8_lossy(line.unwrap_or_default()).into_owned()
    })
}

/// One JSON object with the keys of `before`, then those of [`json()`], then those of `after`
/// (each a struct or map), serialized once: straight from the view unless `verdict` adds keys.
/// `listen` and `capture` write one per Hello, so no `Value` tree is built for them.
pub fn json_line(
    before: impl Serialize,
    hello: &HelloView<'_>,
    verdict: &Verdict,
    after: impl Serialize,
) -> Box<RawValue> {
    #[derive(Serialize)]
    struct Line<B, H, A> {
        #[serde(flatten)]
        before: B,
        #[serde(flatten)]
        hello: H,
        #[serde(flatten)]
        after: A,
    }
    let plain = verdict.names.is_none() && verdict.activation.is_none() && verdict.checks.is_none();
    let line = match plain {
        true => to_raw_value(&Line {
            before: &before,
            hello,
            after: &after,
        }),
        false => to_raw_value(&Line {
            before: &before,
            hello: json(hello, verdict),
            after: &after,
        }),
    };
    line.or_else(|e| to_raw_value(&json!({ "error": e.to_string() })))
        .unwrap_or_default()
}

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
    if let Some(checks) = &verdict.checks {
        let checks = crate::activation::output::checks_json(checks);
        object.insert("activation_checks".into(), checks);
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
    let checks = verdict.checks.as_deref().unwrap_or_default();
    for line in crate::activation::output::checks_lines(checks) {
        let _ = writeln!(out, "  {line}");
    }
    out.pop(); // the last newline: the caller writes lines
    out
}

/// The activation answer in words.
pub fn activation_text(activation: Option<&Activation>) -> String {
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

#[cfg(test)]
mod tests {
    use amt_hello::{HashAlgorithm, HelloView};
    use serde_json::json;

    use super::text;
    use crate::ca::{Activation, Verdict};

    /// A PKI Hello with two SHA-1 entries (digests 0x11… and 0x22…), retry count 1.
    fn pki() -> Vec<u8> {
        let mut bytes = vec![1, 0, 3, 0, 1, 0, 0, 0];
        bytes.extend([0u8; 16]);
        bytes.push(2);
        for fill in [0x11, 0x22] {
            bytes.extend([1, 20]);
            bytes.extend([fill; 20]);
        }
        bytes
    }

    #[test]
    fn json_adds_ca_names_and_activation_only_when_asked() {
        let bytes = pki();
        let hello = HelloView::parse(&bytes).unwrap();
        let plain = super::json(&hello, &Verdict::default());
        assert!(plain.get("activation").is_none());
        assert!(plain["cert_hashes"][0].get("ca").is_none());

        let verdict = Verdict {
            names: Some(vec![None, Some("Root B".into())]),
            activation: Some(Some(Activation {
                root: Some("Root B".into()),
                algorithm: HashAlgorithm::Sha1,
                digest: Some("22".repeat(20)),
                index: 1,
            })),
            checks: None,
        };
        let report = super::json(&hello, &verdict);
        assert_eq!(report["cert_hashes"][0]["ca"], json!(null));
        assert_eq!(report["cert_hashes"][1]["ca"], "Root B");
        assert_eq!(
            report["activation"],
            json!({"root": "Root B", "algorithm": "sha1", "digest": "22".repeat(20), "index": 1})
        );
        let none = Verdict {
            activation: Some(None),
            ..Verdict::default()
        };
        assert_eq!(super::json(&hello, &none)["activation"], json!(null));
    }

    #[test]
    fn text_lists_each_entry_and_the_activation_answer() {
        let bytes = pki();
        let hello = HelloView::parse(&bytes).unwrap();
        let verdict = Verdict {
            names: Some(vec![None, Some("Root B".into())]),
            activation: Some(None),
            checks: None,
        };
        let sha1 = |fill: &str| fill.repeat(20);
        assert_eq!(
            text(&hello, &verdict),
            format!(
                "PKI Hello (interface version 3), 69 bytes\n\
                 \x20 uuid:        00000000-0000-0000-0000-000000000000\n\
                 \x20 retry count: 1\n\
                 \x20 credentials: set\n\
                 \x20 trusted roots: 2\n\
                 \x20     0 sha1    {}  (not in the CA bundle)\n\
                 \x20     1 sha1    {}  Root B\n\
                 \x20 activation:  impossible: the device trusts none of the provisioning chains' roots",
                sha1("11"),
                sha1("22")
            )
        );
    }
}
