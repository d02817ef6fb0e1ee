//! Writes the capture the `capture` benchmark reads: a fleet of devices, each sending one
//! real-size PKI Hello (the 807-byte Hello of `tests/data/real/meshcentral-pki-v3-1.hex`, 23
//! SHA-256 roots, with the device's own UUID and retry count) to an SCA on port 9971, with its
//! handshake, the Hello in two or three segments and both FINs: 7 or 8 packets a device (about
//! 750,000 for 100,000 devices), 64 connections open at a time. With `--path`, each device's
//! DHCP ACK (option 15) and its `ProvisionServer` lookup and answer come first (3 packets more).
//! The clients are in 198.18.0.0/15, the range RFC 2544 sets aside for benchmarks; nothing is
//! sent anywhere, the packets only go to a file.
//!
//! ```sh
//! cargo run --release -p amt-hello-cli --example fleet_capture -- --devices 100000 /tmp/fleet.pcap
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::Ipv4Addr;
use std::path::PathBuf;

use amt_hello::layout::{RETRY_COUNT_OFFSET, UUID_OFFSET};
use clap::Parser;
use etherparse::PacketBuilder;

/// Writes a pcap of a fleet's Hellos (see the module docs).
#[derive(Parser, Debug)]
#[command(about)]
struct Args {
    /// How many devices (one connection each).
    #[arg(long, default_value_t = 100_000)]
    devices: u32,
    /// Connections open at the same time (their packets interleave).
    #[arg(long, default_value_t = 64)]
    concurrent: u32,
    /// Add each device's DHCP ACK and DNS lookup before its Hello.
    #[arg(long)]
    path: bool,
    /// The pcap file to write.
    out: PathBuf,
}

const REAL_HELLO: &str = include_str!("../../tests/data/real/meshcentral-pki-v3-1.hex");
const SCA: [u8; 4] = [192, 0, 2, 10];
const DHCP: [u8; 4] = [192, 0, 2, 2];
const DNS: [u8; 4] = [192, 0, 2, 53];
const PORT: u16 = 9971;
/// 2026-11-30T00:53:20Z.
const T0_MICROS: u64 = 1_796_000_000 * 1_000_000;

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let template =
        amt_hello_cli::hex::to_bytes(REAL_HELLO.trim()).map_err(std::io::Error::other)?;
    let mut out = BufWriter::new(File::create(&args.out)?);
    // The pcap global header: microsecond timestamps, version 2.4, snaplen 65535, Ethernet.
    for word in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65_535, 1] {
        out.write_all(&word.to_le_bytes())?;
    }
    let (mut packets, mut clock) = (0u64, T0_MICROS);
    let concurrent = args.concurrent.max(1);
    let mut first = 0;
    while first < args.devices {
        let batch: Vec<Connection> = (first..args.devices.min(first.saturating_add(concurrent)))
            .map(|n| Connection::new(n, &template))
            .collect();
        if args.path {
            for connection in &batch {
                for frame in connection.path() {
                    clock += 37;
                    write_record(&mut out, clock, &frame)?;
                    packets += 1;
                }
            }
        }
        // Step s of every connection in the batch, then step s + 1: the packets interleave.
        let steps = batch.iter().map(|c| c.steps()).max().unwrap_or(0);
        for step in 0..steps {
            for connection in &batch {
                if let Some(frame) = connection.packet(step) {
                    clock += 37;
                    write_record(&mut out, clock, &frame)?;
                    packets += 1;
                }
            }
        }
        first = first.saturating_add(concurrent);
    }
    out.flush()?;
    eprintln!(
        "{}: {} devices, {packets} packets",
        args.out.display(),
        args.devices
    );
    Ok(())
}

/// One device's connection to the SCA.
struct Connection {
    client: [u8; 4],
    port: u16,
    hello: Vec<u8>,
    segments: usize,
}

const ISN: u32 = 1_000;
const SERVER_ISN: u32 = 5_000_000;

impl Connection {
    fn new(n: u32, template: &[u8]) -> Self {
        let mut hello = template.to_vec();
        hello[UUID_OFFSET..UUID_OFFSET + 4].copy_from_slice(&n.to_le_bytes());
        hello[RETRY_COUNT_OFFSET] = (n % 5) as u8;
        Connection {
            client: Ipv4Addr::from(0xc612_0000 + n % 0x2_0000).octets(),
            port: 1024 + (n % 60_000) as u16,
            hello,
            segments: 2 + (n % 2) as usize,
        }
    }

    /// The DHCP server's ACK (option 15), the device's lookup of ProvisionServer and its answer.
    fn path(&self) -> Vec<Vec<u8>> {
        use dhcproto::{Encodable, Encoder, v4};
        use hickory_proto::op::{Message, MessageType, OpCode, Query};
        use hickory_proto::rr::{Name, RData, Record, RecordType, rdata::A};

        let (zero, client) = (Ipv4Addr::UNSPECIFIED, Ipv4Addr::from(self.client));
        let mut ack = v4::Message::new(zero, client, zero, zero, &[2, 0, 0, 0, 0, 1]);
        ack.set_xid(u32::from(self.port)); // dhcproto picks a random one
        ack.opts_mut()
            .insert(v4::DhcpOption::MessageType(v4::MessageType::Ack));
        ack.opts_mut()
            .insert(v4::DhcpOption::DomainName("example.com".into()));
        let mut dhcp = Vec::new();
        let _ = ack.encode(&mut Encoder::new(&mut dhcp));
        let name = Name::from_ascii("ProvisionServer.example.com.").unwrap_or_default();
        let mut query = Message::new(self.port, MessageType::Query, OpCode::Query);
        query.add_query(Query::query(name.clone(), RecordType::A));
        let mut answer = query.clone();
        answer.metadata.message_type = MessageType::Response;
        answer.add_answer(Record::from_rdata(
            name,
            60,
            RData::A(A(Ipv4Addr::from(SCA))),
        ));
        let udp = |from: [u8; 4], to: [u8; 4], ports: (u16, u16), payload: &[u8]| {
            let mut frame = Vec::new();
            let ip = PacketBuilder::ethernet2([2; 6], [4; 6]).ipv4(from, to, 64);
            ip.udp(ports.0, ports.1).write(&mut frame, payload).ok()?;
            Some(frame)
        };
        let (query, answer) = (
            query.to_vec().unwrap_or_default(),
            answer.to_vec().unwrap_or_default(),
        );
        [
            udp(DHCP, self.client, (67, 68), &dhcp),
            udp(self.client, DNS, (self.port, 53), &query),
            udp(DNS, self.client, (53, self.port), &answer),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// SYN, SYN-ACK, ACK, the Hello's segments, the client's FIN, the server's FIN-ACK.
    fn steps(&self) -> usize {
        self.segments + 5
    }

    fn packet(&self, step: usize) -> Option<Vec<u8>> {
        let len = self.hello.len() as u32;
        let chunk = self.hello.len().div_ceil(self.segments);
        let (client, server) = (
            PacketBuilder::ethernet2([2; 6], [4; 6]).ipv4(self.client, SCA, 64),
            PacketBuilder::ethernet2([4; 6], [2; 6]).ipv4(SCA, self.client, 64),
        );
        let mut frame = Vec::with_capacity(chunk + 64);
        let to_server = |seq| client.tcp(self.port, PORT, seq, 64_240);
        let to_client = |seq| server.tcp(PORT, self.port, seq, 64_240);
        let data = self.segments;
        let written = match step {
            0 => to_server(ISN).syn().write(&mut frame, &[]),
            1 => to_client(SERVER_ISN)
                .syn()
                .ack(ISN + 1)
                .write(&mut frame, &[]),
            2 => to_server(ISN + 1)
                .ack(SERVER_ISN + 1)
                .write(&mut frame, &[]),
            s if s < 3 + data => {
                let piece = self.hello.chunks(chunk).nth(s - 3)?;
                let seq = ISN + 1 + ((s - 3) * chunk) as u32;
                to_server(seq)
                    .ack(SERVER_ISN + 1)
                    .psh()
                    .write(&mut frame, piece)
            }
            s if s == 3 + data => to_server(ISN + 1 + len)
                .fin()
                .ack(SERVER_ISN + 1)
                .write(&mut frame, &[]),
            s if s == 4 + data => to_client(SERVER_ISN + 1)
                .fin()
                .ack(ISN + 2 + len)
                .write(&mut frame, &[]),
            _ => return None,
        };
        written.ok()?;
        Some(frame)
    }
}

fn write_record(out: &mut impl Write, micros: u64, frame: &[u8]) -> std::io::Result<()> {
    let len = frame.len() as u32;
    for word in [
        (micros / 1_000_000) as u32,
        (micros % 1_000_000) as u32,
        len,
        len,
    ] {
        out.write_all(&word.to_le_bytes())?;
    }
    out.write_all(frame)
}
