//! PKCS#12 (PFX) chain files, read with the pure-Rust `p12-keystore`: every certificate bag in
//! order, and the first private key.

use p12_keystore::Pkcs12Archive;

use super::cert::Cert;
use super::key::PrivateKey;

/// How to get a PEM file the tool reads when this one cannot be.
const CONVERT: &str = "convert it with `openssl pkcs12 -in FILE -out chain.pem -nodes`";

/// The certificates and key of a PFX file; `password` `None` is the empty password.
pub fn read(
    bytes: &[u8],
    password: Option<&str>,
) -> Result<(Vec<Cert>, Option<PrivateKey>), String> {
    let archive =
        Pkcs12Archive::from_pkcs12(bytes, password.unwrap_or("")).map_err(|e| match e {
            p12_keystore::error::Error::MacError(_) if password.is_none() => {
                "PKCS#12 file protected by a password: give it with --password".to_string()
            }
            p12_keystore::error::Error::MacError(_) => {
                "wrong PKCS#12 password (the file's MAC does not verify)".to_string()
            }
            other => format!("cannot read this PKCS#12 file ({other}): {CONVERT}"),
        })?;
    let certs = archive
        .certs
        .iter()
        .map(|bag| Cert::from_der(bag.cert.as_der()))
        .collect::<Result<Vec<_>, _>>()?;
    if certs.is_empty() {
        return Err("no certificate in the PKCS#12 file".into());
    }
    let key = match archive.keys.first() {
        Some(bag) => {
            Some(PrivateKey::pkcs8(bag.key.as_der()).map_err(|e| format!("its private key: {e}"))?)
        }
        None => None,
    };
    Ok((certs, key))
}
