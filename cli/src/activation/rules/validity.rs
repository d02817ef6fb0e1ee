//! The validity rule: every certificate of the chain is valid at the time of activation.

use crate::activation::chain::Chain;
use crate::activation::finding::{Finding, Outcome, Rule};
use crate::activation::time::rfc3339;

pub fn check(chain: &Chain, at: i64) -> Vec<Finding> {
    let f = |outcome, reason: String| Finding::new(Rule::Validity, outcome, reason);
    let mut out = Vec::new();
    for cert in &chain.certs {
        if at < cert.not_before {
            out.push(
                f(
                    Outcome::Fail,
                    format!("not valid before {}", rfc3339(cert.not_before)),
                )
                .about(&cert.name),
            );
        } else if at > cert.not_after {
            out.push(
                f(
                    Outcome::Fail,
                    format!("expired on {}", rfc3339(cert.not_after)),
                )
                .about(&cert.name),
            );
        }
    }
    if out.is_empty() && !chain.certs.is_empty() {
        let until = chain
            .certs
            .iter()
            .map(|c| c.not_after)
            .min()
            .unwrap_or_default();
        out.push(f(
            Outcome::Pass,
            format!(
                "every certificate is valid at {}, until {}",
                rfc3339(at),
                rfc3339(until)
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::cert::tests::cert;

    #[test]
    fn expired_and_not_yet_valid_certificates_fail_by_name() {
        let mut chain = Chain::build(vec![]);
        chain.certs = vec![cert("leaf", "root"), cert("root", "root")];
        assert_eq!(check(&chain, 1000)[0].outcome, Outcome::Pass);
        chain.certs[1].not_after = 10;
        let found = check(&chain, 1000);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].outcome, found[0].cert.as_deref()),
            (Outcome::Fail, Some("root"))
        );
        assert!(
            found[0]
                .reason
                .starts_with("expired on 1970-01-01T00:00:10Z")
        );
        chain.certs[1].not_after = i64::MAX;
        chain.certs[0].not_before = 2000;
        assert!(
            check(&chain, 1000)[0]
                .reason
                .starts_with("not valid before")
        );
    }
}
