//! `amt-hello` as a user runs it: `decode`'s reports, formats, files and errors, the provisioning
//! decision, every subcommand's `--help`, clap's errors, and output that keeps its order and
//! ends quietly when the reader goes away.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use amt_hello::HashAlgorithm;
use amt_hello::trust::RootFingerprints;
use common::{DATA, PSK, amt_hello, fingerprints, pki, run, to_hex};
use serde_json::Value;

/// `amt-hello decode ARGS` with `stdin`: success, the JSON lines, stderr.
fn decode(args: &[&str], stdin: &[u8]) -> (bool, Vec<Value>, String) {
    let out = run(&[&["decode"], args].concat(), stdin);
    let lines = String::from_utf8(out.stdout).unwrap();
    let json = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.success(),
        json,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn decode_names_the_cas_and_the_activation_root() {
    let capture = std::fs::read(format!("{DATA}/real/meshcentral-pki-v3-1.hex")).unwrap();
    let (ok, out, _) = decode(&["--ca-bundle", &format!("{DATA}/trust")], &capture);
    assert!(ok);
    let names: Vec<&Value> = out[0]["cert_hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["ca"])
        .collect();
    assert_eq!(names[1], "Go Daddy Root Certificate Authority - G2");
    assert_eq!(names[6], "Baltimore CyberTrust Root");
    assert_eq!(names[14], "DigiCert Global Root CA");
    assert_eq!(names.iter().filter(|n| n.is_null()).count(), 20);
    assert!(out[0].get("activation").is_none());

    // A device that trusts the provisioning chain's root by SHA-384.
    let root = fingerprints("trust/root.pem");
    let other = fingerprints("trust/ISRG_Root_X1.pem");
    let hello = pki(&[
        (HashAlgorithm::Sha1, &other),
        (HashAlgorithm::Sha384, &root),
    ]);
    let chain = format!("{DATA}/trust/chain.pem");
    let (ok, out, _) = decode(&["--provisioning-chain", &chain, &to_hex(&hello)], b"");
    assert!(ok);
    assert_eq!(
        out[0]["activation"],
        serde_json::json!({
            "root": "amt-hello Test Root CA",
            "algorithm": "sha384",
            "digest": to_hex(root.fingerprint(HashAlgorithm::Sha384).unwrap()),
            "index": 1,
        })
    );
    let (ok, out, _) = decode(&["--provisioning-chain", &chain], &capture);
    assert!(ok);
    assert_eq!(out[0]["activation"], Value::Null);
}

#[test]
fn bad_certificate_files_are_errors_naming_the_path() {
    let dir = std::env::temp_dir().join(format!("amt-hello-cli-trust-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let bad = dir.join("bad.pem");
    std::fs::write(
        &bad,
        "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let no_cert = dir.join("key-only.pem");
    std::fs::write(
        &no_cert,
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    )
    .unwrap();
    for (flag, path) in [
        ("--ca-bundle", &bad),
        ("--ca-bundle", &dir.join("empty")),
        ("--ca-bundle", &dir.join("missing.pem")),
        ("--provisioning-chain", &no_cert),
    ] {
        for command in ["decode", "listen"] {
            let path_text = path.to_str().unwrap();
            let args = match command {
                "decode" => vec![command, flag, path_text, PSK],
                _ => vec![command, flag, path_text, "--listen", "127.0.0.1:0"],
            };
            let out = run(&args, b"");
            let err = String::from_utf8(out.stderr).unwrap();
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} {flag} {path:?}: {err}"
            );
            assert!(out.stdout.is_empty(), "{command} {flag} {}", path.display());
            assert!(err.contains(path.to_str().unwrap()), "{err}");
            assert_eq!(err.lines().count(), 1, "one line: {err}");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn hex_input_errors_say_what_is_wrong() {
    // Whitespace anywhere is ignored; either case decodes.
    let spaced = format!(" {} \n{}", &PSK[..10], PSK[10..].to_uppercase());
    let (ok, json, _) = decode(&[&spaced], b"");
    assert!(ok);
    assert_eq!(json[0]["pid"], "ABCD-1234");
    let cases: [(&str, &str); 5] = [
        ("010", "error: odd number of hex digits (3)\n"),
        ("0g", "error: not a hex byte: \"0g\"\n"),
        // A sign is not a hex digit, though Rust's integer parser takes "+f".
        ("+f", "error: not a hex byte: \"+f\"\n"),
        // Pairs of bytes, not characters: a pair that splits a character is not text.
        ("0\u{e9}0", "error: non-ASCII input\n"),
        ("\u{e9}", "error: not a hex byte: \"\u{e9}\"\n"),
    ];
    for (input, message) in cases {
        let (ok, json, stderr) = decode(&[input], b"");
        assert!(!ok && json.is_empty(), "{input:?}");
        assert_eq!(stderr, message, "{input:?}");
    }
}

#[test]
fn decode_json_has_the_vector_keys() {
    let (ok, json, _) = decode(&[], format!("{PSK}\n\n").as_bytes());
    assert!(ok);
    let keys: Vec<&String> = json[0].as_object().unwrap().keys().collect();
    let expected = [
        "len",
        "version",
        "admin_credentials_set",
        "retry_count",
        "uuid",
        "uuid_raw",
        "pid",
        "cert_hashes",
    ];
    assert_eq!(keys, expected);
}

#[test]
fn decode_text_is_a_few_lines_for_people() {
    let out = run(&["decode", "--format", "text", PSK], b"");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "PSK Hello (interface version 2), 32 bytes\n\
         \x20 uuid:        33221100-5544-7766-8899-aabbccddeeff\n\
         \x20 retry count: 0\n\
         \x20 credentials: set\n\
         \x20 pid:         ABCD-1234\n"
    );

    let capture = std::fs::read(format!("{DATA}/real/meshcentral-pki-v3-1.hex")).unwrap();
    let bundle = format!("{DATA}/trust");
    let chain = format!("{DATA}/trust/DigiCert_Global_Root_CA.pem");
    let args = [
        "decode",
        "--format",
        "text",
        "--ca-bundle",
        &bundle,
        "--provisioning-chain",
        &chain,
    ];
    let out = run(&args, &capture);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "PKI Hello (interface version 3), 807 bytes");
    assert_eq!(lines[4], "  trusted roots: 23");
    assert_eq!(lines.len(), 5 + 23 + 1, "{text}");
    assert!(
        lines[5 + 14].ends_with("  DigiCert Global Root CA"),
        "{text}"
    );
    assert!(lines[5].ends_with("  (not in the CA bundle)"), "{text}");
    assert_eq!(
        lines[28],
        "  activation:  possible: the device trusts DigiCert Global Root CA (entry 14, sha256)"
    );
}

#[test]
fn decode_reads_raw_bytes_from_files_in_order() {
    let dir = std::env::temp_dir().join(format!("amt-hello-cli-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let psk = dir.join("psk.bin");
    std::fs::write(&psk, common::hex(PSK)).unwrap();
    let short = dir.join("short.bin");
    std::fs::write(&short, &common::hex(PSK)[..29]).unwrap();
    let pki = dir.join("pki.bin");
    std::fs::write(&pki, common::pki23()).unwrap();
    let missing = dir.join("missing.bin");
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let args = [
        "decode".to_string(),
        "--file".into(),
        path(&psk),
        "--file".into(),
        path(&short),
        "--file".into(),
        path(&missing),
        "--file".into(),
        path(&dir),
        "--file".into(),
        path(&pki),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args, b"");
    assert_eq!(out.status.code(), Some(2), "an unreadable file is status 2");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let reports: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["pid"], "ABCD-1234");
    assert_eq!(reports[1]["len"], 807);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().collect();
    assert_eq!(errors.len(), 3, "{stderr}");
    assert!(errors[0].starts_with(&format!("error: {}: truncated Hello", path(&short))));
    assert!(errors[1].starts_with(&format!("error: {}: ", path(&missing))));
    assert!(errors[2].starts_with(&format!("error: {}: ", path(&dir))));

    // Only invalid Hellos: status 1. Files and hex arguments do not mix.
    let out = run(&["decode", "--file", &path(&short)], b"");
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["decode", "--file", &path(&psk), PSK], b"");
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

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
    let cases: [(&str, &[&str], &[&str]); 3] = [
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
            ],
            &[
                "[default: 127.0.0.1:9971]",
                "[default: 939b524b-13d4-1d18-e487-1c697a6b7a2b]",
                "[default: 24h]",
                "[default: 1]",
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
