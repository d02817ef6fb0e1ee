//! What a rule says: pass, fail, warning or not checked, why in one sentence, and the
//! certificate it concerns.

use std::fmt;

/// The rules of the checklist, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    Chain,
    RootTrusted,
    Usage,
    Domain,
    Validity,
    Algorithms,
    PrivateKey,
}

impl Rule {
    /// The rule's key in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Rule::Chain => "chain",
            Rule::RootTrusted => "root_trusted",
            Rule::Usage => "usage",
            Rule::Domain => "domain",
            Rule::Validity => "validity",
            Rule::Algorithms => "algorithms",
            Rule::PrivateKey => "private_key",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key().replace('_', " "))
    }
}

/// A rule's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Pass,
    Fail,
    Warning,
    NotChecked,
}

impl Outcome {
    /// Its name in the checklist and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Warning => "warning",
            Outcome::NotChecked => "not checked",
        }
    }
}

/// One line of the checklist.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    pub rule: Rule,
    pub outcome: Outcome,
    /// Why, in one sentence.
    pub reason: String,
    /// The certificate it concerns, by name.
    pub cert: Option<String>,
}

impl Finding {
    pub fn new(rule: Rule, outcome: Outcome, reason: impl Into<String>) -> Finding {
        Finding {
            rule,
            outcome,
            reason: reason.into(),
            cert: None,
        }
    }

    /// The same finding, about `cert`.
    pub fn about(mut self, cert: &str) -> Finding {
        self.cert = Some(cert.to_string());
        self
    }
}
