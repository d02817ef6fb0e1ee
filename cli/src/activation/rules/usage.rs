//! The usage rule: the leaf is marked for AMT provisioning (the Intel OID in its Extended Key
//! Usage, or the exact Subject OU) and may authenticate a TLS server (serverAuth).

use crate::activation::cert::{AMT_OID, AMT_OU, Cert};
use crate::activation::finding::{Finding, Outcome, Rule};

pub fn check(leaf: &Cert) -> Vec<Finding> {
    let f = |outcome, reason: String| Finding::new(Rule::Usage, outcome, reason).about(&leaf.name);
    let mut out = Vec::new();
    let amt_oid = leaf.eku.is_some_and(|e| e.amt);
    let exact_ou = leaf.org_units.iter().any(|ou| ou == AMT_OU);
    let near_ou = leaf
        .org_units
        .iter()
        .find(|ou| *ou != AMT_OU && ou.eq_ignore_ascii_case(AMT_OU));
    let in_o = leaf
        .organizations
        .iter()
        .any(|o| o.eq_ignore_ascii_case(AMT_OU));
    if amt_oid {
        out.push(f(
            Outcome::Pass,
            format!("the Extended Key Usage holds the Intel AMT OID {AMT_OID}"),
        ));
    } else if exact_ou {
        out.push(f(Outcome::Warning, format!("only the Subject OU \"{AMT_OU}\" marks the leaf for AMT (no OID {AMT_OID}): the firmware accepts it, Open AMT's RPS refuses it")));
    } else if let Some(ou) = near_ou {
        out.push(f(Outcome::Fail, format!("the Subject OU is \"{ou}\", which differs in case from \"{AMT_OU}\", and the EKU lacks the OID {AMT_OID}")));
    } else {
        out.push(f(Outcome::Fail, format!("the leaf has neither the Intel AMT OID {AMT_OID} in its Extended Key Usage nor the Subject OU \"{AMT_OU}\"")));
    }
    if in_o {
        out.push(f(Outcome::Warning, format!("\"{AMT_OU}\" is the Subject's O, where the firmware does not look: it belongs in OU")));
    }
    match leaf.eku {
        Some(eku) if eku.server_auth => out.push(f(Outcome::Pass, "the Extended Key Usage holds serverAuth".into())),
        Some(_) => out.push(f(Outcome::Fail, "the Extended Key Usage lacks serverAuth (1.3.6.1.5.5.7.3.1), which the firmware requires".into())),
        None => out.push(f(Outcome::Fail, "the leaf has no Extended Key Usage, so neither serverAuth nor the AMT OID".into())),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::cert::Eku;
    use crate::activation::cert::tests::cert;

    fn outcomes(leaf: &Cert) -> Vec<Outcome> {
        check(leaf).iter().map(|f| f.outcome).collect()
    }

    #[test]
    fn oid_and_server_auth_pass() {
        assert_eq!(
            outcomes(&cert("leaf", "root")),
            [Outcome::Pass, Outcome::Pass]
        );
    }

    #[test]
    fn the_ou_alone_is_a_warning_in_another_case_a_failure() {
        let mut leaf = cert("leaf", "root");
        leaf.eku = Some(Eku {
            amt: false,
            server_auth: true,
        });
        leaf.org_units = vec![AMT_OU.into()];
        assert_eq!(outcomes(&leaf), [Outcome::Warning, Outcome::Pass]);
        leaf.org_units = vec![AMT_OU.to_uppercase()];
        assert_eq!(outcomes(&leaf), [Outcome::Fail, Outcome::Pass]);
        assert!(check(&leaf)[0].reason.contains("differs in case"));
    }

    #[test]
    fn the_text_in_o_is_a_warning_and_no_marking_fails() {
        let mut leaf = cert("leaf", "root");
        leaf.eku = Some(Eku {
            amt: false,
            server_auth: true,
        });
        leaf.organizations = vec![AMT_OU.into()];
        assert_eq!(
            outcomes(&leaf),
            [Outcome::Fail, Outcome::Warning, Outcome::Pass]
        );
    }

    #[test]
    fn no_server_auth_or_no_eku_fails() {
        let mut leaf = cert("leaf", "root");
        leaf.eku = Some(Eku {
            amt: true,
            server_auth: false,
        });
        assert_eq!(outcomes(&leaf), [Outcome::Pass, Outcome::Fail]);
        leaf.eku = None;
        leaf.org_units = vec![AMT_OU.into()];
        assert_eq!(outcomes(&leaf), [Outcome::Warning, Outcome::Fail]);
    }
}
