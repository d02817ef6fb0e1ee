//! The private-key rule: the key given with the chain is the leaf's.

use crate::activation::cert::{Cert, Key};
use crate::activation::finding::{Finding, Outcome, Rule};
use crate::activation::key::PrivateKey;

pub fn check(leaf: &Cert, key: Option<&PrivateKey>) -> Vec<Finding> {
    let f = |outcome, reason: &str| {
        vec![Finding::new(Rule::PrivateKey, outcome, reason).about(&leaf.name)]
    };
    let Some(key) = key else {
        return f(
            Outcome::NotChecked,
            "no private key given (--key, or a key in the chain file)",
        );
    };
    let same = match (key, &leaf.key) {
        (
            PrivateKey::Rsa { modulus, exponent },
            Key::Rsa {
                modulus: m,
                exponent: e,
                ..
            },
        ) => Some(modulus == m && exponent == e),
        (PrivateKey::Ec { point: Some(point) }, Key::Ec { point: p, .. }) => Some(point == p),
        (PrivateKey::Ec { point: None }, Key::Ec { .. }) => None,
        (PrivateKey::Other(_), _) => None,
        _ => Some(false),
    };
    match same {
        Some(true) => f(Outcome::Pass, "the private key is the leaf's"),
        Some(false) => f(
            Outcome::Fail,
            "the private key is not the leaf's: the SCA could not complete the TLS handshake with it",
        ),
        None => f(
            Outcome::NotChecked,
            "this kind of private key is not compared here",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::cert::tests::cert;

    #[test]
    fn the_leafs_key_passes_another_fails() {
        let leaf = cert("leaf", "root");
        let Key::Rsa {
            modulus, exponent, ..
        } = leaf.key.clone()
        else {
            unreachable!()
        };
        let key = PrivateKey::Rsa {
            modulus,
            exponent: exponent.clone(),
        };
        assert_eq!(check(&leaf, Some(&key))[0].outcome, Outcome::Pass);
        let other = PrivateKey::Rsa {
            modulus: vec![7],
            exponent,
        };
        assert_eq!(check(&leaf, Some(&other))[0].outcome, Outcome::Fail);
        assert_eq!(
            check(
                &leaf,
                Some(&PrivateKey::Ec {
                    point: Some(vec![4])
                })
            )[0]
            .outcome,
            Outcome::Fail
        );
        assert_eq!(check(&leaf, None)[0].outcome, Outcome::NotChecked);
    }
}
