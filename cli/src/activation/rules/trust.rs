//! The root-trusted rule: the root's SHA-1/256/384/512 fingerprint is one of the device's hashes.

use amt_hello::HelloView;

use crate::activation::chain::Chain;
use crate::activation::finding::{Finding, Outcome, Rule};

pub fn check(chain: &Chain, hello: &HelloView<'_>) -> Vec<Finding> {
    let f = |outcome, reason: String| Finding::new(Rule::RootTrusted, outcome, reason);
    let Some(root) = chain.root() else {
        return vec![f(Outcome::Fail, "there is no root to look for".into())];
    };
    if hello.pid().is_some() {
        return vec![
            f(
                Outcome::Fail,
                "the device sent a PSK Hello, which lists no trusted roots".into(),
            )
            .about(&root.name),
        ];
    }
    let count = hello.cert_hashes().count();
    match hello.trusted_root(std::slice::from_ref(&root.fingerprints)) {
        Some(found) => vec![
            f(
                Outcome::Pass,
                format!(
                    "the root's {} fingerprint is entry {} of the device's {count} hashes",
                    found.algorithm, found.entry
                ),
            )
            .about(&root.name),
        ],
        None => {
            let mut algorithms: Vec<String> = hello
                .cert_hashes()
                .map(|e| e.algorithm().to_string())
                .collect();
            algorithms.dedup();
            vec![
                f(
                    Outcome::Fail,
                    format!(
                        "the root's fingerprint is none of the device's {count} hashes ({})",
                        algorithms.join(", ")
                    ),
                )
                .about(&root.name),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use amt_hello::trust::RootFingerprints;
    use amt_hello::{CertHash, HashAlgorithm, Hello, Payload};

    use super::*;
    use crate::activation::cert::tests::cert;

    fn hello(entries: &[(HashAlgorithm, &[u8])]) -> Vec<u8> {
        let mut hello: Hello = Hello::EMPTY;
        if let Payload::Pki(hashes) = &mut hello.payload {
            for (algorithm, digest) in entries {
                hashes
                    .push(CertHash::new(*algorithm, digest).unwrap())
                    .unwrap();
            }
        }
        let mut buf = vec![0u8; hello.encoded_len()];
        hello.encode_into(&mut buf).unwrap();
        buf
    }

    #[test]
    fn sha384_and_sha512_entries_match_and_name_their_index() {
        let root = cert("root", "root");
        let other = cert("other", "other");
        for algorithm in [HashAlgorithm::Sha384, HashAlgorithm::Sha512] {
            let bytes = hello(&[
                (
                    HashAlgorithm::Sha256,
                    other
                        .fingerprints
                        .fingerprint(HashAlgorithm::Sha256)
                        .unwrap(),
                ),
                (algorithm, root.fingerprints.fingerprint(algorithm).unwrap()),
            ]);
            let view = HelloView::parse(&bytes).unwrap();
            let chain = Chain::build(vec![]);
            let chain = Chain {
                certs: vec![root.clone()],
                ..chain
            };
            let found = check(&chain, &view);
            assert_eq!(found[0].outcome, Outcome::Pass, "{found:?}");
            assert!(
                found[0].reason.contains(&format!(
                    "{algorithm} fingerprint is entry 1 of the device's 2"
                )),
                "{found:?}"
            );
        }
        let bytes = hello(&[(
            HashAlgorithm::Sha256,
            other
                .fingerprints
                .fingerprint(HashAlgorithm::Sha256)
                .unwrap(),
        )]);
        let chain = Chain {
            certs: vec![root],
            ..Chain::build(vec![])
        };
        let found = check(&chain, &HelloView::parse(&bytes).unwrap());
        assert_eq!(found[0].outcome, Outcome::Fail);
    }
}
