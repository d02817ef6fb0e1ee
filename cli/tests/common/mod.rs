//! Support for the cli tests: the built `amt-hello` binary, and the library's test data
//! (`tests/data/` of the repository, beside this crate).
#![allow(dead_code)] // each test binary uses a different part

pub mod fixed;
pub mod pcap;
pub mod server;
pub mod snapshots;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use amt_hello::trust::{Fingerprints, RootFingerprints};
use amt_hello::{CertHash, HashAlgorithm, Hello, Payload};

/// The repository's test data: the shared vectors, real captures and test certificates.
pub const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data");

/// A PSK Hello: PID ABCD-1234, UUID 33221100-5544-7766-8899-aabbccddeeff.
pub const PSK: &str = "010002000000000000112233445566778899aabbccddeeff4142434431323334";

/// The `amt-hello` binary that cargo built for these tests.
pub fn amt_hello() -> Command {
    Command::new(env!("CARGO_BIN_EXE_amt-hello"))
}

/// Runs `amt-hello ARGS` with `stdin`; its output.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = amt_hello()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Bytes from a hex string; whitespace is ignored. Panics, naming the text, on anything else.
pub fn hex(text: &str) -> Vec<u8> {
    amt_hello_cli::hex::to_bytes(text).unwrap_or_else(|e| panic!("{e} in {text:?}"))
}

/// The first real capture: 23 SHA-256 hashes, 807 bytes.
pub fn pki23() -> Vec<u8> {
    let text = std::fs::read_to_string(format!("{DATA}/real/meshcentral-pki-v3-1.hex")).unwrap();
    let bytes = hex(&text);
    assert_eq!(bytes.len(), 807);
    bytes
}

/// The fingerprints of the last certificate of a PEM file under the data directory.
pub fn fingerprints(path: &str) -> Fingerprints {
    let text = std::fs::read(format!("{DATA}/{path}")).unwrap();
    let pems = pem::parse_many(text).unwrap();
    Fingerprints::of_der(pems.last().unwrap().contents())
}

/// A PKI Hello listing these (algorithm, root) entries, encoded.
pub fn pki(entries: &[(HashAlgorithm, &Fingerprints)]) -> Vec<u8> {
    let mut hello: Hello = Hello::EMPTY;
    if let Payload::Pki(hashes) = &mut hello.payload {
        for (algorithm, root) in entries {
            let digest = root.fingerprint(*algorithm).unwrap();
            hashes
                .push(CertHash::new(*algorithm, digest).unwrap())
                .unwrap();
        }
    }
    let mut buf = vec![0u8; hello.encoded_len()];
    hello.encode_into(&mut buf).unwrap();
    buf
}

/// Lowercase hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
