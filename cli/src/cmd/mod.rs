//! The command line: `amt-hello decode | listen | device | capture | activation`, with clap.
//! Each subcommand's arguments and its `run` live in a module of their own; the flags `decode`,
//! `listen` and `capture` share are [`TrustArgs`].

pub mod activation;
pub mod capture;
pub mod decode;
pub mod device;
pub mod listen;

use std::path::PathBuf;
use std::process::ExitCode;

use amt_hello::Policy;
use clap::{Parser, Subcommand};

use crate::ca::Certs;

/// Intel AMT Setup-Mode Hellos: decode them, receive them as an SCA, send them as a device, or
/// read them out of a packet capture.
#[derive(Parser, Debug)]
#[command(name = "amt-hello", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Decode(decode::Args),
    Listen(listen::Args),
    Device(device::Args),
    Capture(capture::Args),
    Activation(activation::Args),
}

impl Cli {
    /// Runs the chosen subcommand; its exit status.
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Decode(args) => decode::run(args),
            Command::Listen(args) => listen::run(args),
            Command::Device(args) => device::run(args),
            Command::Capture(args) => capture::run(args),
            Command::Activation(args) => activation::run(args),
        }
    }
}

/// How Hellos are judged: the validation policy and the certificates of the provisioning
/// decision (`decode`, `listen` and `capture` take the same flags).
#[derive(clap::Args, Debug, Clone)]
pub struct TrustArgs {
    /// Accept what the lenient policy accepts (retry counts above 14, odd PID bytes, unknown
    /// hash algorithms); without it, the strict policy.
    #[arg(long)]
    pub lenient: bool,
    /// A PEM bundle, or a directory of PEM files such as /etc/ssl/certs: each certificate-hash
    /// entry gets "ca", the matching certificate's subject or null [default: none]
    #[arg(long, value_name = "PATH")]
    pub ca_bundle: Option<PathBuf>,
    /// A PEM file whose last certificate is the root of your provisioning chain: each Hello gets
    /// "activation", the device entry that trusts it, or null; a file with the whole chain also
    /// gets every rule of `amt-hello activation` in "activation_checks". Repeat it for several
    /// chains, in your order of preference [default: none]
    #[arg(long, value_name = "PATH")]
    pub provisioning_chain: Vec<PathBuf>,
    /// With --provisioning-chain: the devices' DNS suffix, for the domain rule of
    /// "activation_checks" [default: none: not checked]
    #[arg(long, value_name = "SUFFIX")]
    pub dns_suffix: Option<String>,
    /// With --provisioning-chain: the devices' ME major version; from 16 SHA-1 and RSA keys
    /// under 2048 bits block activation
    #[arg(long, value_name = "N", default_value_t = crate::activation::rules::algorithms::STRICT_ME)]
    pub me_version: u32,
    /// With --provisioning-chain: when activation happens, RFC 3339 (2026-12-05T10:00:00Z), for
    /// the validity rule of "activation_checks" [default: now: at each Hello; for `capture`,
    /// when the run starts]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

impl Default for TrustArgs {
    fn default() -> Self {
        TrustArgs {
            lenient: false,
            ca_bundle: None,
            provisioning_chain: Vec::new(),
            dns_suffix: None,
            me_version: crate::activation::rules::algorithms::STRICT_ME,
            at: None,
        }
    }
}

impl TrustArgs {
    /// The validation policy.
    pub fn policy(&self) -> Policy {
        if self.lenient {
            Policy::Lenient
        } else {
            Policy::Strict
        }
    }

    /// The certificates; the error names the bad file (or `--at`).
    pub fn load(&self) -> Result<Certs, String> {
        let at = self.at.as_deref().map(crate::activation::time::parse);
        let at = at.transpose().map_err(|e| format!("--at: {e}"))?;
        let mut certs = Certs::load(self.ca_bundle.as_deref(), &self.provisioning_chain)?
            .with_checks(
                &self.provisioning_chain,
                self.dns_suffix.clone(),
                self.me_version,
            )?;
        if let Some(checks) = &mut certs.checks {
            checks.at = at;
        }
        Ok(certs)
    }
}
