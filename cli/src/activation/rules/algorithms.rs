//! The algorithms rule: SHA-2 signatures and RSA keys of 2048 bits or more everywhere (ME 16
//! refuses the rest; earlier firmware accepts them, hence warnings there), an RSA leaf key
//! (RPS and rpc-go sign with RSA only), and at most 4 certificates.

use crate::activation::cert::{Key, SignatureHash};
use crate::activation::chain::Chain;
use crate::activation::finding::{Finding, Outcome, Rule};

/// The first firmware version that refuses SHA-1 and short RSA keys.
pub const STRICT_ME: u32 = 16;

/// The longest chain that is sure to fit the firmware's handshake.
pub const MAX_CERTS: usize = 4;

pub fn check(chain: &Chain, me_version: u32) -> Vec<Finding> {
    let f = |outcome, reason: String| Finding::new(Rule::Algorithms, outcome, reason);
    let strict = me_version >= STRICT_ME;
    let weak = if strict {
        Outcome::Fail
    } else {
        Outcome::Warning
    };
    let firmware = if strict {
        format!("ME {me_version} refuses it")
    } else {
        format!("ME {me_version} still accepts it, ME {STRICT_ME} does not")
    };
    let mut out = Vec::new();
    for cert in &chain.certs {
        match cert.signature.hash {
            SignatureHash::Sha2 => {}
            SignatureHash::Sha1 => out.push(
                f(
                    weak,
                    format!("signed with SHA-1 ({}): {firmware}", cert.signature.name),
                )
                .about(&cert.name),
            ),
            SignatureHash::Md5 => out.push(
                f(
                    Outcome::Fail,
                    "signed with MD5, which no firmware accepts".into(),
                )
                .about(&cert.name),
            ),
            SignatureHash::Unknown => out.push(
                f(
                    Outcome::Warning,
                    format!(
                        "signed with an algorithm this tool does not know ({})",
                        cert.signature.name
                    ),
                )
                .about(&cert.name),
            ),
        }
        if let Key::Rsa { bits, .. } = cert.key
            && bits < 2048
        {
            out.push(
                f(
                    weak,
                    format!("an RSA-{bits} key, under 2048 bits: {firmware}"),
                )
                .about(&cert.name),
            );
        }
    }
    if let Some(leaf) = chain.leaf()
        && !matches!(leaf.key, Key::Rsa { .. })
    {
        out.push(
            f(
                Outcome::Warning,
                format!(
                    "the leaf's key is {}, not RSA: Open AMT's RPS and rpc-go sign with RSA only",
                    leaf.key.describe()
                ),
            )
            .about(&leaf.name),
        );
    }
    if chain.certs.len() > MAX_CERTS {
        out.push(f(Outcome::Warning, format!("{} certificates: chains of more than {MAX_CERTS} may not fit the firmware's handshake", chain.certs.len())));
    }
    if out.is_empty() && !chain.certs.is_empty() {
        let keys: Vec<String> = chain.certs.iter().map(|c| c.key.describe()).collect();
        out.push(f(
            Outcome::Pass,
            format!(
                "every signature is SHA-2 and every RSA key has 2048 bits or more ({})",
                keys.join(", ")
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::cert::tests::cert;

    fn chain(n: usize) -> Chain {
        let mut chain = Chain::build(vec![]);
        chain.certs = (0..n)
            .map(|i| cert(&format!("c{i}"), &format!("c{}", i + 1)))
            .collect();
        chain
    }

    fn outcomes(chain: &Chain, me: u32) -> Vec<Outcome> {
        check(chain, me).iter().map(|f| f.outcome).collect()
    }

    #[test]
    fn sha1_and_short_rsa_fail_from_me_16_and_warn_before() {
        let mut c = chain(2);
        assert_eq!(outcomes(&c, 16), [Outcome::Pass]);
        c.certs[1].signature.hash = SignatureHash::Sha1;
        c.certs[0].key = Key::Rsa {
            bits: 1024,
            modulus: vec![],
            exponent: vec![],
        };
        assert_eq!(outcomes(&c, 16), [Outcome::Fail, Outcome::Fail]);
        assert_eq!(outcomes(&c, 15), [Outcome::Warning, Outcome::Warning]);
        assert_eq!(check(&c, 16)[0].cert.as_deref(), Some("c0"));
    }

    #[test]
    fn an_ec_leaf_and_five_certificates_are_warnings() {
        let mut c = chain(5);
        c.certs[0].key = Key::Ec {
            curve: "P-256".into(),
            point: vec![],
        };
        assert_eq!(outcomes(&c, 16), [Outcome::Warning, Outcome::Warning]);
        assert!(check(&c, 16)[0].reason.contains("ECDSA P-256"));
    }
}
