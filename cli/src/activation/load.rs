//! The chain file (PEM with certificates and perhaps the key, DER, or PKCS#12/PFX) and the key
//! file. Every error is one line that names the file.

use std::path::Path;

use super::Provisioning;
use super::cert::Cert;
use super::chain::Chain;
use super::key::PrivateKey;

/// The largest chain or key file read: chains are a few kilobytes.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Loads `--chain` (and `--key`, which takes the place of a key in the chain file).
pub fn provisioning(
    chain: &Path,
    key: Option<&Path>,
    password: Option<&str>,
) -> Result<Provisioning, String> {
    let named = |e: String| format!("{}: {e}", chain.display());
    let bytes = read(chain)?;
    let (certs, file_key) = if is_pem(&bytes) {
        pem_file(&bytes).map_err(named)?
    } else if is_pkcs12(&bytes) {
        super::pkcs12::read(&bytes, password).map_err(named)?
    } else {
        (der_certs(&bytes).map_err(named)?, None)
    };
    let key = match key {
        Some(path) => Some(key_file(path)?),
        None => file_key,
    };
    Ok(Provisioning {
        chain: Chain::build(certs),
        key,
    })
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let named = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(named)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(named)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "{}: longer than {MAX_FILE_BYTES} bytes: no certificate chain",
            path.display()
        ));
    }
    Ok(bytes)
}

fn is_pem(bytes: &[u8]) -> bool {
    bytes.windows(11).any(|w| w == b"-----BEGIN ")
}

/// PKCS#12's PFX is a SEQUENCE whose first element is the INTEGER 3; a certificate's is a
/// SEQUENCE (its to-be-signed part).
fn is_pkcs12(bytes: &[u8]) -> bool {
    let header = match bytes.get(1) {
        Some(&len) if len < 0x80 => 2,
        Some(&len) => 2 + usize::from(len & 0x7f),
        None => return false,
    };
    bytes.first() == Some(&0x30) && bytes.get(header..header + 3) == Some(&[0x02, 0x01, 0x03][..])
}

/// The certificates and the private key of a PEM file.
fn pem_file(bytes: &[u8]) -> Result<(Vec<Cert>, Option<PrivateKey>), String> {
    let blocks = pem::parse_many(bytes).map_err(|e| format!("bad PEM: {e}"))?;
    let mut certs = Vec::new();
    let mut key = None;
    for block in &blocks {
        match block.tag() {
            "CERTIFICATE" => certs.push(
                Cert::from_der(block.contents())
                    .map_err(|e| format!("certificate {}: {e}", certs.len() + 1))?,
            ),
            tag if tag.ends_with("PRIVATE KEY") => {
                key = Some(PrivateKey::from_pem(tag, block.contents())?)
            }
            _ => {}
        }
    }
    if certs.is_empty() {
        return Err("no certificate in the PEM file".into());
    }
    Ok((certs, key))
}

/// One or more DER certificates, one after the other.
fn der_certs(mut bytes: &[u8]) -> Result<Vec<Cert>, String> {
    if bytes.is_empty() {
        return Err("empty file: no certificate".into());
    }
    if bytes[0] != 0x30 {
        return Err("neither PEM, DER nor PKCS#12: no certificate".into());
    }
    let mut certs = Vec::new();
    while !bytes.is_empty() {
        let (rest, _) = x509_parser::parse_x509_certificate(bytes).map_err(|e| {
            format!(
                "DER certificate {}: not an X.509 certificate (truncated or damaged): {e}",
                certs.len() + 1
            )
        })?;
        certs.push(Cert::from_der(&bytes[..bytes.len() - rest.len()])?);
        bytes = rest;
    }
    Ok(certs)
}

/// `--key`: a PEM file with a private key, or a PKCS#8 DER key.
fn key_file(path: &Path) -> Result<PrivateKey, String> {
    let named = |e: String| format!("{}: {e}", path.display());
    let bytes = read(path)?;
    if !is_pem(&bytes) {
        return PrivateKey::pkcs8(&bytes)
            .map_err(|e| named(format!("not a PEM or PKCS#8 DER private key: {e}")));
    }
    let blocks = pem::parse_many(&bytes).map_err(|e| named(format!("bad PEM: {e}")))?;
    let block = blocks
        .iter()
        .find(|b| b.tag().ends_with("PRIVATE KEY"))
        .ok_or_else(|| named("no private key in the PEM file".into()))?;
    PrivateKey::from_pem(block.tag(), block.contents()).map_err(named)
}
