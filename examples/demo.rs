//! The one-command demo: an SCA on an ephemeral loopback port, and two simulated devices
//! sending their Hellos over real TCP on the retry schedule, with time compressed so the first
//! quarter hour passes in about two seconds. Only the library: `std_io::read_hello` on the SCA
//! side, `Hello::encode_into` and `RetrySchedule` on the device side. (`amt-hello listen` and
//! `amt-hello device`, in `cli/`, are the full versions.)
//!
//! ```sh
//! cargo run --example demo
//! ```

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use amt_hello::stream::std_io::read_hello;
use amt_hello::{AdminCredentials, CertHash, HashAlgorithm, Hello, HelloView, Payload, Policy};
use amt_hello::{MAX_STRICT_LEN, RetrySchedule};

const ATTEMPTS: usize = 8; // 0, 1, 2, 3, 4, 5, 10 and 15 minutes into the window
const TIME_SCALE: f64 = 480.0; // 8 simulated minutes per real second

fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: cargo run --example demo (it takes no arguments)");
        std::process::exit(2);
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    println!("SCA listening on {addr} (an ephemeral loopback port)\n");
    let (reports, received) = mpsc::channel();
    let sca = thread::spawn(move || sca(listener, 2 * ATTEMPTS, reports));

    let psk = Hello {
        admin_credentials: AdminCredentials::Set,
        retry_count: 0,
        uuid: "33221100-5544-7766-8899-aabbccddeeff".parse().unwrap(),
        payload: Payload::Psk("DEMO0001".parse().unwrap()),
    };
    let mut pki: Hello = Hello::EMPTY; // PKI, no hashes yet
    pki.uuid = "939b524b-13d4-1d18-e487-1c697a6b7a2b".parse().unwrap();
    pki.admin_credentials = AdminCredentials::LocalizedBios;
    if let Payload::Pki(hashes) = &mut pki.payload {
        for i in 0..23u8 {
            let hash = CertHash::new(HashAlgorithm::Sha256, &[i; 32]).unwrap();
            hashes.push(hash).unwrap();
        }
    }
    // The PKI device sends its 807-byte Hello in 100-byte writes: the SCA must reassemble it.
    let devices = [
        ("PSK", psk, RetrySchedule::first_window(), None),
        ("PKI", pki, RetrySchedule::reopened_window(), Some(100)),
    ];
    for (name, _, schedule, _) in &devices {
        println!(
            "{name} device: {} attempts scheduled in a {} h window; sending the first {ATTEMPTS}",
            schedule.attempt_count(),
            schedule.window().as_secs() / 3600
        );
    }
    println!();
    let devices: Vec<_> = devices
        .into_iter()
        .map(|(name, hello, schedule, chunk)| {
            thread::spawn(move || device(name, hello, schedule, chunk, addr))
        })
        .collect();
    for device in devices {
        device.join().unwrap();
    }
    sca.join().unwrap();

    let reports: Vec<Option<String>> = received.try_iter().collect();
    let decoded = reports.iter().flatten().count();
    println!("\nThe SCA decoded {decoded} of {} Hellos.", reports.len());
    if let Some(last) = reports
        .iter()
        .flatten()
        .rev()
        .find(|r| r.contains("\"pid\":\""))
    {
        println!("The last PSK Hello as JSON (the crate's serde form):\n{last}");
    }
}

/// The SCA: accepts `connections` devices one after another and reads one Hello from each;
/// sends the JSON of each Hello (or `None`) to `reports`.
fn sca(listener: TcpListener, connections: usize, reports: mpsc::Sender<Option<String>>) {
    let mut buf = vec![0u8; MAX_STRICT_LEN];
    for stream in listener.incoming().take(connections) {
        let mut stream = stream.expect("a connection");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        match read_hello(&mut stream, &mut buf, Policy::Strict) {
            Ok(hello) => {
                println!("  SCA  <- {}", describe(&hello));
                reports.send(serde_json::to_string(&hello).ok()).unwrap();
            }
            Err(e) => {
                println!("  SCA  <- error: {e}");
                reports.send(None).unwrap();
            }
        }
    }
}

/// One line a person can read.
fn describe(hello: &HelloView<'_>) -> String {
    let what = match hello.pid() {
        Some(pid) => format!("PSK Hello, PID {pid}"),
        None => format!(
            "PKI Hello, {} root-certificate hashes",
            hello.cert_hashes().count()
        ),
    };
    let credentials = hello.admin_credentials();
    let notice = if credentials.must_set_new_credentials() {
        format!(" [{credentials}]")
    } else {
        String::new()
    };
    format!(
        "{what}, retry count {}, {} bytes, UUID {}{notice}",
        hello.retry_count(),
        hello.encoded_len(),
        hello.uuid()
    )
}

/// A device in Setup Mode: the first attempts of its schedule, one connection each, the Hello
/// carrying the attempt's retry count, written whole or in `chunk`-byte pieces.
fn device(
    name: &str,
    mut hello: Hello,
    schedule: RetrySchedule,
    chunk: Option<usize>,
    to: SocketAddr,
) {
    for attempt in schedule.attempts().take(ATTEMPTS) {
        thread::sleep(attempt.delay.div_f64(TIME_SCALE));
        hello.retry_count = attempt.retry_count;
        let mut bytes = vec![0u8; hello.encoded_len()];
        hello.encode_into(&mut bytes).unwrap();
        let sent = TcpStream::connect(to).and_then(|mut stream| {
            bytes
                .chunks(chunk.unwrap_or(bytes.len()))
                .try_for_each(|piece| {
                    thread::sleep(Duration::from_millis(1));
                    stream.write_all(piece)
                })
        });
        let at = attempt.at.as_secs();
        println!(
            "  {name} -> attempt {} at {}h {:02}m {:02}s with retry count {}: {}",
            attempt.number,
            at / 3600,
            at / 60 % 60,
            at % 60,
            attempt.retry_count,
            if sent.is_ok() { "sent" } else { "FAILED" }
        );
    }
}
