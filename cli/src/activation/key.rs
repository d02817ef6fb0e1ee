//! A private key's public half, read from PKCS#8, PKCS#1 (RSA) or SEC1 (EC) DER with a few lines
//! of DER walking: enough to tell whether it belongs to the leaf, without any cryptography.

use super::cert::strip_zeros;

/// The public half of a private key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrivateKey {
    Rsa {
        modulus: Vec<u8>,
        exponent: Vec<u8>,
    },
    /// An EC key: its public point when the file carries it (OpenSSL always writes it).
    Ec {
        point: Option<Vec<u8>>,
    },
    /// Another kind (Ed25519, DSA…): its algorithm, for the reason it is not compared.
    Other(String),
}

const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

impl PrivateKey {
    /// A key from a PEM block's tag and contents; the error says why it is none.
    pub fn from_pem(tag: &str, der: &[u8]) -> Result<PrivateKey, String> {
        match tag {
            "PRIVATE KEY" => Self::pkcs8(der),
            "RSA PRIVATE KEY" => Self::pkcs1(der),
            "EC PRIVATE KEY" => Self::sec1(der),
            "ENCRYPTED PRIVATE KEY" => Err("the private key is encrypted: decrypt it first with `openssl pkey -in FILE -out key.pem`".into()),
            other => Err(format!("a \"{other}\" block is not a private key")),
        }
        .map_err(|e| if e.starts_with("the private") || e.starts_with("a \"") { e } else { format!("bad {tag}: {e}") })
    }

    /// PKCS#8 PrivateKeyInfo: version, algorithm, the key of that algorithm.
    pub fn pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
        let (body, _) = expect(der, 0x30)?;
        let (_version, rest) = expect(body, 0x02)?;
        let (algorithm, rest) = expect(rest, 0x30)?;
        let (oid, _) = expect(algorithm, 0x06)?;
        let (key, _) = expect(rest, 0x04)?;
        match oid {
            RSA_ENCRYPTION => Self::pkcs1(key),
            EC_PUBLIC_KEY => Self::sec1(key),
            [0x2b, 0x65, 0x70] => Ok(PrivateKey::Other("Ed25519".into())),
            _ => Ok(PrivateKey::Other(
                "an algorithm this tool does not compare".into(),
            )),
        }
    }

    /// PKCS#1 RSAPrivateKey: version, modulus, public exponent, …
    fn pkcs1(der: &[u8]) -> Result<PrivateKey, String> {
        let (body, _) = expect(der, 0x30)?;
        let (_version, rest) = expect(body, 0x02)?;
        let (modulus, rest) = expect(rest, 0x02)?;
        let (exponent, _) = expect(rest, 0x02)?;
        Ok(PrivateKey::Rsa {
            modulus: strip_zeros(modulus).to_vec(),
            exponent: strip_zeros(exponent).to_vec(),
        })
    }

    /// SEC1 ECPrivateKey: version, private key, `[0]` curve, `[1]` public key.
    fn sec1(der: &[u8]) -> Result<PrivateKey, String> {
        let (body, _) = expect(der, 0x30)?;
        let (_version, rest) = expect(body, 0x02)?;
        let (_private, mut rest) = expect(rest, 0x04)?;
        while let Some((tag, value, next)) = tlv(rest) {
            if tag == 0xa1 {
                let (bits, _) = expect(value, 0x03)?;
                return Ok(PrivateKey::Ec {
                    point: bits.get(1..).map(<[u8]>::to_vec),
                });
            }
            rest = next;
        }
        Ok(PrivateKey::Ec { point: None })
    }
}

/// The value of the element at the start of `der` if its tag is `tag`, and what follows it.
fn expect(der: &[u8], tag: u8) -> Result<(&[u8], &[u8]), String> {
    match tlv(der) {
        Some((found, value, rest)) if found == tag => Ok((value, rest)),
        Some((found, ..)) => Err(format!("tag {found:#04x} where {tag:#04x} was expected")),
        None => Err("truncated DER".into()),
    }
}

/// Tag, value and rest of the DER element at the start of `der` (definite lengths only).
fn tlv(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkcs1_inside_pkcs8_gives_modulus_and_exponent() {
        // SEQUENCE { INTEGER 0, SEQUENCE { rsaEncryption, NULL }, OCTET STRING { SEQUENCE {
        // INTEGER 0, INTEGER 0x00c5, INTEGER 0x010001 } } }
        let pkcs1 = [
            0x30, 0x0b, 0x02, 0x01, 0x00, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x02, 0x01, 0x01,
        ];
        let mut der = vec![0x30, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09];
        der.extend_from_slice(RSA_ENCRYPTION);
        der.extend_from_slice(&[0x05, 0x00, 0x04, pkcs1.len() as u8]);
        der.extend_from_slice(&pkcs1);
        der[1] = (der.len() - 2) as u8;
        let key = PrivateKey::from_pem("PRIVATE KEY", &der).unwrap();
        assert_eq!(
            key,
            PrivateKey::Rsa {
                modulus: vec![0xc5],
                exponent: vec![1, 1]
            }
        );
        assert!(
            PrivateKey::from_pem("PRIVATE KEY", &der[..10])
                .unwrap_err()
                .contains("truncated")
        );
        assert!(
            PrivateKey::from_pem("ENCRYPTED PRIVATE KEY", &der)
                .unwrap_err()
                .contains("openssl pkey")
        );
    }

    #[test]
    fn sec1_gives_its_public_point() {
        let der = [
            0x30, 0x0d, 0x02, 0x01, 0x01, 0x04, 0x01, 0x07, 0xa1, 0x05, 0x03, 0x03, 0x00, 0x04,
            0x09,
        ];
        assert_eq!(
            PrivateKey::from_pem("EC PRIVATE KEY", &der),
            Ok(PrivateKey::Ec {
                point: Some(vec![0x04, 0x09])
            })
        );
    }
}
