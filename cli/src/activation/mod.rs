//! "Can this certificate activate this device?": a provisioning chain checked against a device's
//! Hello, rule by rule, as Intel's firmware would (AMT Implementation and Reference Guide,
//! "Acquiring an Intel vPro Certificate" and "Root Certificate Hashes").
//!
//! [`load`] reads the files, [`cert`] reads each certificate once into plain facts, [`chain`]
//! orders them and verifies the signatures, [`rules`] answers each rule as a [`Finding`], and
//! [`output`] prints the checklist. The Hello carries neither the device's DNS suffix nor its
//! firmware version: those are [`Options`].

pub mod cert;
pub mod chain;
pub mod finding;
pub mod key;
pub mod load;
pub mod output;
pub mod pkcs12;
pub mod rules;
pub mod time;

use amt_hello::HelloView;

pub use chain::Chain;
pub use finding::{Finding, Outcome, Rule};
pub use key::PrivateKey;

/// What the Hello does not say about the device, and when activation happens.
#[derive(Clone, Debug)]
pub struct Options {
    /// The device's DNS suffix (DHCP option 15, or the PKI DNS Suffix in MEBx).
    pub dns_suffix: Option<String>,
    /// The firmware's major version: from [`rules::algorithms::STRICT_ME`] on, SHA-1 and short
    /// RSA keys fail instead of warning.
    pub me_version: u32,
    /// When activation happens, in seconds since the Unix epoch.
    pub at: i64,
}

/// A chain and its key, ready to be checked against any number of devices.
#[derive(Clone, Debug)]
pub struct Provisioning {
    pub chain: Chain,
    pub key: Option<PrivateKey>,
}

/// The checklist for one device. Devices that trust the same roots get equal checklists, which
/// a capture's timelines keep once (hence `Hash`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Assessment {
    /// The chain's certificates, leaf first, by name.
    pub chain: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Provisioning {
    /// Runs every rule for the device that sent `hello`.
    pub fn assess(&self, hello: &HelloView<'_>, options: &Options) -> Assessment {
        Assessment {
            chain: self.chain.certs.iter().map(|c| c.name.clone()).collect(),
            findings: rules::run(&self.chain, hello, self.key.as_ref(), options),
        }
    }
}

impl Assessment {
    /// Whether no rule fails: the device can be activated with this chain.
    pub fn possible(&self) -> bool {
        self.blocking().next().is_none()
    }

    /// The findings that block activation.
    pub fn blocking(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.outcome == Outcome::Fail)
    }

    /// The verdict in one sentence.
    pub fn verdict(&self) -> String {
        let blocking = self.blocking().count();
        match blocking {
            0 => "this device can be activated with this chain".into(),
            1 => "this device cannot be activated with this chain: 1 rule blocks it".into(),
            n => format!("this device cannot be activated with this chain: {n} rules block it"),
        }
    }
}

/// The provisioning chains of `decode` and `listen` (`--provisioning-chain`), each checked in
/// full against every device, as `amt-hello activation` checks one.
#[derive(Clone, Debug)]
pub struct Checks {
    /// Each chain file's name, and the chain.
    pub chains: Vec<(String, Provisioning)>,
    pub dns_suffix: Option<String>,
    pub me_version: u32,
    /// When activation happens: `None` for now, at each Hello (an SCA); a capture fixes one
    /// time for its whole run, so that devices with the same roots get the same checklist.
    pub at: Option<i64>,
}

impl Checks {
    /// Loads each chain file (PEM, DER, or PKCS#12 without a password). A file that holds one
    /// certificate names only the root (what `--provisioning-chain` asked for at first): it is
    /// left out, there is no leaf to check.
    pub fn load(
        files: &[std::path::PathBuf],
        dns_suffix: Option<String>,
        me_version: u32,
    ) -> Result<Checks, String> {
        let mut chains = Vec::new();
        for file in files {
            let provisioning = load::provisioning(file, None, None)?;
            if provisioning.chain.certs.len() + provisioning.chain.strays.len() > 1 {
                chains.push((file.display().to_string(), provisioning));
            }
        }
        Ok(Checks {
            chains,
            dns_suffix,
            me_version,
            at: None,
        })
    }

    /// Every chain's checklist for the device that sent `hello`, at [`Checks::at`].
    pub fn assess(&self, hello: &HelloView<'_>) -> Vec<(String, Assessment)> {
        let options = Options {
            dns_suffix: self.dns_suffix.clone(),
            me_version: self.me_version,
            at: self.at.unwrap_or_else(time::now),
        };
        self.chains
            .iter()
            .map(|(file, chain)| (file.clone(), chain.assess(hello, &options)))
            .collect()
    }
}
