//! `amt-hello activation`: can this certificate chain activate this device? Every rule Intel's
//! firmware applies, answered pass, fail, warning or not checked, and the verdict. The device
//! is one Hello (`--hello`), every device of a capture (the `capture` submodule) or each device
//! as it arrives at an SCA (the `listen` submodule). Exit status 0 when every device checked can
//! be activated, 1 when a rule blocks any, 2 for bad input.

mod capture;
mod listen;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use amt_hello::{HelloView, Policy};
use clap::ValueEnum;
use serde_json::{Map, Value};

use crate::activation::output::{self, Device};
use crate::activation::{self, Assessment, Options, Provisioning, rules::algorithms::STRICT_ME};
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
    #[command(flatten)]
    pub source: Source,
    /// With --listen: stop after this many connections [default: none: until SIGINT or
    /// SIGTERM]
    // Not `requires = "listen"`: clap lets any member of the source group satisfy that
    // (clap-rs/clap#4707).
    #[arg(long, value_name = "N", conflicts_with_all = ["hello", "capture"])]
    pub exit_after: Option<usize>,
    /// The device's DNS suffix (DHCP option 15, or the PKI DNS Suffix set in MEBx): the Hello
    /// does not carry it [default: none: the domain rule is not checked]
    #[arg(long, value_name = "SUFFIX")]
    pub dns_suffix: Option<String>,
    /// The device's ME firmware major version: from 16 (15 on H platforms: give 16) SHA-1 and
    /// RSA keys under 2048 bits fail, before they are warnings.
    #[arg(long, value_name = "N", default_value_t = STRICT_ME)]
    pub me_version: u32,
    /// When the activation happens, RFC 3339 (2026-12-05T10:00:00Z); without it, with
    /// --capture when the run starts, with --listen when each Hello arrives [default: now]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// text: the checklist, for people (with --capture or --listen, a heading line per device
    /// first); json: one object (per line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Where the device comes from: exactly one of these.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct Source {
    /// The device's Hello, as hex (whitespace ignored) [default: none: one of --hello,
    /// --capture, --listen]
    #[arg(long, value_name = "HEX")]
    pub hello: Option<String>,
    /// A pcap or pcapng file: every device whose Hello to TCP port 9971 it holds, one checklist
    /// each in the order they appear, and again when a device's later Hello lists other roots
    /// [default: none]
    #[arg(long, value_name = "FILE")]
    pub capture: Option<PathBuf>,
    /// Listen on this address as an SCA: a checklist per connection's Hello, as each device
    /// arrives, until SIGINT or SIGTERM (or --exit-after) [default: none]
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
}

/// How the checklist is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Checks the chain against the device or devices; the exit status.
pub fn run(args: Args) -> ExitCode {
    let inputs = match Inputs::load(&args) {
        Ok(inputs) => inputs,
        Err(e) => return bad_input(&e),
    };
    if let Some(text) = &args.source.hello {
        return match hello(text, &inputs) {
            Ok(checklist) => checklist.print(),
            Err(e) => bad_input(&e),
        };
    }
    if let Some(file) = &args.source.capture {
        return capture::run(file, inputs);
    }
    if let Some(addr) = args.source.listen {
        return listen::run(addr, args.exit_after, inputs);
    }
    bad_input("give the device with --hello, --capture or --listen")
}

/// `error: …` on stderr, exit status 2.
fn bad_input(error: &str) -> ExitCode {
    out::stderr(&format!("error: {error}"));
    ExitCode::from(2)
}

/// What every source checks against: the chain and its key, the options, the output form.
struct Inputs {
    /// The chain file's name, as given.
    file: String,
    provisioning: Provisioning,
    dns_suffix: Option<String>,
    me_version: u32,
    /// `--at`; `None`: now.
    at: Option<i64>,
    format: Format,
}

impl Inputs {
    /// Reads the chain and `--at`; the error names the bad input.
    fn load(args: &Args) -> Result<Inputs, String> {
        let at = args.at.as_deref().map(activation::time::parse);
        let at = at.transpose().map_err(|e| format!("--at: {e}"))?;
        let (chain, key, password) = (&args.chain, args.key.as_deref(), args.password.as_deref());
        Ok(Inputs {
            file: chain.display().to_string(),
            provisioning: activation::load::provisioning(chain, key, password)?,
            dns_suffix: args.dns_suffix.clone(),
            me_version: args.me_version,
            at,
            format: args.format,
        })
    }

    /// The options at `--at`, or at `now`.
    fn options(&self, now: i64) -> Options {
        Options {
            dns_suffix: self.dns_suffix.clone(),
            me_version: self.me_version,
            at: self.at.unwrap_or(now),
        }
    }
}

/// One device's checklist, printed.
struct Checklist {
    possible: bool,
    report: String,
}

impl Checklist {
    /// The checklist of `device` in the run's form: in text `heading` (if any) and the
    /// checklist's lines; in JSON one object, with `source`'s keys after `"uuid"`.
    fn new(
        assessment: &Assessment,
        device: Device,
        options: &Options,
        format: Format,
        (heading, source): (Option<String>, Map<String, Value>),
    ) -> Checklist {
        let report = match format {
            Format::Text => match heading {
                Some(heading) => {
                    format!("{heading}\n{}", output::text(assessment, device, options))
                }
                None => output::text(assessment, device, options),
            },
            Format::Json => output::report(assessment, device, source, options).to_string(),
        };
        Checklist {
            possible: assessment.possible(),
            report,
        }
    }

    /// Prints it; the exit status of a run that checked only this.
    fn print(self) -> ExitCode {
        out::stdout(&self.report);
        ExitCode::from(u8::from(!self.possible))
    }
}

/// `--hello`: its checklist; an error is bad input.
fn hello(text: &str, inputs: &Inputs) -> Result<Checklist, String> {
    let bytes = hex::to_bytes(text).map_err(|e| format!("--hello: {e}"))?;
    let hello =
        HelloView::parse_with(&bytes, Policy::Lenient).map_err(|e| format!("--hello: {e}"))?;
    let options = inputs.options(activation::time::now());
    let assessment = inputs.provisioning.assess(&hello, &options);
    let device = Device::of(&hello);
    let plain = (None, Map::new());
    Ok(Checklist::new(
        &assessment,
        device,
        &options,
        inputs.format,
        plain,
    ))
}
