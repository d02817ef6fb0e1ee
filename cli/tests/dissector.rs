//! The Wireshark dissector (`contrib/wireshark/amt_hello.lua`) agrees with `amt-hello capture`:
//! over every committed capture, tshark with the dissector finds the same valid Hellos (by the
//! client's port) with the same UUID, version, retry count, credentials word, PID and hashes,
//! and every Hello the library rejects carries the library's words in `amthello.error`. A
//! synthetic capture breaks each rule the library enforces once, in one connection each.
//! Without tshark the tests say SKIP (CI installs it from Debian).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::pcap::{Capture, Conn, Format, Link};
use common::snapshots::{A, SCA, hello};
use common::{PSK, amt_hello};
use serde_json::Value;

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../contrib/wireshark/amt_hello.lua"
);
const CAPTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/capture");

/// A Hello as both sides can say it: version, retry count, credentials word (0 or 1), UUID,
/// PID without its dash, and each hash as (algorithm name, lowercase hex digest).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Hello {
    uuid: String,
    version: u64,
    retry_count: u64,
    admin_credentials: u64,
    pid: String,
    hashes: Vec<(String, String)>,
}

impl Hello {
    /// Fields compared: the five scalars, and two per hash.
    fn fields(&self) -> usize {
        5 + 2 * self.hashes.len()
    }
}

/// Valid Hellos, rejected ones (the error text), trailing bytes and truncations (the length
/// the message needs), by client port, in capture order.
#[derive(Debug, Default)]
struct Found {
    hellos: BTreeMap<u16, Vec<Hello>>,
    errors: BTreeMap<u16, Vec<String>>,
    trailing: BTreeMap<u16, u64>,
    truncated: BTreeMap<u16, u64>,
}

fn captures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CAPTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.ends_with(".pcap") || name.ends_with(".pcapng")
        })
        .collect();
    files.sort();
    files
}

fn port_of(client: &str) -> u16 {
    client.rsplit(':').next().unwrap().parse().unwrap()
}

/// What `amt-hello capture --format json FILE` reports.
fn from_capture(file: &Path) -> Found {
    let out = amt_hello()
        .args(["capture", "--format", "json"])
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", file.display());
    let mut found = Found::default();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let object: Value = serde_json::from_str(line).unwrap();
        let Some(events) = object.get("events") else {
            continue;
        };
        let port = port_of(object["client"].as_str().unwrap());
        for event in events.as_array().unwrap() {
            match event["event"].as_str().unwrap() {
                "hello" => {
                    let hashes = event["cert_hashes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| {
                            let text = |k: &str| h[k].as_str().unwrap().to_owned();
                            (text("algorithm"), text("digest"))
                        })
                        .collect();
                    let hello = Hello {
                        uuid: event["uuid"].as_str().unwrap().to_owned(),
                        version: event["version"].as_u64().unwrap(),
                        retry_count: event["retry_count"].as_u64().unwrap(),
                        admin_credentials: u64::from(
                            event["admin_credentials_set"].as_bool().unwrap(),
                        ),
                        pid: event["pid"].as_str().unwrap_or("").replace('-', ""),
                        hashes,
                    };
                    found.hellos.entry(port).or_default().push(hello);
                }
                "hello_error" => {
                    let error = event["error"].as_str().unwrap().to_owned();
                    found.errors.entry(port).or_default().push(error);
                }
                "trailing_bytes" => {
                    found
                        .trailing
                        .insert(port, event["extra"].as_u64().unwrap());
                }
                "closed_early" => {
                    found
                        .truncated
                        .insert(port, event["needed"].as_u64().unwrap());
                }
                _ => {}
            }
        }
    }
    found
}

const FIELDS: [&str; 11] = [
    "tcp.srcport",
    "amthello.uuid",
    "amthello.version",
    "amthello.retry_count",
    "amthello.admin_credentials",
    "amthello.pid",
    "amthello.hash.algorithm",
    "amthello.hash.length",
    "amthello.hash.digest",
    "amthello.error",
    "amthello.trailing",
];

fn algorithm(code: &str, len: &str) -> String {
    match (code, len) {
        ("1", "20") => "sha1",
        ("2", "32") => "sha256",
        ("3", "48") => "sha384",
        ("3", "64") => "sha512",
        _ => panic!("the dissector passed a hash ({code}, {len}) without an error"),
    }
    .to_owned()
}

/// What tshark with the dissector shows, one row per packet that holds a Hello.
fn from_tshark(file: &Path) -> Found {
    let mut command = Command::new("tshark");
    command
        .args(["-n", "-X", &format!("lua_script:{SCRIPT}")])
        // Whatever the user's preferences say: reassembly on, also out of order.
        .args(["-o", "tcp.desegment_tcp_streams:TRUE"])
        .args(["-o", "tcp.reassemble_out_of_order:TRUE", "-r"])
        .arg(file)
        .args(["-Y", "amthello.uuid || amthello.error || amthello.trailing"])
        .args(["-T", "fields"])
        .args([
            "-E",
            "separator=/t",
            "-E",
            "occurrence=a",
            "-E",
            "aggregator=,",
        ]);
    for field in FIELDS {
        command.args(["-e", field]);
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("Lua"),
        "tshark on {}: {stderr}",
        file.display()
    );
    let mut found = Found::default();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let row: Vec<&str> = line.split('\t').collect();
        assert_eq!(row.len(), FIELDS.len(), "{line}");
        let list = |i: usize| -> Vec<&str> {
            match row[i] {
                "" => Vec::new(),
                text => text.split(',').collect(),
            }
        };
        let port: u16 = row[0].parse().unwrap();
        for trailing in list(10) {
            let bytes = trailing.replace(':', "").len() as u64 / 2;
            *found.trailing.entry(port).or_default() += bytes;
        }
        if let Some(needed) = row[9].strip_prefix(
            "truncated Hello: the stream ends before the Hello does; the message needs ",
        ) {
            let needed = needed
                .trim_start_matches("exactly ")
                .trim_start_matches("at least ");
            let needed = needed.trim_end_matches(" bytes").parse().unwrap();
            found.truncated.insert(port, needed);
            continue;
        }
        if row[1].is_empty() && row[9].is_empty() {
            continue; // only trailing bytes
        }
        if !row[9].is_empty() {
            found
                .errors
                .entry(port)
                .or_default()
                .push(row[9].to_owned());
            continue;
        }
        let (codes, lens, digests) = (list(6), list(7), list(8));
        assert!(
            codes.len() == lens.len() && lens.len() == digests.len(),
            "{line}"
        );
        let hashes = (0..codes.len())
            .map(|i| {
                let digest = digests[i].replace(':', "").to_lowercase();
                (algorithm(codes[i], lens[i]), digest)
            })
            .collect();
        let number = |i: usize| {
            row[i]
                .parse::<u64>()
                .unwrap_or_else(|e| panic!("{e}: {line}"))
        };
        found.hellos.entry(port).or_default().push(Hello {
            uuid: row[1].to_owned(),
            version: number(2),
            retry_count: number(3),
            admin_credentials: number(4),
            pid: row[5].to_owned(),
            hashes,
        });
    }
    found
}

fn tshark_missing() -> bool {
    !Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn the_wireshark_dissector_agrees_with_amt_hello_capture() {
    if tshark_missing() {
        println!("SKIP: tshark not installed");
        return;
    }
    let (mut files, mut hellos, mut fields, mut errors) = (0, 0, 0, 0);
    for file in captures() {
        let name = file.file_name().unwrap().to_str().unwrap().to_owned();
        let library = from_capture(&file);
        let dissector = from_tshark(&file);
        assert_eq!(
            dissector.hellos, library.hellos,
            "{name}: the dissector's valid Hellos (left) differ from amt-hello capture's (right)"
        );
        for (port, messages) in &library.errors {
            for message in messages {
                let theirs = dissector.errors.get(port).cloned().unwrap_or_default();
                assert!(
                    theirs.contains(message),
                    "{name}: port {port}: the library says {message:?}, the dissector {theirs:?}"
                );
                errors += 1;
            }
        }
        assert_eq!(
            dissector.trailing, library.trailing,
            "{name}: trailing bytes"
        );
        if !library.hellos.is_empty() {
            files += 1;
        }
        for hello in library.hellos.values().flatten() {
            hellos += 1;
            fields += hello.fields();
        }
    }
    assert!(files >= 10 && hellos >= 15, "too few Hellos compared");
    println!(
        "compared {hellos} Hellos ({fields} fields) in {files} captures, and {errors} rejected Hello(s) by error text"
    );
}

/// One connection per rule the library enforces; each breaks that rule only.
#[test]
fn the_dissector_rejects_what_the_library_rejects_in_its_words() {
    if tshark_missing() {
        println!("SKIP: tshark not installed");
        return;
    }
    let psk = common::hex(PSK);
    let pki = hello(A, Some(2), 0); // two SHA-256 entries: code at 25, length at 26
    let with = |base: &[u8], at: usize, bytes: &[u8]| {
        let mut out = base.to_vec();
        out[at..at + bytes.len()].copy_from_slice(bytes);
        out
    };
    let mut trailing = pki.clone();
    trailing.extend_from_slice(b"extra");
    let cases: [(&str, Vec<u8>); 10] = [
        ("admin credentials 2", with(&psk, 0, &[2])),
        ("version 9", with(&psk, 2, &[9])),
        ("retry count 15", with(&psk, 4, &[15])),
        ("a lowercase PID byte", with(&psk, 26, b"c")),
        ("algorithm code 0", with(&pki, 25, &[0])),
        ("algorithm code 4", with(&pki, 25, &[4])),
        ("SHA-1 with 32 bytes", with(&pki, 25, &[1])),
        ("code 3 with 32 bytes", with(&pki, 25, &[3])),
        ("5 trailing bytes", trailing),
        ("20 of 32 bytes", psk[..20].to_vec()),
    ];
    let mut capture = Capture::new(Format::Pcap, Link::Ethernet);
    for (i, (_, bytes)) in cases.iter().enumerate() {
        let client = format!("192.0.2.10:{}", 41000 + i);
        Conn::new(&client, SCA, 1000).whole(&mut capture, 10 * i as u64, bytes, 40);
    }
    let dir = std::env::temp_dir().join(format!("amt-hello-dissector-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rules.pcap");
    std::fs::write(&file, capture.bytes()).unwrap();
    let library = from_capture(&file);
    let dissector = from_tshark(&file);
    let _ = std::fs::remove_dir_all(&dir);
    for (i, (case, _)) in cases.iter().enumerate() {
        let port = 41000 + i as u16;
        let said = |found: &Found| {
            (
                found.errors.get(&port).cloned().unwrap_or_default(),
                found.trailing.get(&port).copied(),
                found.truncated.get(&port).copied(),
                found.hellos.get(&port).map_or(0, Vec::len),
            )
        };
        let (ours, theirs) = (said(&library), said(&dissector));
        assert!(
            ours != (Vec::new(), None, None, 1),
            "{case}: the library accepted it"
        );
        assert_eq!(
            theirs, ours,
            "{case}: the dissector (left) and the library (right)"
        );
    }
    println!("{} rules: the dissector and the library agree", cases.len());
}
