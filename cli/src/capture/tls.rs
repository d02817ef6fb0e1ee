//! TLS on the connect-back: after a Hello the SCA connects to the device (TLS on 16993) and
//! presents its provisioning chain; a device that rejects it ends the handshake with an alert.
//! The records of both directions are read with `tls-parser`: an alert sent before its sender's
//! ChangeCipherSpec is plaintext, so its description (`unknown_ca`, `bad_certificate`, ...) is
//! read; after it, or in TLS 1.3 (everything after the ServerHello is encrypted), only that a
//! short encrypted record ended the connection.

use tls_parser::{
    TlsExtension, TlsMessage, TlsMessageHandshake, TlsRecordType, TlsVersion,
    parse_tls_message_alert, parse_tls_message_handshake, parse_tls_raw_record,
    parse_tls_server_hello_extensions,
};

/// How the TLS handshake on a connect-back went, as far as the captured records show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// Neither side sent a TLS record.
    None,
    /// A plaintext alert: who sent it, whether it is fatal, and its description.
    Alert {
        by_device: bool,
        fatal: bool,
        description: String,
    },
    /// An encrypted record in place of the handshake's end (TLS 1.2 after ChangeCipherSpec, or
    /// TLS 1.3), then the sender closed: an alert that cannot be read.
    EncryptedAlert { by_device: bool },
    /// Both sides finished the handshake and the SCA sent application data.
    Completed { version: &'static str },
    /// A handshake began but neither ended it in the capture.
    Unfinished,
}

/// What one direction's records show.
#[derive(Debug, Default)]
struct Side {
    records: usize,
    /// The first plaintext alert: (fatal, description).
    alert: Option<(bool, String)>,
    /// Records that were sent encrypted (after ChangeCipherSpec, or TLS 1.3 application data).
    encrypted: usize,
    change_cipher_spec: bool,
    /// The ServerHello chose TLS 1.3 (only the server's side).
    tls13: bool,
}

/// The outcome from the SCA's bytes (`sca`, the TLS client) and the device's (`device`).
pub fn outcome(sca: &[u8], device: &[u8]) -> Tls {
    let (sca, device) = (side(sca), side(device));
    if sca.records == 0 && device.records == 0 {
        return Tls::None;
    }
    for (by_device, side) in [(true, &device), (false, &sca)] {
        if let Some((fatal, description)) = &side.alert {
            let (fatal, description) = (*fatal, description.clone());
            return Tls::Alert {
                by_device,
                fatal,
                description,
            };
        }
    }
    let tls13 = device.tls13;
    // TLS 1.2: each side's Finished is its first encrypted record; the SCA's next ones are
    // application data. TLS 1.3: the SCA's Finished, then its application data.
    let sca_done = sca.encrypted >= 2 && (tls13 || sca.change_cipher_spec);
    let device_done = device.encrypted >= 1 && (tls13 || device.change_cipher_spec);
    match (sca_done, device_done) {
        (true, true) => Tls::Completed {
            version: if tls13 { "TLS 1.3" } else { "TLS 1.2" },
        },
        // The device spoke last, encrypted, and the SCA never got further: its alert.
        (false, true) if tls13 || sca.change_cipher_spec => Tls::EncryptedAlert { by_device: true },
        _ => Tls::Unfinished,
    }
}

fn side(mut bytes: &[u8]) -> Side {
    let mut side = Side::default();
    while let Ok((rest, record)) = parse_tls_raw_record(bytes) {
        bytes = rest;
        side.records += 1;
        let encrypted = side.change_cipher_spec || side.tls13;
        match record.hdr.record_type {
            TlsRecordType::ChangeCipherSpec => side.change_cipher_spec = true,
            TlsRecordType::Alert if !encrypted && side.alert.is_none() => {
                if let Ok((_, TlsMessage::Alert(alert))) = parse_tls_message_alert(record.data) {
                    side.alert = Some((alert.severity.0 == 2, alert_name(alert.code.0)));
                }
            }
            TlsRecordType::Handshake if !encrypted => {
                let handshake = parse_tls_message_handshake(record.data);
                if let Ok((_, TlsMessage::Handshake(TlsMessageHandshake::ServerHello(hello)))) =
                    handshake
                {
                    side.tls13 = hello.ext.is_some_and(chooses_tls13);
                }
            }
            TlsRecordType::ApplicationData | TlsRecordType::Alert | TlsRecordType::Handshake => {
                side.encrypted += 1;
            }
            _ => {}
        }
    }
    side
}

/// Whether a ServerHello's extensions choose TLS 1.3 (`supported_versions`).
fn chooses_tls13(extensions: &[u8]) -> bool {
    let Ok((_, extensions)) = parse_tls_server_hello_extensions(extensions) else {
        return false;
    };
    extensions
        .iter()
        .any(|e| matches!(e, TlsExtension::SupportedVersions(v) if v.contains(&TlsVersion::Tls13)))
}

/// The alert's name as RFC 8446 spells it (`unknown_ca`), or its number.
fn alert_name(code: u8) -> String {
    let name = tls_parser::TlsAlertDescription(code).to_string();
    match name.starts_with(char::is_uppercase) && !name.contains('(') {
        true => snake_case(&name),
        false => format!("alert {code}"),
    }
}

/// `UnknownCa` → `unknown_ca`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Tls, alert_name, outcome, snake_case};

    fn record(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![kind, 3, 3];
        out.extend(u16::try_from(body.len()).unwrap().to_be_bytes());
        out.extend(body);
        out
    }

    /// A handshake message of type `kind` with an empty-ish body.
    fn handshake(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut message = vec![kind, 0, 0, u8::try_from(body.len()).unwrap()];
        message.extend(body);
        record(22, &message)
    }

    /// A TLS 1.2 ServerHello: version, random, no session id, a cipher, no compression.
    fn server_hello(extensions: &[u8]) -> Vec<u8> {
        let mut body = vec![3, 3];
        body.extend([0u8; 32]);
        body.extend([0, 0xc0, 0x2f, 0]);
        if !extensions.is_empty() {
            body.extend(u16::try_from(extensions.len()).unwrap().to_be_bytes());
            body.extend(extensions);
        }
        handshake(2, &body)
    }

    fn cat(records: &[Vec<u8>]) -> Vec<u8> {
        records.concat()
    }

    #[test]
    fn a_plaintext_alert_from_the_device_is_named() {
        let sca = cat(&[handshake(1, &[3, 3]), handshake(11, &[0, 0, 0])]);
        let device = cat(&[server_hello(&[]), record(21, &[2, 48])]);
        assert_eq!(
            outcome(&sca, &device),
            Tls::Alert {
                by_device: true,
                fatal: true,
                description: "unknown_ca".into()
            }
        );
        let bad = cat(&[server_hello(&[]), record(21, &[2, 42])]);
        assert!(
            matches!(outcome(&sca, &bad), Tls::Alert { description, .. } if description == "bad_certificate")
        );
    }

    #[test]
    fn a_tls12_handshake_both_sides_finish_is_completed() {
        let ccs = record(20, &[1]);
        let sca = cat(&[
            handshake(1, &[3, 3]),
            ccs.clone(),
            record(22, &[9; 40]),
            record(23, &[9; 64]),
        ]);
        let device = cat(&[server_hello(&[]), ccs.clone(), record(22, &[9; 40])]);
        assert_eq!(
            outcome(&sca, &device),
            Tls::Completed { version: "TLS 1.2" }
        );
        // The device's Finished never came: unfinished, not completed.
        let device = cat(&[server_hello(&[])]);
        assert_eq!(outcome(&sca, &device), Tls::Unfinished);
        // The device switched to encryption and answered the SCA's Finished with one short
        // encrypted record: an alert that cannot be read.
        let sca = cat(&[handshake(1, &[3, 3]), ccs.clone(), record(22, &[9; 40])]);
        let device = cat(&[server_hello(&[]), ccs, record(21, &[9; 26])]);
        assert_eq!(
            outcome(&sca, &device),
            Tls::EncryptedAlert { by_device: true }
        );
    }

    #[test]
    fn tls13_is_told_by_the_server_hello_and_nothing_is_no_tls() {
        // supported_versions (43) = 0x0304.
        let device = cat(&[server_hello(&[0, 43, 0, 2, 3, 4]), record(23, &[9; 90])]);
        let sca = cat(&[
            handshake(1, &[3, 3]),
            record(23, &[9; 60]),
            record(23, &[9; 30]),
        ]);
        assert_eq!(
            outcome(&sca, &device),
            Tls::Completed { version: "TLS 1.3" }
        );
        let sca = cat(&[handshake(1, &[3, 3]), record(23, &[9; 60])]);
        assert_eq!(
            outcome(&sca, &device),
            Tls::EncryptedAlert { by_device: true }
        );
        assert_eq!(outcome(&[], &[]), Tls::None);
        assert_eq!(outcome(b"GET / HTTP/1.1\r\n", &[]), Tls::None);
    }

    #[test]
    fn alert_names_are_snake_case() {
        assert_eq!(snake_case("HandshakeFailure"), "handshake_failure");
        assert_eq!(snake_case("CloseNotify"), "close_notify");
        assert_eq!(alert_name(48), "unknown_ca");
        assert_eq!(alert_name(201), "alert 201");
    }
}
