//! `amt-hello activation`'s input: bad chain and key files, Hellos and times (one line naming the
//! input, exit 2), PKCS#12 chains and their password, and `--help`.

#[macro_use]
mod chains;
mod common;

use chains::report::*;
use chains::*;
use common::*;

#[test]
fn bad_files_are_one_line_naming_the_file_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("amt-hello-activation-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let root = std::fs::read(format!("{DATA}/trust/root.pem")).unwrap();
    let der = pem::parse(&root).unwrap().into_contents();

    let stderr = bad_input(&write("text.txt", b"hello, world\n"), &[]);
    assert!(stderr.contains("neither PEM, DER nor PKCS#12"), "{stderr}");
    let stderr = bad_input(&write("truncated.der", &der[..der.len() / 2]), &[]);
    assert!(
        stderr.contains("DER certificate 1: not an X.509 certificate"),
        "{stderr}"
    );
    let key = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIE1vbmtleSBzZWVkIG9mIDMyIGJ5dGVzLCBmb3IgdGVzdA==\n-----END PRIVATE KEY-----\n";
    let stderr = bad_input(&write("key-only.pem", key.as_bytes()), &[]);
    assert!(
        stderr.ends_with("no certificate in the PEM file\n"),
        "{stderr}"
    );
    let stderr = bad_input(
        &write(
            "bad-base64.pem",
            b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
        ),
        &[],
    );
    assert!(stderr.contains("bad PEM"), "{stderr}");
    bad_input(&write("empty.pem", b""), &[]);
    bad_input(&dir.join("missing.pem"), &[]);

    // The key file is named when it is the bad one.
    let chain = dir.join("root.pem");
    std::fs::write(&chain, &root).unwrap();
    let not_a_key = write("not-a-key.pem", &root);
    let out = run(
        &[
            "activation",
            "--chain",
            chain.to_str().unwrap(),
            "--hello",
            common::PSK,
            "--key",
            not_a_key.to_str().unwrap(),
        ],
        b"",
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: {}: no private key in the PEM file\n",
            not_a_key.display()
        )
    );

    // A bad Hello or --at is bad input too.
    for (flag, value, message) in [
        ("--hello", "0100", "error: --hello: "),
        ("--at", "yesterday", "error: --at: not an RFC 3339 time"),
    ] {
        let mut args = vec![
            "activation",
            "--chain",
            chain.to_str().unwrap(),
            "--hello",
            common::PSK,
        ];
        if flag == "--hello" {
            args[4] = value;
        } else {
            args.extend([flag, value]);
        }
        let out = run(&args, b"");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            (out.status.code(), stderr.lines().count()),
            (Some(2), 1),
            "{stderr}"
        );
        assert!(stderr.starts_with(message), "{stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pkcs12_chains_are_read_with_their_key_and_a_wrong_password_is_bad_input() {
    need_openssl!();
    let mut pki = Pki::new();
    let certs = chain(&mut pki, |_, _, _| {});
    let rest = pki.pem_file("rest.pem", &[&certs[1], &certs[2]], None);
    let pfx = pki.path("chain.pfx");
    chains::openssl(&[
        "pkcs12",
        "-export",
        "-in",
        certs[0].cert.to_str().unwrap(),
        "-inkey",
        certs[0].key.to_str().unwrap(),
        "-certfile",
        rest.to_str().unwrap(),
        "-passout",
        "pass:s3cret",
        "-out",
        pfx.to_str().unwrap(),
    ]);
    let hello = real_hello_trusting(&certs[2]);
    let (status, report, stderr) = activation(
        &pfx,
        &hello,
        &["--password", "s3cret", "--dns-suffix", "example.com"],
    );
    assert_eq!(status, 0, "{report:#} {stderr}");
    assert_eq!(report["chain"][2], "Test Root");
    assert!(rules(&report, "pass").contains(&"private_key".to_string()));

    let stderr = bad_input(&pfx, &["--password", "wrong"]);
    assert!(stderr.contains("wrong PKCS#12 password"), "{stderr}");
    let stderr = bad_input(&pfx, &[]);
    assert!(stderr.contains("give it with --password"), "{stderr}");
}

#[test]
fn help_lists_every_flag_and_its_default() {
    let out = run(&["activation", "--help"], b"");
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    for flag in [
        "--chain",
        "--password",
        "--key",
        "--hello",
        "--dns-suffix",
        "--me-version",
        "--at",
        "--format",
    ] {
        assert!(
            help.split_whitespace().any(|w| w == flag),
            "--help lacks {flag}: {help}"
        );
    }
    for default in [
        "[default: 16]",
        "[default: text]",
        "[default: now]",
        "[default: none: the empty password]",
    ] {
        assert!(help.contains(default), "--help lacks {default}: {help}");
    }
    for command in ["decode", "listen"] {
        let help = String::from_utf8(run(&[command, "--help"], b"").stdout).unwrap();
        for flag in ["--dns-suffix", "--me-version"] {
            assert!(
                help.split_whitespace().any(|w| w == flag),
                "{command} --help lacks {flag}"
            );
        }
        assert!(help.contains("[default: 16]"), "{help}");
    }
}
