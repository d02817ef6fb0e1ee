//! `amt-hello`: decode Intel AMT Setup-Mode Hellos, receive them as an SCA, or send them as a
//! simulated device. `amt-hello --help` and `amt-hello SUBCOMMAND --help` list every flag.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    amt_hello_cli::cmd::Cli::parse().run()
}
