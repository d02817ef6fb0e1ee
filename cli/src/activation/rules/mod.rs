//! The rules, one concept per module, and the engine that runs them in the checklist's order.
//! Every rule is a pure function of the ordered chain, the device's Hello and the options.

pub mod algorithms;
pub mod chain;
pub mod domain;
pub mod key;
pub mod trust;
pub mod usage;
pub mod validity;

use amt_hello::HelloView;

use super::Options;
use super::chain::Chain;
use super::finding::Finding;
use super::key::PrivateKey;

/// Every rule's findings, in the checklist's order.
pub fn run(
    chain: &Chain,
    hello: &HelloView<'_>,
    key: Option<&PrivateKey>,
    options: &Options,
) -> Vec<Finding> {
    let mut findings = chain::check(chain);
    findings.extend(trust::check(chain, hello));
    if let Some(leaf) = chain.leaf() {
        findings.extend(usage::check(leaf));
        findings.extend(domain::check(leaf, options.dns_suffix.as_deref()));
    }
    findings.extend(validity::check(chain, options.at));
    findings.extend(algorithms::check(chain, options.me_version));
    if let Some(leaf) = chain.leaf() {
        findings.extend(key::check(leaf, key));
    }
    findings
}
