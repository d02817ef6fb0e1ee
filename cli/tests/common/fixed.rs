//! A provisioning chain made once and kept (`tests/chains/fixed/chain.pem`: leaf
//! `amt.example.com` with serverAuth and the AMT OID, an intermediate and `Fixed Test Root`, all
//! RSA-2048 and SHA-256, valid 2026-01-01 to 2046-01-01, made with `openssl ca` as
//! `tests/chains/mod.rs` makes the others), so that reports that name its root's fingerprint
//! can be snapshots; the Hellos of devices that do or do not trust its root; and `amt-hello
//! activation` run with it.

use amt_hello::trust::{Fingerprints, RootFingerprints};
use amt_hello::{AdminCredentials, CertHash, HashAlgorithm, Hello, Payload, Uuid};
use amt_hello_cli::device::synthetic_sha256;
use serde_json::Value;

/// The chain file, leaf first.
pub const CHAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/chains/fixed/chain.pem");
/// A time within the chain's validity, for `--at`.
pub const AT: &str = "2026-12-01T00:00:00Z";

/// The SHA-256 fingerprint of the chain's root.
pub fn root_sha256() -> Vec<u8> {
    let text = std::fs::read(CHAIN).unwrap();
    let pems = pem::parse_many(text).unwrap();
    let root = Fingerprints::of_der(pems.last().unwrap().contents());
    root.fingerprint(HashAlgorithm::Sha256).unwrap().to_vec()
}

/// A PKI Hello of device `uuid` listing `synthetic` made-up roots, then the chain's root when
/// `trusting`.
pub fn hello(uuid: &str, retry_count: u32, synthetic: usize, trusting: bool) -> Vec<u8> {
    let mut hello: Hello = Hello::EMPTY;
    hello.uuid = uuid.parse::<Uuid>().unwrap();
    hello.retry_count = retry_count;
    hello.admin_credentials = AdminCredentials::Set;
    if let Payload::Pki(hashes) = &mut hello.payload {
        for i in 0..synthetic {
            let hash = CertHash::new(HashAlgorithm::Sha256, &synthetic_sha256(i)).unwrap();
            hashes.push(hash).unwrap();
        }
        if trusting {
            let hash = CertHash::new(HashAlgorithm::Sha256, &root_sha256()).unwrap();
            hashes.push(hash).unwrap();
        }
    }
    let mut buf = vec![0u8; hello.encoded_len()];
    hello.encode_into(&mut buf).unwrap();
    buf
}

/// `amt-hello activation --chain CHAIN --dns-suffix example.com --at AT ARGS`: exit status,
/// stdout, stderr.
pub fn activation(args: &[&str]) -> (i32, String, String) {
    let base = [
        "activation",
        "--chain",
        CHAIN,
        "--dns-suffix",
        "example.com",
    ];
    let out = super::run(&[&base[..], &["--at", AT], args].concat(), b"");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        out.status.code().unwrap(),
        text(out.stdout),
        text(out.stderr),
    )
}

/// `--hello`'s JSON object for `hello`: what each capture or listen line must hold besides
/// its source keys.
pub fn single(hello: &[u8]) -> Value {
    let (status, stdout, stderr) =
        activation(&["--format", "json", "--hello", &super::to_hex(hello)]);
    assert!(status < 2, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

pub fn without(mut line: Value, keys: &[&str]) -> Value {
    for key in keys {
        assert!(
            line.as_object_mut().unwrap().remove(*key).is_some(),
            "{key}"
        );
    }
    line
}
