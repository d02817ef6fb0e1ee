//! The chain rule: at least a leaf and a root, one path from the leaf to a self-signed root,
//! every signature verified.

use crate::activation::chain::{Chain, Signature};
use crate::activation::finding::{Finding, Outcome, Rule};

pub fn check(chain: &Chain) -> Vec<Finding> {
    let f = |outcome, reason: String| Finding::new(Rule::Chain, outcome, reason);
    let mut out = Vec::new();
    let (Some(leaf), Some(root)) = (chain.leaf(), chain.root()) else {
        return vec![f(Outcome::Fail, "the file holds no certificate".into())];
    };
    let names: Vec<&str> = chain.certs.iter().map(|c| c.name.as_str()).collect();
    if chain.certs.len() < 2 {
        out.push(f(Outcome::Fail, "the chain must hold at least the leaf and its root; this one holds one certificate".into()).about(&leaf.name));
    } else if !root.self_issued() {
        out.push(f(Outcome::Fail, format!("the chain ends at \"{}\", whose issuer is not in the file: the root is missing", root.name)).about(&root.name));
    } else {
        out.push(f(
            Outcome::Pass,
            format!(
                "{} certificates from the leaf to a self-signed root: {}",
                names.len(),
                names.join(" → ")
            ),
        ));
    }
    if chain.leaves > 1 || !chain.strays.is_empty() {
        let strays: Vec<&str> = chain.strays.iter().map(|c| c.name.as_str()).collect();
        out.push(f(Outcome::Fail, format!("the file holds certificates outside the leaf's chain ({}): it cannot be ordered into one chain", strays.join(", "))));
    }
    if chain.reordered {
        out.push(f(Outcome::Warning, "the file lists the certificates out of order; they are sent leaf first, as ordered here".into()));
    }
    if chain.in_file > chain.certs.len() + chain.strays.len() {
        out.push(f(
            Outcome::Warning,
            "the file holds a certificate twice; it is sent once".into(),
        ));
    }
    let mut all_valid = true;
    for (i, (cert, signature)) in chain.certs.iter().zip(&chain.signatures).enumerate() {
        let by = chain.certs.get(i + 1).map_or("itself", |c| c.name.as_str());
        match signature {
            Signature::Valid => {}
            Signature::Invalid => {
                all_valid = false;
                out.push(
                    f(
                        Outcome::Fail,
                        format!("its signature does not verify with the key of \"{by}\""),
                    )
                    .about(&cert.name),
                );
            }
            Signature::Unchecked(why) => {
                all_valid = false;
                out.push(
                    f(
                        Outcome::NotChecked,
                        format!("its signature by \"{by}\" is not verified: {why}"),
                    )
                    .about(&cert.name),
                );
            }
            Signature::NoIssuer => all_valid = false,
        }
    }
    if all_valid {
        out.push(f(
            Outcome::Pass,
            "every signature verifies, the root's by its own key".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::cert::tests::cert;

    fn outcomes(chain: &Chain) -> Vec<Outcome> {
        check(chain).iter().map(|f| f.outcome).collect()
    }

    fn chain(certs: Vec<crate::activation::cert::Cert>, signatures: Vec<Signature>) -> Chain {
        Chain {
            certs,
            signatures,
            strays: vec![],
            leaves: 1,
            reordered: false,
            in_file: 2,
        }
    }

    #[test]
    fn leaf_and_self_signed_root_with_valid_signatures_pass() {
        let c = chain(
            vec![cert("leaf", "root"), cert("root", "root")],
            vec![Signature::Valid, Signature::Valid],
        );
        assert_eq!(outcomes(&c), [Outcome::Pass, Outcome::Pass]);
    }

    #[test]
    fn a_lone_certificate_a_missing_root_and_a_bad_signature_fail() {
        let c = chain(vec![cert("root", "root")], vec![Signature::Valid]);
        assert_eq!(outcomes(&c)[0], Outcome::Fail);
        let c = chain(
            vec![cert("leaf", "ca"), cert("ca", "root")],
            vec![Signature::Valid, Signature::NoIssuer],
        );
        assert!(check(&c)[0].reason.contains("root is missing"));
        let c = chain(
            vec![cert("leaf", "root"), cert("root", "root")],
            vec![Signature::Invalid, Signature::Valid],
        );
        let findings = check(&c);
        assert_eq!(findings[1].outcome, Outcome::Fail);
        assert_eq!(findings[1].cert.as_deref(), Some("leaf"));
    }

    #[test]
    fn out_of_order_is_a_warning_and_strays_fail() {
        let mut c = chain(
            vec![cert("leaf", "root"), cert("root", "root")],
            vec![Signature::Valid, Signature::Valid],
        );
        c.reordered = true;
        assert_eq!(
            outcomes(&c),
            [Outcome::Pass, Outcome::Warning, Outcome::Pass]
        );
        c.strays.push(cert("other", "other"));
        assert!(outcomes(&c).contains(&Outcome::Fail));
    }
}
