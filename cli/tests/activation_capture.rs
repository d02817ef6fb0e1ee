//! `amt-hello activation --capture`: every device of a capture, in order, again when its roots
//! change; exactly one device source; what each exits with. The chain is the kept one of
//! `common/fixed.rs`, so nothing here needs openssl.

mod common;

use std::path::PathBuf;

use common::fixed::{activation, hello, single, without};
use common::pcap::{Capture, Conn, Format, Link};
use common::snapshots::{A, B, SCA};
use common::{run, to_hex};
use serde_json::Value;

/// Writes `capture` to a file of its own; its path.
fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amt-hello-sources-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A (trusting the chain's root) at 0 s; B (not) at 10 ms and, with the same roots, a minute
/// later (not checked again); then B's firmware lists the root too (checked again, now good).
fn fleet() -> Capture {
    let mut capture = Capture::new(Format::PcapNg, Link::Ethernet);
    let hellos = [
        (0, A, 0, true),
        (10, B, 0, false),
        (60_010, B, 1, false),
        (120_010, B, 2, true),
    ];
    for (i, (ms, uuid, retry, trusting)) in hellos.into_iter().enumerate() {
        let client = if uuid == A {
            "192.0.2.10"
        } else {
            "192.0.2.11"
        };
        let c = Conn::new(&format!("{client}:{}", 50_000 + i), SCA, 1000 * i as u32);
        c.whole(&mut capture, ms, &hello(uuid, retry, 2, trusting), 40);
    }
    capture
}

#[test]
fn a_capture_gets_a_checklist_per_device_in_order_and_again_when_its_roots_change() {
    let file = write("fleet.pcapng", &fleet().bytes());
    let file = file.to_str().unwrap();

    let (status, text, stderr) = activation(&["--capture", file]);
    assert_eq!((status, stderr.as_str()), (1, ""), "{text}");
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("device ")).collect();
    assert_eq!(
        headings,
        [
            format!("device {A} from 192.0.2.10:50000 at 2026-11-30T00:53:20.000Z"),
            format!("device {B} from 192.0.2.11:50001 at 2026-11-30T00:53:20.010Z"),
            format!(
                "device {B} from 192.0.2.11:50003 at 2026-11-30T00:55:20.010Z: its Hello lists \
                 other roots than when it was last checked; checked again"
            ),
        ],
        "{text}"
    );
    // Each heading is followed by the very checklist --hello prints.
    let (_, a_alone, _) = activation(&["--hello", &to_hex(&hello(A, 0, 2, true))]);
    assert!(
        text.starts_with(&format!("{}\n{a_alone}", headings[0])),
        "{text}"
    );
    let verdicts: Vec<&str> = text.lines().filter(|l| l.starts_with("Verdict:")).collect();
    assert_eq!(
        verdicts,
        [
            "Verdict: this device can be activated with this chain",
            "Verdict: this device cannot be activated with this chain: 1 rule blocks it",
            "Verdict: this device can be activated with this chain",
        ]
    );

    let (status, json, _) = activation(&["--capture", file, "--format", "json"]);
    assert_eq!(status, 1);
    let lines: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let expected = [
        (
            A,
            "192.0.2.10:50000",
            "2026-11-30T00:53:20.000Z",
            false,
            hello(A, 0, 2, true),
        ),
        (
            B,
            "192.0.2.11:50001",
            "2026-11-30T00:53:20.010Z",
            false,
            hello(B, 0, 2, false),
        ),
        (
            B,
            "192.0.2.11:50003",
            "2026-11-30T00:55:20.010Z",
            true,
            hello(B, 2, 2, true),
        ),
    ];
    assert_eq!(lines.len(), expected.len(), "{json}");
    for (line, (uuid, client, time, changed, bytes)) in lines.into_iter().zip(expected) {
        assert_eq!(line["uuid"], uuid);
        assert_eq!(line["client"], client);
        assert_eq!(line["time"], time);
        assert_eq!(line["roots_changed"], changed);
        let keys: Vec<&String> = line.as_object().unwrap().keys().take(4).collect();
        assert_eq!(keys, ["uuid", "client", "time", "roots_changed"]);
        assert_eq!(
            without(line, &["client", "time", "roots_changed"]),
            single(&bytes)
        );
    }
}

#[test]
fn a_capture_whose_devices_can_all_be_activated_exits_0() {
    let mut capture = Capture::new(Format::Pcap, Link::Raw);
    Conn::new("192.0.2.10:50000", SCA, 1).whole(&mut capture, 0, &hello(A, 0, 0, true), 100);
    // Open when the capture ends (no FIN): its Hello is checked all the same.
    let open = Conn::new("192.0.2.11:50000", SCA, 2);
    let b = hello(B, 0, 5, true);
    capture.add(5, open.syn());
    capture.add(6, open.syn_ack());
    capture.add(7, open.data(0, &b));
    let file = write("good.pcap", &capture.bytes());
    let (status, text, stderr) = activation(&["--capture", file.to_str().unwrap()]);
    assert_eq!((status, stderr.as_str()), (0, ""), "{text}");
    assert_eq!(
        text.matches("Verdict: this device can be activated")
            .count(),
        2
    );
    assert!(
        text.contains(&format!("device {B} from 192.0.2.11:50000")),
        "{text}"
    );

    // No Hello at all: nothing to check, said on stderr.
    let empty = Capture::new(Format::Pcap, Link::Raw);
    let file = write("empty.pcap", &empty.bytes());
    let (status, text, stderr) = activation(&["--capture", file.to_str().unwrap()]);
    assert_eq!((status, text.as_str()), (0, ""));
    assert!(
        stderr.ends_with("no device's Hello to port 9971: nothing checked\n"),
        "{stderr}"
    );
}

#[test]
fn a_bad_capture_file_is_one_line_naming_it_and_the_byte_offset_exit_2() {
    // A good device, then a record cut off by the file's end: A is checked, then the error.
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    Conn::new("192.0.2.10:50000", SCA, 1).whole(&mut capture, 0, &hello(A, 0, 0, true), 100);
    let mut bytes = capture.bytes();
    bytes.extend(&capture.bytes()[24..40]);
    let cut = write("cut.pcap", &bytes);
    let (status, text, stderr) = activation(&["--capture", cut.to_str().unwrap()]);
    assert_eq!(status, 2);
    assert_eq!(
        text.matches("Verdict: this device can be activated")
            .count(),
        1
    );
    let offset = capture.bytes().len();
    assert_eq!(
        stderr,
        format!(
            "error: {}: byte {offset}: truncated record: the file ends inside it\n",
            cut.display()
        )
    );

    for (name, bytes) in [("text.pcap", &b"not a capture at all"[..]), ("empty", b"")] {
        let bad = write(name, bytes);
        let (status, text, stderr) = activation(&["--capture", bad.to_str().unwrap()]);
        assert_eq!((status, text.as_str()), (2, ""));
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: {}: byte 0: ", bad.display())),
            "{stderr}"
        );
    }
    let missing = std::env::temp_dir().join("amt-hello-no-such-capture.pcap");
    let (status, _, stderr) = activation(&["--capture", missing.to_str().unwrap()]);
    assert_eq!((status, stderr.lines().count()), (2, 1), "{stderr}");
}

#[test]
fn the_device_comes_from_exactly_one_source() {
    let capture = write("one-source.pcap", &fleet().bytes());
    let capture = capture.to_str().unwrap();
    let hex = to_hex(&hello(A, 0, 0, true));
    for (args, message) in [
        (
            &[][..],
            "the following required arguments were not provided",
        ),
        (
            &["--hello", &hex, "--capture", capture][..],
            "cannot be used with",
        ),
        (
            &["--capture", capture, "--listen", "127.0.0.1:0"][..],
            "cannot be used with",
        ),
        (
            &["--hello", &hex, "--exit-after", "1"][..],
            "cannot be used with",
        ),
        (
            &["--capture", capture, "--exit-after", "1"][..],
            "cannot be used with",
        ),
    ] {
        let (status, stdout, stderr) = activation(args);
        assert_eq!((status, stdout.as_str()), (2, ""), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(message),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("<--hello <HEX>|--capture <FILE>|--listen <ADDR>>"),
            "{stderr}"
        );
    }
    let help = String::from_utf8(run(&["activation", "--help"], b"").stdout).unwrap();
    for flag in ["--hello", "--capture", "--listen", "--exit-after"] {
        assert!(help.split_whitespace().any(|w| w == flag), "{help}");
    }
    assert!(
        help.contains("[default: none: until SIGINT or SIGTERM]"),
        "{help}"
    );
}
