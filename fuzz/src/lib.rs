//! Helpers shared by the fuzz targets: a structure-aware generator of encodable Hellos.

use amt_hello::{AdminCredentials, CertHash, HashAlgorithm, Hello, Payload, Pid, Uuid};
use arbitrary::{Result, Unstructured};

/// The capacity the fuzz targets use for owned values.
pub const CAPACITY: usize = 64;

/// Any Hello this crate can encode: any retry count, any PID bytes, known and unknown hashes.
pub fn arbitrary_hello(u: &mut Unstructured<'_>) -> Result<Hello<CAPACITY>> {
    let admin_credentials = if u.arbitrary()? {
        AdminCredentials::Set
    } else {
        AdminCredentials::LocalizedBios
    };
    let retry_count = if u.arbitrary()? {
        u.int_in_range(0..=14)?
    } else {
        u.arbitrary()?
    };
    let uuid = Uuid::from_bytes(u.arbitrary()?);
    let payload = if u.arbitrary()? {
        Payload::Psk(Pid::from_bytes_lenient(u.arbitrary()?))
    } else {
        let mut hashes = heapless::Vec::new();
        for _ in 0..u.int_in_range(0..=CAPACITY)? {
            let algorithm = match u.int_in_range(0..=4)? {
                0 => HashAlgorithm::Sha1,
                1 => HashAlgorithm::Sha256,
                2 => HashAlgorithm::Sha384,
                3 => HashAlgorithm::Sha512,
                _ => HashAlgorithm::Unknown(*u.choose(&[0, 4, 5, 9, 200, 255])?),
            };
            let len = algorithm
                .digest_len()
                .map_or_else(|| u.int_in_range(0..=64), Ok)?;
            let digest = u.bytes(len)?;
            let hash = CertHash::new(algorithm, digest).expect("generated hashes are valid");
            if hashes.push(hash).is_err() {
                break;
            }
        }
        Payload::Pki(hashes)
    };
    Ok(Hello {
        admin_credentials,
        retry_count,
        uuid,
        payload,
    })
}

/// Encodes a generated Hello, checking that `encoded_len` is what `encode_into` writes.
pub fn encode(hello: &Hello<CAPACITY>) -> Vec<u8> {
    let mut buf = vec![0u8; hello.encoded_len()];
    assert_eq!(hello.encode_into(&mut buf), Ok(buf.len()));
    buf
}
