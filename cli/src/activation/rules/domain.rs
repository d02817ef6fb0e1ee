//! The domain rule: the leaf's CN or a SAN DNS name lies in the device's DNS suffix, on a label
//! boundary (a wildcard's `*` stands for one label of the SCA's own name, so it never widens
//! the domain).

use crate::activation::cert::Cert;
use crate::activation::finding::{Finding, Outcome, Rule};

/// Suffixes no public CA issues certificates for.
const PRIVATE_TLDS: [&str; 8] = [
    "local",
    "corp",
    "lan",
    "internal",
    "intranet",
    "home",
    "localdomain",
    "private",
];

pub fn check(leaf: &Cert, dns_suffix: Option<&str>) -> Vec<Finding> {
    let f = |outcome, reason: String| Finding::new(Rule::Domain, outcome, reason).about(&leaf.name);
    let Some(raw_suffix) = dns_suffix else {
        return vec![f(Outcome::NotChecked, "no --dns-suffix: the Hello does not carry the device's DNS suffix (DHCP option 15 or the PKI DNS Suffix in MEBx)".into())];
    };
    let suffix = normalize(raw_suffix);
    let mut out = Vec::new();
    let mut names: Vec<&String> = Vec::new();
    for name in leaf.common_names.iter().chain(&leaf.dns_names) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.iter().find(|name| matches(name, &suffix)) {
        Some(name) => out.push(f(
            Outcome::Pass,
            format!("\"{name}\" is in the device's domain \"{suffix}\""),
        )),
        None if names.is_empty() => out.push(f(
            Outcome::Fail,
            "the leaf has no CN and no SAN DNS name to match the device's domain".into(),
        )),
        None => {
            let listed: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
            out.push(f(Outcome::Fail, format!("none of the leaf's names ({}) is in the device's domain \"{suffix}\" on a label boundary", listed.join(", "))));
        }
    }
    let tld = suffix.rsplit('.').next().unwrap_or_default();
    if PRIVATE_TLDS.contains(&tld) {
        out.push(f(Outcome::Warning, format!("\".{tld}\" is a private suffix: no public CA's certificate can match it, only a root you add to the device in MEBx")));
    }
    out
}

fn normalize(name: &str) -> String {
    name.trim().trim_matches('.').to_ascii_lowercase()
}

/// Whether `name` (a host name, or `*.` and a domain) lies in `suffix` on a label boundary.
pub fn matches(name: &str, suffix: &str) -> bool {
    let (name, suffix) = (normalize(name), normalize(suffix));
    let suffix = suffix.as_str();
    let domain = name.strip_prefix("*.").unwrap_or(&name);
    !suffix.is_empty() && (domain == suffix || domain.ends_with(&format!(".{suffix}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::cert::tests::cert;

    #[test]
    fn names_match_on_label_boundaries_only() {
        assert!(matches("amt.example.com", "example.com"));
        assert!(matches("AMT.Example.com.", ".example.COM"));
        assert!(matches("example.com", "example.com"));
        assert!(!matches("amt.badexample.com", "example.com"));
        assert!(!matches("amt.example.com", "ample.com"));
        assert!(!matches("amt.example.com", ""));
    }

    #[test]
    fn wildcards_count_by_their_domain() {
        assert!(matches("*.example.com", "example.com"));
        assert!(matches("*.amt.example.com", "example.com"));
        assert!(!matches("*.example.com", "amt.example.com"));
        assert!(!matches("*.notexample.com", "example.com"));
    }

    #[test]
    fn san_names_count_and_private_suffixes_warn() {
        let mut leaf = cert("provisioning", "root");
        leaf.dns_names = vec!["prov.corp".into(), "provisioning".into()];
        let found = check(&leaf, Some("corp"));
        assert_eq!(found[0].outcome, Outcome::Pass);
        assert_eq!(found[1].outcome, Outcome::Warning);
        let found = check(&leaf, Some("example.com"));
        assert_eq!(found[0].outcome, Outcome::Fail);
        assert!(
            found[0].reason.contains("(provisioning, prov.corp)"),
            "{found:?}"
        );
        assert_eq!(check(&leaf, None)[0].outcome, Outcome::NotChecked);
    }
}
