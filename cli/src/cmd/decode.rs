//! `amt-hello decode`: Hellos given as hex (arguments, or one per stdin line) or as raw bytes
//! (`--file`), one report each, in input order. An invalid message prints `error: …` to stderr;
//! the exit status is 1 if any message was invalid, 2 if a file could not be read.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use amt_hello::{HelloView, Policy};
use clap::ValueEnum;

use super::TrustArgs;
use crate::ca::Certs;
use crate::{hex, out, report};

/// The largest file `--file` reads: any Hello is far shorter, and a longer file is no Hello.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Decodes Intel AMT Hello messages and prints one report per message, in input order.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub trust: TrustArgs,
    /// json: one JSON object per Hello (the keys of the shared test vectors); text: a few lines
    /// per Hello, for people.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// A file holding one Hello's raw bytes. Repeat it for several, in order [default: none:
    /// hex arguments, or stdin]
    #[arg(long, value_name = "PATH", conflicts_with = "hex")]
    pub file: Vec<PathBuf>,
    /// Messages as hex (whitespace ignored); none: one message per line on stdin.
    pub hex: Vec<String>,
}

/// How each decoded Hello is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Text,
}

/// Decodes every input; the exit status.
pub fn run(args: Args) -> ExitCode {
    // Certificates first: a bad file is an error before any Hello is decoded.
    let certs = match args.trust.load() {
        Ok(certs) => certs,
        Err(e) => {
            out::stderr(&format!("error: {e}"));
            return ExitCode::from(2);
        }
    };
    let mut decoder = Decoder {
        policy: args.trust.policy(),
        certs,
        format: args.format,
        status: 0,
    };
    if !args.file.is_empty() {
        for path in &args.file {
            decoder.file(path);
        }
    } else if !args.hex.is_empty() {
        for text in &args.hex {
            decoder.one(None, hex::to_bytes(text));
        }
    } else {
        // Line by line, so each report follows its line at once; a line that is not UTF-8
        // ends the input, as it always has.
        let lines = std::io::stdin().lock().lines().map_while(Result::ok);
        for line in lines.filter(|line| !line.trim().is_empty()) {
            decoder.one(None, hex::to_bytes(&line));
        }
    }
    ExitCode::from(decoder.status)
}

/// Decodes one input at a time and remembers the worst outcome.
struct Decoder {
    policy: Policy,
    certs: Certs,
    format: Format,
    status: u8,
}

impl Decoder {
    /// One file's bytes as one Hello; a file that cannot be read is an error naming it.
    fn file(&mut self, path: &Path) {
        match read_file(path) {
            Ok(bytes) => self.one(Some(path), Ok(bytes)),
            Err(e) => {
                out::stderr(&format!("error: {}: {e}", path.display()));
                self.status = self.status.max(2);
            }
        }
    }

    /// Decodes `bytes` (or reports why there are none) and prints the report or the error;
    /// errors about a file name it.
    fn one(&mut self, file: Option<&Path>, bytes: Result<Vec<u8>, String>) {
        let decoded = bytes.and_then(|bytes| match HelloView::parse_with(&bytes, self.policy) {
            Ok(hello) => Ok(self.report(&hello)),
            Err(e) => Err(e.to_string()),
        });
        match (decoded, file) {
            (Ok(report), _) => out::stdout(&report),
            (Err(error), None) => self.fail(&format!("error: {error}")),
            (Err(error), Some(path)) => self.fail(&format!("error: {}: {error}", path.display())),
        }
    }

    fn report(&self, hello: &HelloView<'_>) -> String {
        let verdict = self.certs.verdict(hello);
        match self.format {
            Format::Json => report::json(hello, &verdict).to_string(),
            Format::Text => report::text(hello, &verdict),
        }
    }

    fn fail(&mut self, line: &str) {
        out::stderr(line);
        self.status = self.status.max(1);
    }
}

/// A file's bytes, at most [`MAX_FILE_BYTES`] of them.
fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "longer than {MAX_FILE_BYTES} bytes: not a Hello (the longest is {})",
            amt_hello::MAX_LEN
        ));
    }
    Ok(bytes)
}
