//! What the rules need to know about one certificate, read once from its DER bytes: names,
//! usages, validity, signature and key algorithms. The rules never see X.509 themselves, so
//! their tests build these facts directly.

use amt_hello::trust::Fingerprints;
use x509_parser::prelude::{GeneralName, X509Certificate};
use x509_parser::public_key::PublicKey;

/// The Intel AMT provisioning OID, in a leaf's Extended Key Usage.
pub const AMT_OID: &str = "2.16.840.1.113741.1.2.3";

/// The Subject OU that marks a leaf for AMT provisioning when the OID is absent (exactly so).
pub const AMT_OU: &str = "Intel(R) Client Setup Certificate";

/// One certificate of the chain.
#[derive(Clone, Debug)]
pub struct Cert {
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// How the checklist names it: the subject's CN, or the whole subject without one.
    pub name: String,
    /// Subject and issuer, raw DER: the chain is ordered by comparing them.
    pub subject: Vec<u8>,
    pub issuer: Vec<u8>,
    pub common_names: Vec<String>,
    pub organizations: Vec<String>,
    pub org_units: Vec<String>,
    /// The DNS names of the Subject Alternative Name extension.
    pub dns_names: Vec<String>,
    /// The Extended Key Usage extension, if the certificate has one.
    pub eku: Option<Eku>,
    /// Validity, in seconds since the Unix epoch.
    pub not_before: i64,
    pub not_after: i64,
    pub signature: SignatureAlgorithm,
    pub key: Key,
    pub fingerprints: Fingerprints,
}

/// The usages of an Extended Key Usage extension that matter here.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Eku {
    pub amt: bool,
    pub server_auth: bool,
}

/// The hash of a certificate's signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureHash {
    Md5,
    Sha1,
    /// SHA-224/256/384/512, or a scheme with its own (Ed25519).
    Sha2,
    Unknown,
}

/// A certificate's signature algorithm: its hash and its name for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    pub hash: SignatureHash,
    pub name: String,
}

/// A certificate's public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Rsa {
        bits: usize,
        modulus: Vec<u8>,
        exponent: Vec<u8>,
    },
    /// An elliptic-curve key: the curve's name and the encoded point.
    Ec {
        curve: String,
        point: Vec<u8>,
    },
    Other(String),
}

impl Key {
    /// "RSA-2048", "ECDSA P-256", …
    pub fn describe(&self) -> String {
        match self {
            Key::Rsa { bits, .. } => format!("RSA-{bits}"),
            Key::Ec { curve, .. } => format!("ECDSA {curve}"),
            Key::Other(name) => name.clone(),
        }
    }
}

impl Cert {
    /// Reads a certificate; the error says why the bytes are none.
    pub fn from_der(der: &[u8]) -> Result<Cert, String> {
        let (rest, x509) = x509_parser::parse_x509_certificate(der)
            .map_err(|e| format!("not an X.509 certificate: {e}"))?;
        if !rest.is_empty() {
            return Err(format!("{} bytes after the certificate", rest.len()));
        }
        Ok(Cert::from_x509(der, &x509))
    }

    fn from_x509(der: &[u8], x509: &X509Certificate<'_>) -> Cert {
        let strings =
            |values: &mut dyn Iterator<Item = &x509_parser::x509::AttributeTypeAndValue<'_>>| {
                values
                    .filter_map(|v| v.as_str().ok().map(str::to_string))
                    .collect::<Vec<_>>()
            };
        let subject = x509.subject();
        let common_names = strings(&mut subject.iter_common_name());
        let eku = match x509.extended_key_usage() {
            Ok(Some(ext)) => Some(Eku {
                amt: ext
                    .value
                    .other
                    .iter()
                    .any(|oid| oid.to_id_string() == AMT_OID),
                server_auth: ext.value.server_auth,
            }),
            _ => None,
        };
        let dns_names = match x509.subject_alternative_name() {
            Ok(Some(san)) => (san.value.general_names.iter())
                .filter_map(|n| match n {
                    GeneralName::DNSName(name) => Some(name.to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Cert {
            der: der.to_vec(),
            name: common_names
                .first()
                .cloned()
                .unwrap_or_else(|| subject.to_string()),
            subject: subject.as_raw().to_vec(),
            issuer: x509.issuer().as_raw().to_vec(),
            organizations: strings(&mut subject.iter_organization()),
            org_units: strings(&mut subject.iter_organizational_unit()),
            common_names,
            dns_names,
            eku,
            not_before: x509.validity().not_before.timestamp(),
            not_after: x509.validity().not_after.timestamp(),
            signature: signature_algorithm(&x509.signature_algorithm.algorithm.to_id_string()),
            key: key(x509),
            fingerprints: Fingerprints::of_der(der),
        }
    }

    /// Whether the subject is its own issuer (a root, or a self-issued certificate).
    pub fn self_issued(&self) -> bool {
        self.subject == self.issuer
    }
}

fn signature_algorithm(oid: &str) -> SignatureAlgorithm {
    let (hash, name) = match oid {
        "1.2.840.113549.1.1.4" => (SignatureHash::Md5, "md5WithRSAEncryption"),
        "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => (SignatureHash::Sha1, "sha1WithRSAEncryption"),
        "1.2.840.10045.4.1" => (SignatureHash::Sha1, "ecdsa-with-SHA1"),
        "1.2.840.10040.4.3" => (SignatureHash::Sha1, "dsa-with-SHA1"),
        "1.2.840.113549.1.1.14" => (SignatureHash::Sha2, "sha224WithRSAEncryption"),
        "1.2.840.113549.1.1.11" => (SignatureHash::Sha2, "sha256WithRSAEncryption"),
        "1.2.840.113549.1.1.12" => (SignatureHash::Sha2, "sha384WithRSAEncryption"),
        "1.2.840.113549.1.1.13" => (SignatureHash::Sha2, "sha512WithRSAEncryption"),
        "1.2.840.113549.1.1.10" => (SignatureHash::Sha2, "RSASSA-PSS"),
        "1.2.840.10045.4.3.2" => (SignatureHash::Sha2, "ecdsa-with-SHA256"),
        "1.2.840.10045.4.3.3" => (SignatureHash::Sha2, "ecdsa-with-SHA384"),
        "1.2.840.10045.4.3.4" => (SignatureHash::Sha2, "ecdsa-with-SHA512"),
        "1.3.101.112" => (SignatureHash::Sha2, "Ed25519"),
        other => (SignatureHash::Unknown, other),
    };
    SignatureAlgorithm {
        hash,
        name: name.to_string(),
    }
}

fn key(x509: &X509Certificate<'_>) -> Key {
    let spki = x509.public_key();
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => Key::Rsa {
            bits: rsa.key_size(),
            modulus: strip_zeros(rsa.modulus).to_vec(),
            exponent: strip_zeros(rsa.exponent).to_vec(),
        },
        Ok(PublicKey::EC(_)) => {
            let curve = spki.algorithm.parameters.as_ref();
            let curve = curve
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string());
            let curve = match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => "P-256".to_string(),
                Some("1.3.132.0.34") => "P-384".to_string(),
                Some("1.3.132.0.35") => "P-521".to_string(),
                Some(other) => other.to_string(),
                None => "unknown curve".to_string(),
            };
            Key::Ec {
                curve,
                point: spki.subject_public_key.data.to_vec(),
            }
        }
        _ => match spki.algorithm.algorithm.to_id_string().as_str() {
            "1.3.101.112" => Key::Other("Ed25519".into()),
            other => Key::Other(format!("key algorithm {other}")),
        },
    }
}

/// An unsigned big-endian integer without its leading zero bytes.
pub fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A certificate the rules accept: RSA-2048, SHA-256, the AMT OID and serverAuth, valid
    /// from the epoch for 100 years, named `name` (CN and subject) and issued by `issuer`.
    pub fn cert(name: &str, issuer: &str) -> Cert {
        Cert {
            der: name.as_bytes().to_vec(),
            name: name.into(),
            subject: name.as_bytes().to_vec(),
            issuer: issuer.as_bytes().to_vec(),
            common_names: vec![name.into()],
            organizations: vec![],
            org_units: vec![],
            dns_names: vec![],
            eku: Some(Eku {
                amt: true,
                server_auth: true,
            }),
            not_before: 0,
            not_after: 100 * 365 * 86_400,
            signature: signature_algorithm("1.2.840.113549.1.1.11"),
            key: Key::Rsa {
                bits: 2048,
                modulus: vec![0xc0; 256],
                exponent: vec![1, 0, 1],
            },
            fingerprints: Fingerprints::of_der(name.as_bytes()),
        }
    }

    #[test]
    fn signature_algorithms_are_named_with_their_hash() {
        assert_eq!(
            signature_algorithm("1.2.840.113549.1.1.5").hash,
            SignatureHash::Sha1
        );
        assert_eq!(
            signature_algorithm("1.2.840.10045.4.3.3").hash,
            SignatureHash::Sha2
        );
        assert_eq!(signature_algorithm("1.2.3").hash, SignatureHash::Unknown);
        assert_eq!(strip_zeros(&[0, 0, 1, 0]), &[1, 0]);
    }
}
