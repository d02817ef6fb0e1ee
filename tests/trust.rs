//! The provisioning decision: the SCA's roots matched against a Hello's entries, by every
//! algorithm, in preference order, on generated and public roots and the real captures.

mod common;

use amt_hello::trust::{RootFingerprints, RootMatch};
use amt_hello::{CertHash, HashAlgorithm, Hello, HelloView};

use common::{fingerprints, pki};

/// The match on the view and on the owned value, which must agree.
fn trusted<R: RootFingerprints>(bytes: &[u8], roots: &[R]) -> Option<RootMatch> {
    let view = HelloView::parse(bytes).unwrap();
    let owned: Hello = Hello::decode(bytes).unwrap();
    assert_eq!(view.trusted_root(roots), owned.trusted_root(roots));
    view.trusted_root(roots)
}

#[test]
fn the_chain_root_is_found_by_every_algorithm() {
    let root = fingerprints("trust/chain.pem"); // the last certificate: the root
    assert_eq!(root, fingerprints("trust/root.pem"));
    let other = fingerprints("trust/ISRG_Root_X1.pem");
    for algorithm in HashAlgorithm::KNOWN {
        let bytes = pki(&[(HashAlgorithm::Sha256, &other), (algorithm, &root)]);
        assert_eq!(
            trusted(&bytes, &[&root]),
            Some(RootMatch {
                root: 0,
                entry: 1,
                algorithm
            }),
            "{algorithm}"
        );
    }
}

#[test]
fn the_scas_preference_order_decides_and_the_strongest_entry_names_it() {
    use HashAlgorithm::*;
    let test_root = fingerprints("trust/root.pem");
    let digicert = fingerprints("trust/DigiCert_Global_Root_CA.pem");
    let isrg = fingerprints("trust/ISRG_Root_X1.pem");
    // The device trusts DigiCert (SHA-256) and the test root twice: SHA-1 and SHA-512.
    let bytes = pki(&[
        (Sha1, &test_root),
        (Sha256, &digicert),
        (Sha512, &test_root),
    ]);
    assert_eq!(
        trusted(&bytes, &[&isrg, &digicert, &test_root]),
        Some(RootMatch {
            root: 1,
            entry: 1,
            algorithm: Sha256
        })
    );
    assert_eq!(
        trusted(&bytes, &[&test_root, &digicert]),
        Some(RootMatch {
            root: 0,
            entry: 2,
            algorithm: Sha512
        })
    );
    assert_eq!(trusted(&bytes, &[&isrg]), None);
    // The same root listed twice under one algorithm: its first slot.
    let twice = pki(&[(Sha384, &isrg), (Sha384, &test_root), (Sha384, &test_root)]);
    assert_eq!(
        trusted(&twice, &[&test_root]),
        Some(RootMatch {
            root: 0,
            entry: 1,
            algorithm: Sha384
        })
    );
    // Precomputed fingerprints match without computing anything.
    let precomputed = CertHash::new(Sha384, test_root.fingerprint(Sha384).unwrap()).unwrap();
    assert_eq!(
        trusted(&twice, &[precomputed]),
        Some(RootMatch {
            root: 0,
            entry: 1,
            algorithm: Sha384
        })
    );
}

#[test]
fn the_real_captures_trust_public_roots_by_name() {
    let named = [
        ("trust/Go_Daddy_Root_Certificate_Authority_-_G2.pem", 1),
        ("trust/Baltimore_CyberTrust_Root.pem", 6),
        ("trust/DigiCert_Global_Root_CA.pem", 14),
    ];
    let isrg = fingerprints("trust/ISRG_Root_X1.pem");
    let (_, bytes, _) = &common::captures()[0];
    let view = HelloView::parse(bytes).unwrap();
    for (path, index) in named {
        let root = fingerprints(path);
        let entries: Vec<usize> = view
            .cert_hashes()
            .enumerate()
            .filter(|(_, e)| e.is_fingerprint_of(&root))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(entries, [index], "{path}");
        assert_eq!(
            trusted(bytes, &[&isrg, &root]),
            Some(RootMatch {
                root: 1,
                entry: index,
                algorithm: HashAlgorithm::Sha256
            })
        );
    }
    for (name, bytes, _) in common::captures() {
        assert_eq!(
            trusted(&bytes, &[&isrg]),
            None,
            "{name} does not trust ISRG Root X1"
        );
    }
}
