//! Every shared test vector (copied into `tests/data/`), and the three real device captures.

mod common;

use amt_hello::{DecodeError, Digest, Frame, Hello, HelloView, Policy, frame, frame_with};
use common::vectors;
use serde_json::Value;

/// The vector file's name for each error variant: the crate's stable `kind()`.
fn kind(error: &DecodeError) -> &'static str {
    error.kind()
}

/// The view's fields against the vector's `expect` object, key by key.
fn check_fields(name: &str, view: &HelloView<'_>, expect: &Value) {
    let hashes: Vec<(String, String)> = view
        .cert_hashes()
        .map(|h| (h.algorithm().to_string(), h.digest().to_string()))
        .collect();
    let expected_hashes: Vec<(String, String)> = expect["cert_hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["algorithm"].as_str().unwrap().into(),
                h["digest"].as_str().unwrap().into(),
            )
        })
        .collect();
    let pid = view.pid().map(|p| p.to_string());
    assert_eq!(
        (
            view.encoded_len() as u64,
            u64::from(view.version().to_wire()),
            view.admin_credentials().is_set(),
            u64::from(view.retry_count()),
            view.uuid().to_string(),
            Digest::new(view.uuid().as_bytes()).to_string(),
            pid.as_deref(),
            hashes,
        ),
        (
            expect["len"].as_u64().unwrap(),
            expect["version"].as_u64().unwrap(),
            expect["admin_credentials_set"].as_bool().unwrap(),
            expect["retry_count"].as_u64().unwrap(),
            expect["uuid"].as_str().unwrap().to_string(),
            expect["uuid_raw"].as_str().unwrap().to_string(),
            expect["pid"].as_str(),
            expected_hashes,
        ),
        "{name}"
    );
}

/// A valid message decodes to exactly the expected fields, everywhere, and re-encodes to itself.
fn check_valid(name: &str, bytes: &[u8], expect: &Value) {
    let view = HelloView::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    check_fields(name, &view, expect);
    let lenient = HelloView::parse_with(bytes, Policy::Lenient).unwrap();
    assert_eq!(lenient, view, "{name}: lenient must agree with strict");
    assert!(
        matches!(frame(bytes), Ok(Frame::Complete(v)) if v == view),
        "{name}"
    );

    let owned: Hello<255> = Hello::decode(bytes).unwrap();
    assert_eq!(owned, Hello::try_from(&view).unwrap(), "{name}");
    assert_eq!(owned.encoded_len(), bytes.len(), "{name}");
    let mut buf = vec![0u8; owned.encoded_len()];
    assert_eq!(owned.encode_into(&mut buf), Ok(bytes.len()), "{name}");
    assert_eq!(buf, bytes, "{name}: re-encoding must give the same bytes");
    assert_eq!(
        owned.cert_hashes().len(),
        view.cert_hashes().len(),
        "{name}"
    );
    assert!(
        owned
            .cert_hashes()
            .iter()
            .zip(view.cert_hashes())
            .all(|(o, v)| *o == v),
        "{name}"
    );
}

#[test]
fn valid_vectors_decode_to_their_fields_and_reencode() {
    let valid = vectors("valid");
    assert_eq!(valid.len(), 8);
    for v in &valid {
        check_valid(&v.name, &v.bytes, &v.json["expect"]);
    }
}

#[test]
fn invalid_vectors_fail_with_their_kind_offset_and_needed() {
    let invalid = vectors("invalid");
    assert_eq!(invalid.len(), 21);
    for vector in &invalid {
        let (name, bytes, v) = (vector.name.as_str(), &vector.bytes, &vector.json);
        let error = HelloView::parse(bytes).expect_err(name);
        assert_eq!(kind(&error), v["error"]["kind"], "{name}: {error}");
        assert_eq!(
            error.offset() as u64,
            v["error"]["offset"].as_u64().unwrap(),
            "{name}: {error}"
        );
        let needed = match error {
            DecodeError::Truncated { needed, .. } => needed.exact(),
            _ => None,
        };
        assert_eq!(
            needed.map(|n| n as u64),
            v["error"]["needed"].as_u64(),
            "{name}: {error}"
        );
        assert_eq!(
            Hello::<255>::decode(bytes),
            Err(error),
            "{name}: owned decode agrees"
        );

        // Lenient accepts exactly what the vector says; when it rejects, it names the same error.
        let lenient = HelloView::parse_with(bytes, Policy::Lenient);
        match v["lenient"].as_str().unwrap() {
            "ok" => {
                let hello = lenient.unwrap_or_else(|e| panic!("{name}: lenient: {e}"));
                assert_eq!(hello.encoded_len(), bytes.len());
                let owned: Hello<255> = Hello::try_from(&hello).unwrap();
                let mut buf = vec![0u8; owned.encoded_len()];
                owned.encode_into(&mut buf).unwrap();
                assert_eq!(&buf, bytes, "{name}: lenient re-encoding");
            }
            "error" => {
                // Same error; only a truncation's lower bound may be lower (shorter entries pass).
                let e = lenient.expect_err(name);
                assert_eq!(
                    (kind(&e), e.offset()),
                    (kind(&error), error.offset()),
                    "{name}"
                );
                if let (
                    DecodeError::Truncated {
                        needed: lenient_needed,
                        ..
                    },
                    DecodeError::Truncated {
                        needed: strict_needed,
                        ..
                    },
                ) = (e, error)
                {
                    assert_eq!(lenient_needed.exact(), strict_needed.exact(), "{name}");
                    assert!(
                        lenient_needed.at_least() <= strict_needed.at_least(),
                        "{name}"
                    );
                } else {
                    assert_eq!(e, error, "{name}");
                }
            }
            other => panic!("{name}: lenient = {other}"),
        }

        // Framing: a truncation is "incomplete" with the same numbers; anything else an error,
        // except trailing bytes, where the message in front is complete.
        match (frame(bytes), error) {
            (
                Ok(Frame::Incomplete { offset, needed }),
                DecodeError::Truncated {
                    offset: o,
                    needed: n,
                    ..
                },
            ) => {
                assert_eq!((offset, needed), (o, n), "{name}");
                assert!(needed.at_least() > bytes.len(), "{name}");
            }
            (Ok(Frame::Complete(view)), DecodeError::TrailingBytes { offset, .. }) => {
                assert_eq!(view.encoded_len(), offset, "{name}");
            }
            (Err(e), _) => assert_eq!(e, error, "{name}"),
            (other, _) => panic!("{name}: frame gave {other:?} for {error}"),
        }
        assert!(
            frame_with(bytes, Policy::Lenient).is_ok() || v["lenient"] == "error",
            "{name}"
        );
    }
}

#[test]
fn real_device_captures_decode_to_their_fields() {
    let captures = common::captures();
    assert_eq!(captures.len(), 3);
    for (file, bytes, expect) in &captures {
        check_valid(file, bytes, expect);
        // The default capacity holds real devices' tables.
        assert!(
            Hello::<{ amt_hello::DEFAULT_HASH_CAPACITY }>::decode(bytes).is_ok(),
            "{file}"
        );
    }
}

#[test]
fn default_capacity_holds_33_but_not_255_hashes() {
    for v in vectors("valid") {
        let count = v.json["expect"]["cert_hashes"].as_array().unwrap().len();
        let owned: Result<Hello, _> = Hello::decode(&v.bytes);
        if count <= 33 {
            assert!(owned.is_ok());
        } else {
            assert_eq!(
                owned,
                Err(DecodeError::TooManyHashes {
                    offset: 24,
                    found: count as u8,
                    capacity: 33
                })
            );
        }
    }
}

#[test]
fn errors_display_their_numbers() {
    let cases = [
        (
            "cred_ffff",
            "invalid admin-credentials word 0xffff at byte 0 (expected 0x0000 or 0x0001)",
        ),
        (
            "version_be",
            "unsupported interface version 768 at byte 2 (expected 2 or 3)",
        ),
        (
            "retry_15",
            "retry count 15 at byte 4 is out of range (at most 14)",
        ),
        (
            "psk_pid_dash",
            "invalid PID byte 0x2d at byte 28 (expected A-Z or 0-9)",
        ),
        ("pki_algo_9", "unknown hash algorithm code 9 at byte 47"),
        (
            "pki_len_mismatch",
            "hash length 20 at byte 26 does not match algorithm code 2 (expected 32)",
        ),
        (
            "pki_trailing",
            "3 trailing byte(s) after the end of the Hello at byte 59",
        ),
        (
            "pki_short_digest",
            "truncated Hello: the field at byte 27 is incomplete; the message needs exactly 59 bytes, 37 present",
        ),
    ];
    for (name, text) in cases {
        assert_eq!(
            HelloView::parse(&common::vector(name))
                .unwrap_err()
                .to_string(),
            text
        );
    }
}
