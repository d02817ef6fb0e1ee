//! The SCA's certificates for the provisioning decision: a CA bundle (a PEM file, or a directory
//! of them such as /etc/ssl/certs) and a provisioning chain whose last certificate is its root.
//! PEM and X.509 are parsed here, in the examples; the library only ever sees DER bytes.

use std::path::{Path, PathBuf};

use amt_hello::HelloView;
use amt_hello::trust::{Fingerprints, RootFingerprints};
use serde_json::{Value, json};

/// One certificate: its fingerprints and its subject (common name where it has one).
pub struct Cert {
    pub subject: String,
    pub fingerprints: Fingerprints,
}

impl RootFingerprints for Cert {
    fn fingerprint(&self, algorithm: amt_hello::HashAlgorithm) -> Option<&[u8]> {
        self.fingerprints.fingerprint(algorithm)
    }
}

/// The certificates of one PEM file, in order; an error names the file.
fn read_pem_file(path: &Path) -> Result<Vec<Cert>, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let blocks = pem::parse_many(&text).map_err(|e| format!("{}: bad PEM: {e}", path.display()))?;
    blocks
        .iter()
        .filter(|b| b.tag() == "CERTIFICATE")
        .map(|b| cert(b.contents()).map_err(|e| format!("{}: {e}", path.display())))
        .collect()
}

fn cert(der: &[u8]) -> Result<Cert, String> {
    let (_, parsed) = x509_parser::parse_x509_certificate(der)
        .map_err(|e| format!("not an X.509 certificate: {e}"))?;
    let subject = parsed.subject();
    let common_name = subject
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok());
    Ok(Cert {
        subject: common_name.map_or_else(|| subject.to_string(), str::to_string),
        fingerprints: Fingerprints::of_der(der),
    })
}

/// A CA bundle: every certificate of a PEM file, or of the PEM files of a directory (files
/// without a PEM certificate are passed over; none at all is an error).
pub fn read_bundle(path: &Path) -> Result<Vec<Cert>, String> {
    let mut certs = Vec::new();
    if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for file in files.iter().filter(|f| f.is_file()) {
            let bytes = std::fs::read(file).unwrap_or_default();
            if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
                certs.extend(read_pem_file(file)?);
            }
        }
    } else {
        certs = read_pem_file(path)?;
    }
    // A directory such as /etc/ssl/certs holds each root several times (links, the bundle).
    let mut seen = std::collections::HashSet::new();
    certs.retain(|c| {
        seen.insert(
            c.fingerprint(amt_hello::HashAlgorithm::Sha256)
                .map(<[u8]>::to_vec),
        )
    });
    if certs.is_empty() {
        return Err(format!("{}: no certificates", path.display()));
    }
    Ok(certs)
}

/// The root of a provisioning chain: the last certificate of the PEM file.
pub fn read_chain_root(path: &Path) -> Result<Cert, String> {
    read_pem_file(path)?
        .pop()
        .ok_or_else(|| format!("{}: no certificate in the chain", path.display()))
}

/// The certificates both CLIs take: a CA bundle (`--ca-bundle`) and provisioning chains
/// (`--provisioning-chain`, in order of preference), loaded before any Hello is read so that a
/// bad file is an error first. `None` where the option was not given.
pub type Loaded = (Option<Vec<Cert>>, Option<Vec<Cert>>);

/// Loads `--ca-bundle` and every `--provisioning-chain`; the error names the bad path.
pub fn load(ca_bundle: Option<&Path>, provisioning_chains: &[PathBuf]) -> Result<Loaded, String> {
    let bundle = ca_bundle.map(read_bundle).transpose()?;
    let roots = provisioning_chains
        .iter()
        .map(|path| read_chain_root(path))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((bundle, (!roots.is_empty()).then_some(roots)))
}

/// Adds `"ca"` to each entry of `report["cert_hashes"]` (with a bundle) and `"activation"`
/// (with provisioning-chain roots, in order of preference) for the Hello `hello`.
pub fn annotate(
    report: &mut Value,
    hello: &HelloView<'_>,
    bundle: Option<&[Cert]>,
    roots: Option<&[Cert]>,
) {
    if let Some(bundle) = bundle {
        let names = hello.cert_hashes().map(|entry| {
            let ca = bundle.iter().find(|c| entry.is_fingerprint_of(*c));
            ca.map_or(Value::Null, |c| json!(c.subject))
        });
        if let Some(entries) = report["cert_hashes"].as_array_mut() {
            for (entry, name) in entries.iter_mut().zip(names) {
                entry["ca"] = name;
            }
        }
    }
    if let Some(roots) = roots {
        report["activation"] = match hello.trusted_root(roots) {
            Some(found) => {
                let entry = hello.cert_hash(found.entry);
                json!({
                    "root": roots.get(found.root).map(|r| r.subject.as_str()),
                    "algorithm": found.algorithm.to_string(),
                    "digest": entry.map(|e| e.digest().to_string()),
                    "index": found.entry,
                })
            }
            None => Value::Null,
        };
    }
}
