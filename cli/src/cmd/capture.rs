//! `amt-hello capture FILE…`: reads pcap and pcapng files and reports every connection to the
//! watched ports (a Hello, or what went wrong), then each device's timeline. A file that cannot
//! be read is one line naming it and the byte offset (exit status 2); the report covers the
//! records before it and the other files.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::TrustArgs;
use crate::capture::cause::Cause;
use crate::capture::events::{ConnectionEvents, Judge};
use crate::capture::hosts::Host;
use crate::capture::path::Watch;
use crate::capture::steps::Step;
use crate::capture::text::Style;
use crate::capture::timeline::Device;
use crate::capture::{Capture, Sink, Summary, json, text};
use crate::out;

/// Reads Intel AMT Hellos out of packet captures (pcap, pcapng) and diagnoses each device.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// text: a readable report; json: one object per connection, per device, and a summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The SCA's TCP port; repeat it for several.
    #[arg(long, value_name = "PORT", default_values_t = [SCA_PORT])]
    pub port: Vec<u16>,
    /// Most connections held open at once; beyond it the oldest is evicted (and reported), as
    /// it is when the open connections' bytes pass 64 MiB.
    #[arg(long, value_name = "N", default_value_t = MAX_FLOWS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_flows: u64,
    /// Most devices held at once; beyond it the one seen longest ago is reported early. As
    /// many addresses and pending DNS queries are held.
    #[arg(long, value_name = "N", default_value_t = MAX_DEVICES, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_devices: u64,
    /// A name the SCA may be found under besides ProvisionServer.* (the FQDN set in MEBx);
    /// its lookups are reported too. Repeatable [default: none]
    #[arg(long, value_name = "NAME")]
    pub sca_fqdn: Vec<String>,
    /// A port the SCA connects back to the device on after its Hello; repeatable [default:
    /// 16993 and 16992]
    #[arg(long, value_name = "PORT")]
    pub connect_back_port: Vec<u16>,
    /// Seconds after a Hello by which the SCA should have connected back (checked only when
    /// the capture covers that long).
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub connect_back_within: u64,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// pcap or pcapng files, read in order as one capture.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// How the report is written.
pub use crate::capture::Form as Format;

/// The default of `--max-flows` (`activation --capture` holds as many).
pub const MAX_FLOWS: u64 = 10_000;
/// The default of `--max-devices` (`activation --capture` holds as many).
pub const MAX_DEVICES: u64 = 100_000;
/// The SCA's port, where devices send their Hellos.
pub const SCA_PORT: u16 = 9971;

/// Reads every file; the exit status.
pub fn run(args: Args) -> ExitCode {
    let mut certs = match args.trust.load() {
        Ok(certs) => certs,
        Err(e) => {
            out::stderr(&format!("amt-hello capture: {e}"));
            return ExitCode::from(2);
        }
    };
    // One time for the whole run (--at, or now): devices that trust the same roots get the
    // same checklist, which their timelines then hold once.
    if let Some(checks) = &mut certs.checks {
        checks.at.get_or_insert_with(crate::activation::time::now);
    }
    let judge = Judge {
        policy: args.trust.policy(),
        certs,
        form: args.format,
    };
    let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let mut watch = Watch {
        connect_back_within: Duration::from_secs(args.connect_back_within),
        ..Watch::default()
    };
    if !args.connect_back_port.is_empty() {
        watch.connect_back = args.connect_back_port.clone();
    }
    let fqdns = args
        .sca_fqdn
        .iter()
        .map(|n| n.trim_end_matches('.').to_ascii_lowercase());
    watch.names.fqdns = fqdns.collect();
    let (flows, devices) = (size(args.max_flows), size(args.max_devices));
    let mut capture = Capture::new(args.port, watch, flows, devices, judge);
    let on_terminal = std::io::stdout().is_terminal();
    let colour = on_terminal && std::env::var_os("NO_COLOR").is_none();
    let mut sink = Lines {
        format: args.format,
        style: Style { colour },
        bar: ProgressBar::hidden(),
        on_terminal,
        out: out::Batch::stdout(),
    };
    let mut status = 0;
    for path in &args.files {
        let bar = progress_bar(path);
        sink.bar = bar.clone();
        let read = capture.file(path, &mut sink, |offset| bar.set_position(offset));
        bar.finish_and_clear();
        sink.bar = ProgressBar::hidden();
        if let Err(e) = read {
            out::stderr(&format!(
                "amt-hello capture: {}: byte {}: {}",
                path.display(),
                e.offset,
                e.message
            ));
            status = 2;
        }
    }
    capture.finish(&mut sink);
    sink.out.finish();
    ExitCode::from(status)
}

/// Files shorter than this are read too fast for a progress bar.
const LONG_FILE: u64 = 1 << 20;

/// A bar over the file's bytes on stderr, only when stderr is a terminal and the file is long.
fn progress_bar(path: &std::path::Path) -> ProgressBar {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if !std::io::stderr().is_terminal() || len < LONG_FILE {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} {eta}")
    {
        bar.set_style(style);
    }
    bar.set_message(path.display().to_string());
    bar
}

/// The report, one line (JSON) or block (text) at a time ([`out::Batch`] says when each is
/// flushed).
struct Lines {
    format: Format,
    style: Style,
    /// The current file's progress bar (hidden unless shown).
    bar: ProgressBar,
    /// stdout is a terminal: the bar steps aside for each report.
    on_terminal: bool,
    out: out::Batch,
}

impl Lines {
    fn write(&mut self, report: &str) {
        if self.on_terminal && !self.bar.is_hidden() {
            self.bar.suspend(|| self.out.line(report));
        } else {
            self.out.line(report);
        }
    }
}

impl Sink for Lines {
    fn connection(&mut self, c: &ConnectionEvents) {
        self.write(&match self.format {
            Format::Json => json::connection(c),
            Format::Text => text::connection(c, self.style),
        });
    }

    fn step(&mut self, s: &Step<'_>) {
        self.write(&match self.format {
            Format::Json => json::step(s),
            Format::Text => text::step(s),
        });
    }

    fn device(&mut self, d: &Device, cause: &Cause) {
        self.write(&match self.format {
            Format::Json => json::device(d, cause),
            Format::Text => text::device(d, cause, self.style),
        });
    }

    fn host(&mut self, h: &Host, cause: &Cause) {
        self.write(&match self.format {
            Format::Json => json::host(h, cause),
            Format::Text => text::host(h, cause, self.style),
        });
    }

    fn summary(&mut self, s: &Summary) {
        self.write(&match self.format {
            Format::Json => json::summary(s),
            Format::Text => text::summary(s),
        });
    }
}
