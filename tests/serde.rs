//! `serde` (feature `serde`) and `uuid` (feature `uuid`): the JSON of every vector and capture is
//! exactly the vector's expected object, and the owned types round-trip through it.

mod common;

use amt_hello::{AdminCredentials, CertHash, HashAlgorithm, Hello, HelloView, Pid, Uuid};
use serde_json::json;

#[test]
fn views_serialize_to_the_vectors_expected_objects() {
    let vectors = common::vectors("valid")
        .into_iter()
        .map(|v| (v.name, v.bytes, v.json["expect"].clone()));
    for (name, bytes, expect) in vectors.chain(common::captures()) {
        let view = HelloView::parse(&bytes).unwrap();
        assert_eq!(serde_json::to_value(view).unwrap(), expect, "{name}");
        let owned: Hello<255> = Hello::decode(&bytes).unwrap();
        assert_eq!(serde_json::to_value(&owned).unwrap(), expect, "{name}");
        let back: Hello<255> = serde_json::from_value(expect.clone()).unwrap();
        assert_eq!(back, owned, "{name}: deserializes to the same value");
    }
}

#[test]
fn inconsistent_or_invalid_objects_are_refused() {
    let mut psk =
        serde_json::to_value(HelloView::parse(&common::vector("psk_basic")).unwrap()).unwrap();
    assert!(serde_json::from_value::<Hello>(psk.clone()).is_ok());
    for (key, value) in [
        ("len", json!(33)),
        ("version", json!(3)),
        ("uuid_raw", json!("00")),
        ("uuid", json!("not a uuid")),
        ("pid", json!("abcd-1234")),
        (
            "cert_hashes",
            json!([{ "algorithm": "sha1", "digest": "00" }]),
        ),
    ] {
        let mut bad = psk.clone();
        bad[key] = value;
        assert!(serde_json::from_value::<Hello>(bad).is_err(), "{key}");
    }
    psk.as_object_mut()
        .unwrap()
        .retain(|k, _| !matches!(k.as_str(), "len" | "version" | "uuid_raw"));
    assert!(
        serde_json::from_value::<Hello>(psk).is_ok(),
        "derived keys are optional"
    );
}

#[test]
fn value_types_round_trip() {
    let uuid: Uuid = "939b524b-13d4-1d18-e487-1c697a6b7a2b".parse().unwrap();
    assert_eq!(
        serde_json::to_value(uuid).unwrap(),
        json!("939b524b-13d4-1d18-e487-1c697a6b7a2b")
    );
    let pid: Pid = "ABCD-1234".parse().unwrap();
    let creds = AdminCredentials::LocalizedBios;
    assert_eq!(
        serde_json::to_value(creds).unwrap(),
        json!("localized_bios")
    );
    let hash = CertHash::new(HashAlgorithm::Unknown(9), &[0xab; 3]).unwrap();
    assert_eq!(
        serde_json::to_value(&hash).unwrap(),
        json!({ "algorithm": "unknown(9)", "digest": "ababab" })
    );
    let text =
        serde_json::to_string(&(uuid, pid, creds, hash.clone(), HashAlgorithm::Sha512)).unwrap();
    let back: (Uuid, Pid, AdminCredentials, CertHash, HashAlgorithm) =
        serde_json::from_str(&text).unwrap();
    assert_eq!(back, (uuid, pid, creds, hash, HashAlgorithm::Sha512));
    assert!(
        serde_json::from_value::<CertHash>(json!({ "algorithm": "sha1", "digest": "abc" }))
            .is_err()
    );
    assert!(
        serde_json::from_value::<CertHash>(
            json!({ "algorithm": "sha1", "digest": "zz".repeat(20) })
        )
        .is_err()
    );
    // Longer than any digest an owned hash holds: refused, never cut to 64 bytes.
    let too_long = json!({ "algorithm": "unknown(9)", "digest": "00".repeat(65) });
    assert!(serde_json::from_value::<CertHash>(too_long).is_err());
    let longest = json!({ "algorithm": "unknown(9)", "digest": "00".repeat(64) });
    let longest: CertHash = serde_json::from_value(longest).unwrap();
    assert_eq!(longest.digest().as_bytes(), [0; 64]);
    // A value of the wrong type says what was expected.
    let err = serde_json::from_value::<Uuid>(json!(7)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid type: integer `7`, expected a string in the crate's text form"
    );
}

#[test]
fn uuid_conversions_keep_the_guid_text() {
    for raw in [
        [0u8; 16],
        [0xff; 16],
        core::array::from_fn(|i| i as u8),
        core::array::from_fn(|i| 0xf0 ^ (i as u8 * 17)),
    ] {
        let ours = Uuid::from_bytes(raw);
        let theirs = uuid::Uuid::from(ours);
        assert_eq!(theirs.to_string(), ours.to_string());
        assert_eq!(Uuid::from(theirs), ours);
        assert_eq!(
            theirs.to_bytes_le(),
            raw,
            "the wire bytes are the little-endian field order"
        );
    }
    let text = "33221100-5544-7766-8899-aabbccddeeff";
    let theirs = uuid::Uuid::parse_str(text).unwrap();
    assert_eq!(
        Uuid::from(theirs).as_bytes(),
        &common::hex("00112233445566778899aabbccddeeff")[..]
    );
}
