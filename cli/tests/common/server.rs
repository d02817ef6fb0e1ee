//! The SCA of [`amt_hello_cli::sca`] on an ephemeral loopback port, and the clients the TCP
//! tests send from.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use amt_hello::RetrySchedule;
use amt_hello_cli::device::{Device, Kind};
use amt_hello_cli::sca::{self, Config};
use serde_json::Value;
use serde_json::value::RawValue;

pub struct Server {
    pub addr: SocketAddr,
    reports: Receiver<Value>,
    thread: JoinHandle<Value>,
}

/// Starts the server on an ephemeral port; it exits after `connections` reports.
pub fn start(config: Config, connections: usize) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, reports) = channel();
    let tx = Mutex::new(tx);
    let sink = Arc::new(move |r: Box<RawValue>| {
        let report: Value = serde_json::from_str(r.get()).unwrap();
        tx.lock().unwrap().send(report).unwrap()
    });
    let thread =
        thread::spawn(move || sca::serve(listener, config, Some(connections), sink).unwrap());
    Server {
        addr,
        reports,
        thread,
    }
}

impl Server {
    pub fn next(&self) -> Value {
        self.reports
            .recv_timeout(Duration::from_secs(10))
            .expect("a report within 10 s")
    }

    /// Waits for the server to stop; its summary.
    pub fn finish(self) -> Value {
        self.thread.join().unwrap()
    }
}

pub fn send(addr: SocketAddr, bytes: &[u8]) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let _ = stream.write_all(bytes); // the server may cut a hostile stream off mid-write
}

pub fn device(addr: SocketAddr, chunk_bytes: Option<usize>) -> Device {
    Device {
        connect: addr,
        kind: Kind::Psk("ABCD1234".parse().unwrap()),
        uuid: "33221100-5544-7766-8899-aabbccddeeff".parse().unwrap(),
        localized_bios: false,
        schedule: RetrySchedule::first_window(),
        time_scale: 1.0,
        chunk_bytes,
        max_attempts: None,
    }
}

pub fn without_peer(mut report: Value) -> Value {
    report.as_object_mut().unwrap().remove("peer");
    report
}

/// A connection from `source` (a loopback address) that sends nothing.
pub fn idle_from(source: [u8; 4], to: SocketAddr) -> socket2::Socket {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.bind(&SocketAddr::from((source, 0)).into()).unwrap();
    socket.connect(&to.into()).unwrap();
    socket
}
