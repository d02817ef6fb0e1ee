//! `amt-hello activation`: can this certificate chain activate this device? Every rule Intel's
//! firmware applies, answered pass, fail, warning or not checked, and the verdict. Exit status
//! 0 when activation is possible, 1 when a rule blocks it, 2 for bad input.

use std::path::PathBuf;
use std::process::ExitCode;

use amt_hello::{HelloView, Policy};
use clap::ValueEnum;

use serde_json::Map;

use crate::activation::{self, Options, output, rules::algorithms::STRICT_ME};
use crate::{hex, out};

/// Checks a provisioning certificate chain against a device's Hello, rule by rule.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The provisioning chain: PEM (one or more certificates, and perhaps the private key), DER,
    /// or PKCS#12/PFX; any order.
    #[arg(long, value_name = "FILE")]
    pub chain: PathBuf,
    /// The password of a PKCS#12/PFX chain file [default: none: the empty password]
    #[arg(long)]
    pub password: Option<String>,
    /// The leaf's private key (PEM, or PKCS#8 DER), checked against the leaf [default: the key
    /// in the chain file, if any]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// The device's Hello, as hex (whitespace ignored).
    #[arg(long, value_name = "HEX")]
    pub hello: String,
    /// The device's DNS suffix (DHCP option 15, or the PKI DNS Suffix set in MEBx): the Hello
    /// does not carry it [default: none: the domain rule is not checked]
    #[arg(long, value_name = "SUFFIX")]
    pub dns_suffix: Option<String>,
    /// The device's ME firmware major version: from 16 (15 on H platforms: give 16) SHA-1 and
    /// RSA keys under 2048 bits fail, before they are warnings.
    #[arg(long, value_name = "N", default_value_t = STRICT_ME)]
    pub me_version: u32,
    /// When the activation happens, RFC 3339 (2026-12-05T10:00:00Z) [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// text: the checklist, for people; json: one object.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How the checklist is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Checks the chain; the exit status.
pub fn run(args: Args) -> ExitCode {
    match check(&args) {
        Ok((true, report)) => {
            out::stdout(&report);
            ExitCode::SUCCESS
        }
        Ok((false, report)) => {
            out::stdout(&report);
            ExitCode::from(1)
        }
        Err(e) => {
            out::stderr(&format!("error: {e}"));
            ExitCode::from(2)
        }
    }
}

/// Whether activation is possible, and the report; an error is bad input.
fn check(args: &Args) -> Result<(bool, String), String> {
    let at = match &args.at {
        Some(text) => activation::time::parse(text).map_err(|e| format!("--at: {e}"))?,
        None => activation::time::now(),
    };
    let options = Options {
        dns_suffix: args.dns_suffix.clone(),
        me_version: args.me_version,
        at,
    };
    let bytes = hex::to_bytes(&args.hello).map_err(|e| format!("--hello: {e}"))?;
    let hello =
        HelloView::parse_with(&bytes, Policy::Lenient).map_err(|e| format!("--hello: {e}"))?;
    let provisioning =
        activation::load::provisioning(&args.chain, args.key.as_deref(), args.password.as_deref())?;
    let assessment = provisioning.assess(&hello, &options);
    let device = output::Device::of(&hello);
    let report = match args.format {
        Format::Text => output::text(&assessment, device, &options),
        Format::Json => output::report(&assessment, device, Map::new(), &options).to_string(),
    };
    Ok((assessment.possible(), report))
}
