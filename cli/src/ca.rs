//! The SCA's certificates for the provisioning decision: a CA bundle (a PEM file, or a directory
//! of them such as /etc/ssl/certs) and provisioning chains whose last certificates are their
//! roots. PEM and X.509 are parsed here; the library only ever sees DER bytes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use amt_hello::trust::{Fingerprints, RootFingerprints};
use amt_hello::{HashAlgorithm, HelloView};

use crate::activation::{Assessment, Checks};

/// One certificate: its fingerprints and its subject (common name where it has one).
pub struct Cert {
    pub subject: String,
    pub fingerprints: Fingerprints,
}

impl RootFingerprints for Cert {
    fn fingerprint(&self, algorithm: HashAlgorithm) -> Option<&[u8]> {
        self.fingerprints.fingerprint(algorithm)
    }
}

/// The certificates `--ca-bundle` and `--provisioning-chain` name, loaded before any Hello is
/// read so that a bad file is an error first. `None` where the option was not given.
#[derive(Default)]
pub struct Certs {
    /// The CA bundle: names each certificate-hash entry of a Hello.
    pub bundle: Option<Vec<Cert>>,
    /// The provisioning chains' roots, in order of preference: which one the device trusts.
    pub roots: Option<Vec<Cert>>,
    /// The provisioning chains in full: every activation rule, for each device.
    pub checks: Option<Checks>,
}

/// What the certificates say about one Hello.
#[derive(Debug, Default, PartialEq)]
pub struct Verdict {
    /// With a bundle: for each certificate-hash entry, in order, the subject of the bundle's
    /// certificate it is the fingerprint of, if any.
    pub names: Option<Vec<Option<String>>>,
    /// With provisioning chains: the entry that trusts one of their roots (`Some(None)`: none).
    pub activation: Option<Option<Activation>>,
    /// With provisioning chains: each chain file and its full checklist for this device.
    pub checks: Option<Vec<(String, Assessment)>>,
}

/// The device entry that trusts a provisioning chain's root.
#[derive(Debug, PartialEq)]
pub struct Activation {
    /// The root's subject.
    pub root: Option<String>,
    pub algorithm: HashAlgorithm,
    /// The entry's digest, in hex.
    pub digest: Option<String>,
    /// The entry's index in the Hello.
    pub index: usize,
}

impl Certs {
    /// Loads `--ca-bundle` and every `--provisioning-chain`; the error names the bad path.
    pub fn load(ca_bundle: Option<&Path>, provisioning_chains: &[PathBuf]) -> Result<Self, String> {
        let bundle = ca_bundle.map(read_bundle).transpose()?;
        let roots = provisioning_chains
            .iter()
            .map(|path| read_chain_root(path))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Certs {
            bundle,
            roots: (!roots.is_empty()).then_some(roots),
            checks: None,
        })
    }

    /// With provisioning chains, loads them in full for the activation rules (the device's DNS
    /// suffix and firmware version are not in its Hello); the error names the bad file.
    pub fn with_checks(
        mut self,
        provisioning_chains: &[PathBuf],
        dns_suffix: Option<String>,
        me_version: u32,
    ) -> Result<Self, String> {
        let checks = Checks::load(provisioning_chains, dns_suffix, me_version)?;
        // Only chains with a leaf are checked in full; roots alone keep the report as it was.
        self.checks = (!checks.chains.is_empty()).then_some(checks);
        Ok(self)
    }

    /// Names the entries of `hello` from the bundle and finds the entry that trusts a root.
    pub fn verdict(&self, hello: &HelloView<'_>) -> Verdict {
        let names = self.bundle.as_ref().map(|bundle| {
            let name = |entry: amt_hello::CertHashView<'_>| {
                let ca = bundle.iter().find(|c| entry.is_fingerprint_of(*c));
                ca.map(|c| c.subject.clone())
            };
            hello.cert_hashes().map(name).collect()
        });
        let activation = self.roots.as_ref().map(|roots| {
            hello.trusted_root(roots).map(|found| Activation {
                root: roots.get(found.root).map(|r| r.subject.clone()),
                algorithm: found.algorithm,
                digest: hello.cert_hash(found.entry).map(|e| e.digest().to_string()),
                index: found.entry,
            })
        });
        let checks = self.checks.as_ref().map(|checks| checks.assess(hello));
        Verdict {
            names,
            activation,
            checks,
        }
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
    let mut seen = HashSet::new();
    certs.retain(|c| seen.insert(c.fingerprint(HashAlgorithm::Sha256).map(<[u8]>::to_vec)));
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
