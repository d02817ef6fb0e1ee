//! Decodes Intel AMT Hello messages given as hex and prints one JSON object per message.
//!
//! ```sh
//! cargo run --example decode -- 010002000000000000112233445566778899aabbccddeeff4142434431323334
//! echo 0100030000000000c98b91356d19ea409779889d79b753f000 | cargo run --example decode
//! cargo run --example decode -- --lenient <hex>...
//! ```
//!
//! Messages come from the arguments, or one per line on stdin when there are none. An invalid
//! message prints the error to stderr; the exit status is 1 if any message was invalid.

mod common;

use std::io::BufRead;
use std::process::ExitCode;

use amt_hello::{HelloView, Policy};
use clap::Parser;

/// Decodes Intel AMT Hello messages given as hex and prints one JSON object per message.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Accept what the lenient policy accepts (retry counts above 14, odd PID bytes, unknown
    /// hash algorithms).
    #[arg(long)]
    lenient: bool,
    /// A PEM bundle, or a directory of PEM files such as /etc/ssl/certs: adds "ca" (the
    /// matching certificate's subject, or null) to each certificate-hash entry.
    #[arg(long)]
    ca_bundle: Option<std::path::PathBuf>,
    /// A PEM file whose last certificate is the root of your provisioning chain: adds
    /// "activation" (the device entry that trusts it, or null). Repeat it for several chains,
    /// in your order of preference.
    #[arg(long)]
    provisioning_chain: Vec<std::path::PathBuf>,
    /// Messages as hex; none: one message per line on stdin.
    hex: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let policy = if args.lenient {
        Policy::Lenient
    } else {
        Policy::Strict
    };
    // Certificates first: a bad file is an error before any Hello is decoded.
    let loaded = common::ca::load(args.ca_bundle.as_deref(), &args.provisioning_chain);
    let (bundle, roots) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut messages = args.hex;
    if messages.is_empty() {
        messages = std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect();
        messages.retain(|line| !line.trim().is_empty());
    }

    let mut status = ExitCode::SUCCESS;
    for text in &messages {
        let decoded = common::hex_to_bytes(text).and_then(|bytes| {
            HelloView::parse_with(&bytes, policy)
                .map(|hello| {
                    let mut json = common::hello_json(&hello);
                    common::ca::annotate(&mut json, &hello, bundle.as_deref(), roots.as_deref());
                    json
                })
                .map_err(|e| e.to_string())
        });
        match decoded {
            Ok(json) => println!("{json}"),
            Err(error) => {
                eprintln!("error: {error}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
