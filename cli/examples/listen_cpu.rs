//! What a server costs per Hello: the CPU time its process spends (user + system, from
//! `/proc/PID/stat`) while a loopback client sends it a number of Hellos, each on its own TCP
//! connection (connect, write, half-close, wait for the server's close), divided by that number.
//! On a small machine the client, not the server, caps the rate, so CPU per Hello is the figure
//! that compares servers; the rate is printed too. `cli/benches/listen.sh` runs it against
//! `amt-hello listen`, a null server and MeshCentral's.
//!
//! ```sh
//! cargo build --release -p amt-hello-cli --bin amt-hello --example listen_cpu
//! target/release/examples/listen_cpu -- target/release/amt-hello listen --listen 127.0.0.1:{port}
//! ```
//!
//! `{port}` in the server's command becomes a free loopback port. Everything stays on 127.0.0.1,
//! bounded in count and time.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use amt_hello_cli::device::{numbered_hello, send_and_wait};
use clap::Parser;

/// Measures a server's CPU time per Hello (see the module docs).
#[derive(Parser, Debug)]
#[command(about)]
struct Args {
    /// Hellos measured.
    #[arg(long, default_value_t = 30_000)]
    hellos: u64,
    /// Hellos sent before measuring (the server's start-up and warm-up are not counted).
    #[arg(long, default_value_t = 2_000)]
    warmup: u64,
    /// Client threads, each with one connection in flight.
    #[arg(long, default_value_t = 8)]
    concurrency: u64,
    /// Hashes in each Hello (0 sends PSK Hellos).
    #[arg(long, default_value_t = 23)]
    pki_hashes: usize,
    /// The server's command; `{port}` is replaced by the port it must listen on.
    #[arg(last = true, required = true)]
    server: Vec<String>,
}

fn main() -> Result<(), String> {
    let args = Args::parse();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let command: Vec<String> = args
        .server
        .iter()
        .map(|a| a.replace("{port}", &port.to_string()))
        .collect();
    let mut server = Command::new(&command[0])
        .args(&command[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", command[0]))?;
    let result = measure(&args, addr, &server);
    let _ = server.kill();
    let _ = server.wait();
    let (cpu, seconds, failed) = result?;
    let hellos = args.hellos as f64;
    println!(
        "cpu_us_per_hello {:.2} hellos_per_s {:.0} failed {failed}",
        cpu * 1e6 / hellos,
        hellos / seconds
    );
    Ok(())
}

/// The server's CPU seconds and the wall seconds for `args.hellos` Hellos, and the failures.
fn measure(args: &Args, addr: SocketAddr, server: &Child) -> Result<(f64, f64, u64), String> {
    let started = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
        if started.elapsed() > Duration::from_secs(20) {
            return Err(format!("the server did not listen on {addr}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    send(args, addr, args.warmup);
    let before = cpu_seconds(server.id())?;
    let started = Instant::now();
    let failed = send(args, addr, args.hellos);
    let seconds = started.elapsed().as_secs_f64();
    let after = cpu_seconds(server.id())?;
    Ok((after - before, seconds, failed))
}

/// Sends `count` Hellos from `args.concurrency` threads; returns how many failed.
fn send(args: &Args, addr: SocketAddr, count: u64) -> u64 {
    let (next, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let threads: Vec<_> = (0..args.concurrency)
        .map(|i| {
            let (next, failed) = (next.clone(), failed.clone());
            let hello = numbered_hello(i, args.pki_hashes);
            std::thread::spawn(move || {
                while next.fetch_add(1, Ordering::Relaxed) < count {
                    if send_and_wait(addr, &hello).is_err() {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        let _ = thread.join();
    }
    failed.load(Ordering::Relaxed)
}

/// The process's user + system CPU seconds so far (all its threads), from `/proc/PID/stat`.
fn cpu_seconds(pid: u32) -> Result<f64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).map_err(|e| e.to_string())?;
    // Fields after the command's closing parenthesis: state is 3, utime 14, stime 15.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    let (Some(user), Some(system)) = (ticks(11), ticks(12)) else {
        return Err(format!("/proc/{pid}/stat: no utime and stime"));
    };
    Ok((user + system) / clock_ticks_per_second())
}

fn clock_ticks_per_second() -> f64 {
    let out = Command::new("getconf").arg("CLK_TCK").output();
    out.ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}
