//! The device side: build the Hello an AMT device in Setup Mode sends, and send it on the
//! crate's retry schedule (time compressed for demos), one TCP connection per attempt.
//! `amt-hello device` runs one; the tests drive it against the SCA of [`crate::sca`].

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use amt_hello::{
    AdminCredentials, Attempt, CertHash, HashAlgorithm, Hello, Payload, Pid, RetrySchedule, Uuid,
};

/// What the simulated device sends.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A PSK Hello with this PID.
    Psk(Pid),
    /// A PKI Hello with this many (synthetic) SHA-256 root-certificate hashes.
    Pki(usize),
}

/// One simulated device.
#[derive(Debug, Clone)]
pub struct Device {
    pub connect: SocketAddr,
    pub kind: Kind,
    pub uuid: Uuid,
    pub localized_bios: bool,
    pub schedule: RetrySchedule,
    /// Simulated seconds per real second.
    pub time_scale: f64,
    /// Send each Hello in writes of this many bytes, pausing between them.
    pub chunk_bytes: Option<usize>,
    /// Stop after this many attempts (the schedule's end otherwise).
    pub max_attempts: Option<usize>,
}

/// A deterministic 32-byte stand-in for the fingerprint of trusted root number `i`.
pub fn synthetic_sha256(i: usize) -> [u8; 32] {
    let mut digest = [0u8; 32];
    let mut x = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for byte in &mut digest {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *byte = x as u8;
    }
    digest
}

impl Device {
    /// The Hello of the attempt with this retry count (a PKI Hello lists at most 255 hashes).
    pub fn hello(&self, retry_count: u32) -> Vec<u8> {
        let mut hello: Hello<255> = Hello::EMPTY;
        match &self.kind {
            Kind::Psk(pid) => hello.payload = Payload::Psk(*pid),
            Kind::Pki(n) => {
                if let Payload::Pki(hashes) = &mut hello.payload {
                    for i in 0..*n {
                        let Ok(hash) = CertHash::new(HashAlgorithm::Sha256, &synthetic_sha256(i))
                        else {
                            break;
                        };
                        if hashes.push(hash).is_err() {
                            break;
                        }
                    }
                }
            }
        }
        hello.admin_credentials = if self.localized_bios {
            AdminCredentials::LocalizedBios
        } else {
            AdminCredentials::Set
        };
        hello.retry_count = retry_count;
        hello.uuid = self.uuid;
        let mut buf = vec![0u8; hello.encoded_len()];
        // Sized by encoded_len, so this cannot fail; if it did, the device sends nothing.
        let len = hello.encode_into(&mut buf).unwrap_or(0);
        buf.truncate(len);
        buf
    }

    /// Connects, sends one Hello (in chunks if asked), and closes.
    pub fn send(&self, hello: &[u8]) -> std::io::Result<()> {
        let mut stream = TcpStream::connect_timeout(&self.connect, Duration::from_secs(5))?;
        stream.set_nodelay(true)?;
        match self.chunk_bytes {
            Some(n) => {
                for piece in hello.chunks(n.max(1)) {
                    stream.write_all(piece)?;
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
            None => stream.write_all(hello)?,
        }
        stream.shutdown(std::net::Shutdown::Write)
    }

    /// Runs the schedule: waits each attempt's (scaled) delay, sends, and reports. A time
    /// scale that is not a positive number counts as 1.
    pub fn run(&self, mut report: impl FnMut(&Attempt, &std::io::Result<()>)) {
        let attempts = self
            .schedule
            .attempts()
            .take(self.max_attempts.unwrap_or(usize::MAX));
        for attempt in attempts {
            std::thread::sleep(scaled(attempt.delay, self.time_scale));
            let result = self.send(&self.hello(attempt.retry_count));
            report(&attempt, &result);
        }
    }
}

/// The Hello of load device number `n` (its UUID starts with `n`): PSK (`hashes` 0, PID
/// LOAD-0000) or PKI with `hashes` synthetic roots, retry count 0. The load examples send these.
pub fn numbered_hello(n: u64, hashes: usize) -> Vec<u8> {
    let mut raw = [0u8; 16];
    raw[..8].copy_from_slice(&n.to_le_bytes());
    let kind = match hashes {
        0 => Kind::Psk(Pid::from_bytes_lenient(*b"LOAD0000")),
        n => Kind::Pki(n),
    };
    Device {
        connect: SocketAddr::from(([127, 0, 0, 1], 9)),
        kind,
        uuid: Uuid::from_bytes(raw),
        localized_bios: false,
        schedule: RetrySchedule::first_window(),
        time_scale: 1.0,
        chunk_bytes: None,
        max_attempts: None,
    }
    .hello(0)
}

/// Sends `hello` on its own connection, half-closes it and waits for the server to close: a
/// sender then has one connection in flight, so a load measures the server, not the backlog.
pub fn send_and_wait(addr: SocketAddr, hello: &[u8]) -> std::io::Result<()> {
    use std::io::Read;
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(hello)?;
    stream.shutdown(std::net::Shutdown::Write)?;
    stream.read(&mut [0u8; 1]).map(|_| ())
}

/// `delay` in real time at `time_scale` simulated seconds per real second.
fn scaled(delay: Duration, time_scale: f64) -> Duration {
    let scale = if time_scale.is_finite() && time_scale > 0.0 {
        time_scale
    } else {
        1.0
    };
    Duration::try_from_secs_f64(delay.as_secs_f64() / scale).unwrap_or(Duration::MAX)
}

/// `1h 05m 00s` style text for a simulated time.
pub fn clock(t: Duration) -> String {
    let s = t.as_secs();
    format!("{}h {:02}m {:02}s", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use amt_hello::{HelloView, RetrySchedule};

    use super::{Device, Kind, clock, scaled};

    fn device(kind: Kind) -> Device {
        Device {
            connect: ([127, 0, 0, 1], 9).into(),
            kind,
            uuid: "33221100-5544-7766-8899-aabbccddeeff".parse().unwrap(),
            localized_bios: true,
            schedule: RetrySchedule::first_window(),
            time_scale: 1.0,
            chunk_bytes: None,
            max_attempts: None,
        }
    }

    #[test]
    fn hellos_carry_the_retry_count_and_at_most_255_hashes() {
        let psk = device(Kind::Psk("ABCD1234".parse().unwrap())).hello(7);
        let view = HelloView::parse(&psk).unwrap();
        assert_eq!((view.retry_count(), view.pid().is_some()), (7, true));
        assert!(view.admin_credentials().must_set_new_credentials());
        let pki = device(Kind::Pki(300)).hello(0);
        let view = HelloView::parse(&pki).unwrap();
        assert_eq!(view.cert_hashes().count(), 255);
    }

    #[test]
    fn time_is_compressed_by_a_positive_scale_only() {
        let minute = Duration::from_secs(60);
        assert_eq!(scaled(minute, 60.0), Duration::from_secs(1));
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(scaled(minute, bad), minute, "{bad}");
        }
        assert_eq!(clock(Duration::from_secs(3900)), "1h 05m 00s");
    }
}
