//! Writes synthetic pcap and pcapng files: TCP segments built with etherparse's
//! `PacketBuilder`, framed for a link type (Ethernet with or without a VLAN tag, Linux cooked
//! v1 and v2, BSD loopback, raw IP), with an optional snaplen that cuts long packets.

use std::net::{IpAddr, SocketAddr};

use etherparse::{PacketBuilder, PacketBuilderStep, VlanId};

/// The capture's first second: 2026-11-30T00:53:20Z.
pub const T0: u64 = 1_796_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pcap,
    PcapNg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Ethernet,
    Vlan(u16),
    Sll,
    Sll2,
    Null,
    Raw,
}

impl Link {
    fn linktype(self) -> u16 {
        match self {
            Link::Ethernet | Link::Vlan(_) => 1,
            Link::Sll => 113,
            Link::Sll2 => 276,
            Link::Null => 0,
            Link::Raw => 101,
        }
    }
}

/// One TCP segment.
#[derive(Clone, Debug, Default)]
pub struct Tcp {
    pub src: Option<SocketAddr>,
    pub dst: Option<SocketAddr>,
    pub seq: u32,
    pub ack: Option<u32>,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    pub payload: Vec<u8>,
}

/// A capture being written: its records in order.
pub struct Capture {
    format: Format,
    link: Link,
    snaplen: u32,
    records: Vec<(u64, Vec<u8>)>,
}

impl Capture {
    pub fn new(format: Format, link: Link) -> Self {
        Capture {
            format,
            link,
            snaplen: 262_144,
            records: Vec::new(),
        }
    }

    /// Cuts every packet to `snaplen` bytes, as `tcpdump -s` does.
    pub fn snaplen(mut self, snaplen: u32) -> Self {
        self.snaplen = snaplen;
        self
    }

    /// A segment at `ms` milliseconds after [`T0`].
    pub fn add(&mut self, ms: u64, tcp: Tcp) {
        let frame = self.frame(&tcp);
        self.records.push((ms, frame));
    }

    /// A raw record (bytes of this capture's link type).
    pub fn add_raw(&mut self, ms: u64, frame: Vec<u8>) {
        self.records.push((ms, frame));
    }

    /// A UDP datagram at `ms` (Ethernet captures only).
    pub fn add_udp(&mut self, ms: u64, src: &str, dst: &str, payload: &[u8]) {
        assert_eq!(
            self.link,
            Link::Ethernet,
            "UDP records are written for Ethernet only"
        );
        let (src, dst): (SocketAddr, SocketAddr) = (src.parse().unwrap(), dst.parse().unwrap());
        let ethernet = PacketBuilder::ethernet2([2; 6], [4; 6]);
        let ip = match (src.ip(), dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => ethernet.ipv4(s.octets(), d.octets(), 64),
            (IpAddr::V6(s), IpAddr::V6(d)) => ethernet.ipv6(s.octets(), d.octets(), 64),
            _ => panic!("mixed address families"),
        };
        let mut frame = Vec::new();
        ip.udp(src.port(), dst.port())
            .write(&mut frame, payload)
            .unwrap();
        self.records.push((ms, frame));
    }

    fn frame(&self, tcp: &Tcp) -> Vec<u8> {
        let (src, dst) = (tcp.src.unwrap(), tcp.dst.unwrap());
        let ip = |step: PacketBuilderStep<etherparse::Ethernet2Header>| match (src.ip(), dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => step.ipv4(s.octets(), d.octets(), 64),
            (IpAddr::V6(s), IpAddr::V6(d)) => step.ipv6(s.octets(), d.octets(), 64),
            _ => panic!("mixed address families"),
        };
        let bare = || match (src.ip(), dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => PacketBuilder::ipv4(s.octets(), d.octets(), 64),
            (IpAddr::V6(s), IpAddr::V6(d)) => PacketBuilder::ipv6(s.octets(), d.octets(), 64),
            _ => panic!("mixed address families"),
        };
        let (prefix, ip) = match self.link {
            Link::Ethernet => (vec![], ip(PacketBuilder::ethernet2([2; 6], [4; 6]))),
            Link::Vlan(id) => {
                let vlan = PacketBuilder::ethernet2([2; 6], [4; 6])
                    .single_vlan(VlanId::try_new(id).unwrap());
                let step = match (src.ip(), dst.ip()) {
                    (IpAddr::V4(s), IpAddr::V4(d)) => vlan.ipv4(s.octets(), d.octets(), 64),
                    (IpAddr::V6(s), IpAddr::V6(d)) => vlan.ipv6(s.octets(), d.octets(), 64),
                    _ => panic!("mixed address families"),
                };
                (vec![], step)
            }
            Link::Sll => {
                // Packet type 0 (to us), ARPHRD_ETHER, a 6-byte address padded to 8, protocol.
                let mut header = vec![0, 0, 0, 1, 0, 6, 2, 2, 2, 2, 2, 2, 0, 0];
                header.extend(if src.is_ipv4() { [8, 0] } else { [0x86, 0xdd] });
                (header, bare())
            }
            Link::Sll2 => {
                let protocol: u16 = if src.is_ipv4() { 0x0800 } else { 0x86dd };
                let mut header = protocol.to_be_bytes().to_vec();
                header.extend([0, 0, 0, 0, 0, 2, 0, 1, 0, 6]); // reserved, if 2, ARPHRD_ETHER
                header.extend([2, 2, 2, 2, 2, 2, 0, 0]);
                (header, bare())
            }
            Link::Null => {
                let family: u32 = if src.is_ipv4() { 2 } else { 30 };
                (family.to_le_bytes().to_vec(), bare())
            }
            Link::Raw => (vec![], bare()),
        };
        let mut step = ip.tcp(src.port(), dst.port(), tcp.seq, 64_240);
        if tcp.syn {
            step = step.syn();
        }
        if tcp.fin {
            step = step.fin();
        }
        if tcp.rst {
            step = step.rst();
        }
        if let Some(ack) = tcp.ack {
            step = step.ack(ack);
        }
        let mut frame = prefix;
        step.write(&mut frame, &tcp.payload).unwrap();
        frame
    }

    /// The file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let linktype = self.link.linktype();
        match self.format {
            Format::Pcap => {
                out.extend(0xa1b2_c3d4u32.to_le_bytes());
                out.extend(2u16.to_le_bytes());
                out.extend(4u16.to_le_bytes());
                out.extend([0u8; 8]);
                out.extend(self.snaplen.to_le_bytes());
                out.extend(u32::from(linktype).to_le_bytes());
            }
            Format::PcapNg => {
                out.extend(0x0a0d_0d0au32.to_le_bytes());
                out.extend(28u32.to_le_bytes());
                out.extend(0x1a2b_3c4du32.to_le_bytes());
                out.extend(1u16.to_le_bytes());
                out.extend(0u16.to_le_bytes());
                out.extend((-1i64).to_le_bytes());
                out.extend(28u32.to_le_bytes());
                out.extend(1u32.to_le_bytes());
                out.extend(20u32.to_le_bytes());
                out.extend(linktype.to_le_bytes());
                out.extend(0u16.to_le_bytes());
                out.extend(self.snaplen.to_le_bytes());
                out.extend(20u32.to_le_bytes());
            }
        }
        for (ms, frame) in &self.records {
            let micros = (T0 * 1000 + ms) * 1000;
            let caplen = frame.len().min(self.snaplen as usize);
            let data = &frame[..caplen];
            match self.format {
                Format::Pcap => {
                    out.extend(((micros / 1_000_000) as u32).to_le_bytes());
                    out.extend(((micros % 1_000_000) as u32).to_le_bytes());
                    out.extend((caplen as u32).to_le_bytes());
                    out.extend((frame.len() as u32).to_le_bytes());
                    out.extend(data);
                }
                Format::PcapNg => {
                    let padded = caplen.div_ceil(4) * 4;
                    let len = (32 + padded) as u32;
                    out.extend(6u32.to_le_bytes());
                    out.extend(len.to_le_bytes());
                    out.extend(0u32.to_le_bytes());
                    out.extend(((micros >> 32) as u32).to_le_bytes());
                    out.extend((micros as u32).to_le_bytes());
                    out.extend((caplen as u32).to_le_bytes());
                    out.extend((frame.len() as u32).to_le_bytes());
                    out.extend(data);
                    out.extend(vec![0u8; padded - caplen]);
                    out.extend(len.to_le_bytes());
                }
            }
        }
        out
    }
}

/// One TCP connection's segments, by stream offset: the client sends, the server answers.
#[derive(Clone, Copy)]
pub struct Conn {
    pub client: SocketAddr,
    pub server: SocketAddr,
    /// The client's initial sequence number.
    pub isn: u32,
}

impl Conn {
    pub fn new(client: &str, server: &str, isn: u32) -> Self {
        Conn {
            client: client.parse().unwrap(),
            server: server.parse().unwrap(),
            isn,
        }
    }

    fn client_tcp(&self) -> Tcp {
        Tcp {
            src: Some(self.client),
            dst: Some(self.server),
            ..Tcp::default()
        }
    }

    fn server_tcp(&self) -> Tcp {
        Tcp {
            src: Some(self.server),
            dst: Some(self.client),
            seq: 7_000_000,
            ack: Some(self.isn.wrapping_add(1)),
            ..Tcp::default()
        }
    }

    pub fn syn(&self) -> Tcp {
        Tcp {
            seq: self.isn,
            syn: true,
            ..self.client_tcp()
        }
    }

    pub fn syn_ack(&self) -> Tcp {
        Tcp {
            syn: true,
            ..self.server_tcp()
        }
    }

    /// The RST a host sends for a port where nothing listens.
    pub fn refuse(&self) -> Tcp {
        Tcp {
            seq: 0,
            rst: true,
            ..self.server_tcp()
        }
    }

    /// Client bytes at stream offset `offset`.
    pub fn data(&self, offset: u32, bytes: &[u8]) -> Tcp {
        Tcp {
            seq: self.isn.wrapping_add(1).wrapping_add(offset),
            ack: Some(7_000_001),
            payload: bytes.to_vec(),
            ..self.client_tcp()
        }
    }

    /// Server bytes at its stream offset `offset`.
    pub fn reply(&self, offset: u32, bytes: &[u8]) -> Tcp {
        Tcp {
            seq: 7_000_001u32.wrapping_add(offset),
            payload: bytes.to_vec(),
            ..self.server_tcp()
        }
    }

    /// The server's FIN after `offset` bytes of its own.
    pub fn server_fin(&self, offset: u32) -> Tcp {
        Tcp {
            fin: true,
            ..self.reply(offset, &[])
        }
    }

    /// The client's FIN after `offset` bytes.
    pub fn fin(&self, offset: u32) -> Tcp {
        Tcp {
            fin: true,
            ..self.data(offset, &[])
        }
    }

    /// The server's FIN-ACK once the client has sent `offset` bytes and its FIN.
    pub fn fin_ack(&self, offset: u32) -> Tcp {
        Tcp {
            seq: 7_000_001,
            ack: Some(self.isn.wrapping_add(2).wrapping_add(offset)),
            fin: true,
            ..self.server_tcp()
        }
    }

    /// Handshake, `hello` in segments of `chunk` bytes (1 ms apart), FIN: from `ms` on.
    pub fn whole(&self, capture: &mut Capture, ms: u64, hello: &[u8], chunk: usize) {
        capture.add(ms, self.syn());
        capture.add(ms, self.syn_ack());
        let mut t = ms + 1;
        for (i, piece) in hello.chunks(chunk).enumerate() {
            capture.add(t, self.data((i * chunk) as u32, piece));
            t += 1;
        }
        capture.add(t, self.fin(hello.len() as u32));
    }
}
