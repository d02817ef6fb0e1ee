//! A load check for `amt-hello listen`, in one command: it starts a fresh server process for
//! each row, drives it from this process over loopback, and reports Hellos/s, every device's
//! time to be served, and the server's peak RSS (from `/proc`).
//!
//! ```sh
//! cargo build --release -p amt-hello-cli --bin amt-hello --example load
//! target/release/examples/load                      # every row, 5 s each
//! target/release/examples/load --rows devices --seconds 2 --server path/to/old/amt-hello
//! ```
//!
//! Rows: `devices` (1, 16, 200 and 1,000 devices sending as fast as the server serves them),
//! `idle` (10,000 idle connections from 127.0.0.2–127.0.0.40 held open while 1,000 devices from
//! 127.0.0.1 connect once each), `flood` (one address, 127.0.0.2, opens 5,000 connections while
//! 1,000 devices from 127.0.0.1 connect). Everything stays on 127.0.0.0/8, bounded in count and
//! time.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use amt_hello_cli::device::{numbered_hello, send_and_wait};
use clap::{Parser, ValueEnum};
use socket2::{Domain, Socket, Type};

/// Load rows against a fresh `amt-hello listen` process each.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The `amt-hello` binary whose `listen` is measured [default: the one built with this
    /// example, target/<profile>/amt-hello]
    #[arg(long, value_name = "PATH")]
    server: Option<std::path::PathBuf>,
    /// Which rows to run.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "devices,idle,flood"
    )]
    rows: Vec<Row>,
    /// Seconds each `devices` row sends for.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Hashes in each Hello (0 sends PSK Hellos).
    #[arg(long, default_value_t = 23)]
    pki_hashes: usize,
    /// Idle connections held open in the `idle` row.
    #[arg(long, default_value_t = 10_000)]
    idle: usize,
    /// Connections the one hostile address opens in the `flood` row.
    #[arg(long, default_value_t = 5_000)]
    flood: usize,
    /// Devices that connect once each during the `idle` and `flood` rows.
    #[arg(long, default_value_t = 1_000)]
    good: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Row {
    Devices,
    Idle,
    Flood,
}

/// A server process on a port of its own, and its stdout.
struct Server {
    child: Child,
    addr: SocketAddr,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Server {
    fn start(binary: &std::path::Path, port: u16, extra: &[&str]) -> Result<Server, String> {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut child = Command::new(binary)
            .args(["listen", "--listen"])
            .arg(addr.to_string())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
            if started.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                return Err(format!("the server did not listen on {addr}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // The probe connection above is reported as an error line; drop it from the counts.
        let _ = lines.recv_timeout(Duration::from_secs(10));
        Ok(Server { child, addr, lines })
    }

    /// Peak resident memory so far, in MB (VmHWM).
    fn peak_rss_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()));
        status
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }

    /// Stops the server (SIGTERM, then SIGKILL) and counts its report lines.
    fn stop(mut self) -> (usize, usize) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(40);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (mut decoded, mut errors) = (0, 0);
        for line in self.lines.try_iter() {
            if line.contains("\"error\"") {
                errors += 1;
            } else if line.contains("\"uuid\"") {
                decoded += 1;
            }
        }
        (decoded, errors)
    }
}

/// A connection from `source` that sends nothing.
fn idle_from(source: Ipv4Addr, to: SocketAddr) -> std::io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&SocketAddr::new(IpAddr::V4(source), 0).into())?;
    socket.connect_timeout(&to.into(), Duration::from_secs(2))?;
    Ok(socket)
}

/// `devices` threads send Hellos back to back for `seconds`; returns Hellos/s and failures.
fn devices_row(addr: SocketAddr, devices: usize, seconds: f64, hashes: usize) -> (f64, u64) {
    let (sent, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let threads: Vec<_> = (0..devices)
        .map(|i| {
            let (sent, failed, hello) = (
                sent.clone(),
                failed.clone(),
                numbered_hello(i as u64, hashes),
            );
            std::thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || {
                    while Instant::now() < deadline {
                        let counter = if send_and_wait(addr, &hello).is_ok() {
                            &sent
                        } else {
                            &failed
                        };
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                })
                .expect("a device thread")
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    (
        sent.load(Ordering::Relaxed) as f64 / elapsed,
        failed.load(Ordering::Relaxed),
    )
}

/// `good` devices from 127.0.0.1 connect once each, 50 at a time; returns the slowest time to
/// be served and how many failed.
fn good_devices(addr: SocketAddr, good: usize, hashes: usize) -> (Duration, usize) {
    let slowest = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let per_thread = good.div_ceil(50);
    let threads: Vec<_> = (0..50)
        .map(|t| {
            let (slowest, failed) = (slowest.clone(), failed.clone());
            std::thread::spawn(move || {
                for i in (t * per_thread..(t + 1) * per_thread).take_while(|&i| i < good) {
                    let hello = numbered_hello(100_000 + i as u64, hashes);
                    let started = Instant::now();
                    if send_and_wait(addr, &hello).is_err() {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    let micros = started.elapsed().as_micros() as u64;
                    slowest.fetch_max(micros, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
    (
        Duration::from_micros(slowest.load(Ordering::Relaxed)),
        failed.load(Ordering::Relaxed) as usize,
    )
}

/// Opens `count` idle connections spread over 127.0.0.{first}..=127.0.0.{last}.
fn open_idle(addr: SocketAddr, count: usize, first: u8, last: u8) -> Vec<Socket> {
    let sources: Vec<Ipv4Addr> = (first..=last)
        .map(|d| Ipv4Addr::new(127, 0, 0, d))
        .collect();
    (0..count)
        .filter_map(|i| idle_from(sources[i % sources.len()], addr).ok())
        .collect()
}

fn main() -> Result<(), String> {
    let args = Args::parse();
    amt_hello_cli::raise_open_files_limit();
    let server = args.server.clone().unwrap_or_else(|| {
        // target/<profile>/examples/load -> target/<profile>/amt-hello
        let me = std::env::current_exe().unwrap_or_default();
        let profile = me.parent().and_then(std::path::Path::parent);
        profile.map_or("amt-hello".into(), |dir| dir.join("amt-hello"))
    });
    let mut port = 19_971;
    let mut next_port = || {
        port += 1;
        port
    };
    println!(
        "{:<44} {:>10} {:>8} {:>7} {:>12} {:>10}",
        "row", "Hellos/s", "decoded", "errors", "slowest", "peak RSS"
    );
    let print =
        |row: &str, rate: String, decoded: usize, errors: usize, slowest: String, rss: f64| {
            println!("{row:<44} {rate:>10} {decoded:>8} {errors:>7} {slowest:>12} {rss:>8.1} MB");
        };

    if args.rows.contains(&Row::Devices) {
        for devices in [1, 16, 200, 1000] {
            let s = Server::start(&server, next_port(), &[])?;
            let (rate, _failed) = devices_row(s.addr, devices, args.seconds, args.pki_hashes);
            let rss = s.peak_rss_mb();
            let (decoded, errors) = s.stop();
            print(
                &format!("{devices} devices"),
                format!("{rate:.0}"),
                decoded,
                errors,
                "-".into(),
                rss,
            );
        }
    }
    if args.rows.contains(&Row::Idle) {
        let s = Server::start(
            &server,
            next_port(),
            &["--idle-timeout-ms", "60000", "--deadline-ms", "120000"],
        )?;
        let idle = open_idle(s.addr, args.idle, 2, 40);
        let held = idle.len();
        std::thread::sleep(Duration::from_millis(500));
        let (slowest, _failed) = good_devices(s.addr, args.good, args.pki_hashes);
        let rss = s.peak_rss_mb();
        drop(idle);
        let (decoded, errors) = s.stop();
        print(
            &format!("{held} idle + {} devices", args.good),
            "-".into(),
            decoded,
            errors,
            format!("{} ms", slowest.as_millis()),
            rss,
        );
    }
    if args.rows.contains(&Row::Flood) {
        let s = Server::start(&server, next_port(), &[])?;
        let hostile = open_idle(s.addr, args.flood, 2, 2);
        let opened = hostile.len();
        std::thread::sleep(Duration::from_millis(500));
        let (slowest, _failed) = good_devices(s.addr, args.good, args.pki_hashes);
        let rss = s.peak_rss_mb();
        drop(hostile);
        let (decoded, errors) = s.stop();
        print(
            &format!("{opened} from one address + {} devices", args.good),
            "-".into(),
            decoded,
            errors,
            format!("{} ms", slowest.as_millis()),
            rss,
        );
    }
    Ok(())
}
