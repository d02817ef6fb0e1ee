//! `amt-hello` as a user runs it: output that keeps its order in a shared pipe and ends quietly
//! when the reader goes away, every subcommand's `--help`, and clap's errors.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use common::{PSK, amt_hello, run};

#[test]
fn output_keeps_input_order_when_stdout_and_stderr_share_a_pipe() {
    let (mut reader, writer) = std::io::pipe().unwrap();
    let inputs: Vec<&str> = (0..50)
        .map(|i| match i % 3 {
            0 => PSK,
            1 => "0100",
            _ => "zz",
        })
        .collect();
    let mut command = amt_hello();
    command
        .arg("decode")
        .stdin(Stdio::piped())
        .stdout(writer.try_clone().unwrap())
        .stderr(writer);
    let mut child = command.spawn().unwrap();
    drop(command); // our copies of the pipe's write end
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        for input in &inputs {
            writeln!(stdin, "{input}").unwrap();
        }
    }
    let mut merged = String::new();
    reader.read_to_string(&mut merged).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(1));
    let kinds: Vec<char> = merged
        .lines()
        .map(|line| match line {
            l if l.starts_with('{') => 'J',
            l if l.starts_with("error: truncated") => 'T',
            l if l.starts_with("error: not a hex byte") => 'H',
            other => panic!("unexpected line {other:?}"),
        })
        .collect();
    let expected: Vec<char> = (0..50).map(|i| ['J', 'T', 'H'][i % 3]).collect();
    assert_eq!(kinds, expected, "{merged}");
}

#[test]
fn a_closed_pipe_ends_decode_quietly() {
    let inputs = vec![PSK; 3000]; // ~600 KB of reports: more than a pipe holds
    let mut child = amt_hello()
        .arg("decode")
        .args(&inputs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("ABCD-1234"));
    // The reader is gone (`| head -1`): the next write fails with EPIPE.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.is_empty(), "not quiet: {stderr}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn every_help_lists_every_flag_and_its_default() {
    let cases: [(&str, &[&str], &[&str]); 4] = [
        (
            "decode",
            &[
                "--lenient",
                "--ca-bundle",
                "--provisioning-chain",
                "--format",
                "--file",
            ],
            &["[default: json]"],
        ),
        (
            "listen",
            &[
                "--listen",
                "--idle-timeout-ms",
                "--deadline-ms",
                "--max-bytes",
                "--max-connections",
                "--max-per-ip",
                "--backlog",
                "--exit-after",
                "--lenient",
                "--ca-bundle",
                "--provisioning-chain",
            ],
            &[
                "[default: 127.0.0.1:9971]",
                "[default: 5000]",
                "[default: 30000]",
                "[default: 65560]",
                "[default: 16384]",
                "[default: 1024]",
            ],
        ),
        (
            "device",
            &[
                "--connect",
                "--psk",
                "--pki-hashes",
                "--uuid",
                "--localized-bios",
                "--window",
                "--time-scale",
                "--chunk-bytes",
                "--max-attempts",
                "--discover",
                "--domain",
                "--dhcp-suffix",
                "--dns",
                "--port",
            ],
            &[
                "[default: 127.0.0.1:9971]",
                "[default: 9971]",
                "[default: the system resolver]",
                "[default: 939b524b-13d4-1d18-e487-1c697a6b7a2b]",
                "[default: 24h]",
                "[default: 1]",
            ],
        ),
        (
            "capture",
            &[
                "--format",
                "--port",
                "--max-flows",
                "--max-devices",
                "--lenient",
                "--ca-bundle",
                "--provisioning-chain",
                "--sca-fqdn",
                "--connect-back-port",
                "--connect-back-within",
            ],
            &[
                "[default: text]",
                "[default: 9971]",
                "[default: 10000]",
                "[default: 100000]",
                "[default: 60]",
                "[default: 16993 and 16992]",
            ],
        ),
    ];
    for (command, flags, defaults) in cases {
        let out = run(&[command, "--help"], b"");
        assert!(out.status.success(), "{command} --help");
        let help = String::from_utf8(out.stdout).unwrap();
        for flag in flags {
            let listed = help.split_whitespace().any(|word| word == *flag);
            assert!(listed, "{command} --help lacks {flag}");
        }
        for default in defaults {
            assert!(
                help.contains(default),
                "{command} --help lacks {default}:\n{help}"
            );
        }
        // Every flag that takes a value says its default, or that there is none.
        let described = help.matches("[default: ").count();
        let valued = help
            .lines()
            .filter(|l| l.trim_start().starts_with("--") && l.contains(" <"))
            .count();
        assert_eq!(described, valued, "{command} --help:\n{help}");
    }
}

#[test]
fn unknown_flags_and_bad_values_exit_2() {
    for args in [
        &["decode", "--strict-ish"][..],
        &["decode", "--format", "yaml"][..],
        &["listen", "--bogus"][..],
        &["listen", "--max-per-ip", "many"][..],
        &["listen", "--listen", "localhost"][..],
        &["device", "--pki-hashes", "256"][..],
        &["device", "--window", "1000h"][..],
        &["device", "--time-scale", "-1"][..],
        &["device", "--chunk-bytes", "0"][..],
        &["device", "--psk", "ABCD-1234", "--pki-hashes", "1"][..],
        &["device", "--uuid", "not-a-uuid"][..],
        &["capture"][..],
        &["capture", "--port", "99999", "x.pcap"][..],
        &["capture", "--max-flows", "0", "x.pcap"][..],
        &["capture", "--format", "yaml", "x.pcap"][..],
        &["sideways"][..],
        &[][..],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?} was accepted");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stderr.is_empty(), "{args:?} said nothing");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn the_load_example_rejects_bad_values() {
    // `cargo test` builds this package's examples next to the test binaries.
    let examples = std::env::current_exe().unwrap();
    let load = examples
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/load");
    assert!(
        load.exists(),
        "cargo test builds the examples: {}",
        load.display()
    );
    let out = std::process::Command::new(load)
        .args(["--rows", "nothing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
