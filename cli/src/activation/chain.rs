//! The chain as the device receives it: the certificates ordered leaf first by issuer and
//! subject, and each one's signature checked against its issuer's key. This is the one part of
//! the engine that does cryptography; the rules read its result.

use super::cert::{Cert, Key};

/// Whether a certificate's signature verifies with its issuer's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    Valid,
    Invalid,
    /// The verifier cannot tell (an algorithm or key size it does not take): why.
    Unchecked(String),
    /// The issuer is not in the file.
    NoIssuer,
}

/// The certificates of a file, ordered.
#[derive(Clone, Debug)]
pub struct Chain {
    /// Leaf first, then each certificate's issuer, up to the root (or the last issuer found).
    pub certs: Vec<Cert>,
    /// For each of `certs`, its signature by the next one (the root's by itself).
    pub signatures: Vec<Signature>,
    /// Certificates of the file that are not on the leaf's path (another chain, a stray root).
    pub strays: Vec<Cert>,
    /// Certificates that issue no other: more than one means the file holds several leaves.
    pub leaves: usize,
    /// Whether the file listed them in another order than leaf first.
    pub reordered: bool,
    /// How many certificates the file held (duplicates included).
    pub in_file: usize,
}

impl Chain {
    /// Orders `certs` (file order) and checks each signature.
    pub fn build(certs: Vec<Cert>) -> Chain {
        let in_file = certs.len();
        let mut unique: Vec<Cert> = Vec::new();
        for cert in certs {
            if !unique.iter().any(|c| c.der == cert.der) {
                unique.push(cert);
            }
        }
        if unique.is_empty() {
            return Chain {
                certs: vec![],
                signatures: vec![],
                strays: vec![],
                leaves: 0,
                reordered: false,
                in_file,
            };
        }
        // A leaf issues no other certificate of the file.
        let issues_another = |i: usize| {
            let c = &unique[i];
            unique
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && !other.self_issued() && other.issuer == c.subject)
        };
        let leaves: Vec<usize> = (0..unique.len()).filter(|&i| !issues_another(i)).collect();
        // A stray self-signed certificate issues nothing either: prefer a leaf that has an issuer.
        let start = (leaves.iter().copied())
            .find(|&i| !unique[i].self_issued())
            .or(leaves.first().copied())
            .unwrap_or(0);
        let mut path = vec![start];
        while !unique[*path.last().unwrap()].self_issued() {
            let current = &unique[*path.last().unwrap()];
            let next = (0..unique.len())
                .find(|j| !path.contains(j) && unique[*j].subject == current.issuer);
            match next {
                Some(j) => path.push(j),
                None => break,
            }
        }
        let reordered = path.iter().enumerate().any(|(position, &i)| position != i);
        let strays = (0..unique.len())
            .filter(|i| !path.contains(i))
            .map(|i| unique[i].clone())
            .collect();
        let certs: Vec<Cert> = path.iter().map(|&i| unique[i].clone()).collect();
        let signatures = (0..certs.len())
            .map(|i| {
                let cert = &certs[i];
                match certs.get(i + 1) {
                    Some(issuer) => verify(cert, issuer),
                    None if cert.self_issued() => verify(cert, cert),
                    None => Signature::NoIssuer,
                }
            })
            .collect();
        Chain {
            certs,
            signatures,
            strays,
            leaves: leaves.len().max(1),
            reordered,
            in_file,
        }
    }

    pub fn leaf(&self) -> Option<&Cert> {
        self.certs.first()
    }

    /// The last certificate of the path: the root when the chain is complete.
    pub fn root(&self) -> Option<&Cert> {
        self.certs.last()
    }
}

/// Verifies `cert`'s signature with `issuer`'s public key.
fn verify(cert: &Cert, issuer: &Cert) -> Signature {
    let parse = |der| x509_parser::parse_x509_certificate(der).map(|(_, c)| c);
    let (Ok(cert_x509), Ok(issuer_x509)) = (parse(&cert.der), parse(&issuer.der)) else {
        return Signature::Unchecked("the certificate cannot be parsed again".into());
    };
    match cert_x509.verify_signature(Some(issuer_x509.public_key())) {
        Ok(()) => Signature::Valid,
        Err(x509_parser::error::X509Error::SignatureUnsupportedAlgorithm) => Signature::Unchecked(
            format!("the verifier does not support {}", cert.signature.name),
        ),
        Err(_) => match issuer.key {
            // The verifier takes RSA keys of 2048 bits or more with SHA-2.
            Key::Rsa { bits, .. } if bits < 2048 => Signature::Unchecked(format!(
                "the verifier does not take RSA-{bits} keys with {}",
                cert.signature.name
            )),
            _ => Signature::Invalid,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::cert::tests::cert;

    fn names(certs: &[Cert]) -> Vec<&str> {
        certs.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn the_leaf_comes_first_whatever_the_file_order_and_strays_are_set_apart() {
        let file = vec![
            cert("stray", "stray"),
            cert("root", "root"),
            cert("leaf", "ca"),
            cert("ca", "root"),
            cert("leaf", "ca"),
        ];
        let chain = Chain::build(file);
        assert_eq!(names(&chain.certs), ["leaf", "ca", "root"]);
        assert_eq!(names(&chain.strays), ["stray"]);
        assert!(chain.reordered);
        assert_eq!((chain.leaves, chain.in_file), (2, 5));
        // Not real certificates: their signatures cannot be checked.
        assert!(matches!(chain.signatures[0], Signature::Unchecked(_)));
    }

    #[test]
    fn a_chain_without_its_root_ends_at_the_last_issuer_found() {
        let chain = Chain::build(vec![cert("leaf", "ca"), cert("ca", "root")]);
        assert_eq!(names(&chain.certs), ["leaf", "ca"]);
        assert_eq!(chain.signatures[1], Signature::NoIssuer);
        assert!(!chain.reordered);
        assert!(Chain::build(vec![]).leaf().is_none());
    }
}
