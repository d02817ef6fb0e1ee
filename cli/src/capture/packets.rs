//! Packets: a record's bytes sliced (with etherparse, laxly, so that a packet cut by the
//! capture's snaplen still gives its headers) down to a TCP segment (addresses, sequence
//! numbers, flags, the captured payload and how many payload bytes the snaplen cut off) or a
//! UDP datagram (for DHCP and DNS).

use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, LaxNetSlice, LaxSlicedPacket, LinuxSllSlice, TransportSlice};

use super::records::Link;

/// One TCP segment, borrowing the record's bytes.
#[derive(Debug)]
pub struct Segment<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub seq: u32,
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    /// The payload bytes the capture holds.
    pub payload: &'a [u8],
    /// Payload bytes the segment carried beyond `payload` (cut by the snaplen).
    pub cut: u32,
}

/// One UDP datagram, borrowing the record's bytes (only whole ones: a datagram cut by the
/// snaplen is not read).
#[derive(Debug)]
pub struct Datagram<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub payload: &'a [u8],
}

/// What a record holds, as far as this tool is concerned.
#[derive(Debug)]
pub enum Packet<'a> {
    Tcp(Segment<'a>),
    Udp(Datagram<'a>),
    /// Not TCP or UDP over IP (ARP, ICMP, ...), an IP fragment, or a datagram cut short: not
    /// read.
    Other,
    /// Too short, or malformed, to find its TCP header; or a link type not read.
    Unreadable,
}

/// Slices a record's bytes of link type `link`.
pub fn slice(link: Link, data: &[u8]) -> Packet<'_> {
    let sliced = match link {
        Link::Ethernet => LaxSlicedPacket::from_ethernet(data).ok(),
        Link::RawIp => LaxSlicedPacket::from_ip(data).ok(),
        Link::LinuxSll => LinuxSllSlice::from_slice(data).ok().and_then(|sll| {
            let ether_type = EtherType(u16::from(sll.protocol_type()));
            Some(LaxSlicedPacket::from_ether_type(
                ether_type,
                data.get(16..)?,
            ))
        }),
        Link::LinuxSll2 => sll2(data),
        Link::Null | Link::Loop => {
            let family = data.get(..4).and_then(|f| <[u8; 4]>::try_from(f).ok());
            match family {
                // AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30 depending on the BSD.
                Some(_) => LaxSlicedPacket::from_ip(data.get(4..).unwrap_or_default()).ok(),
                None => None,
            }
        }
        Link::Other(_) => None,
    };
    let Some(sliced) = sliced else {
        return Packet::Unreadable;
    };
    transport(&sliced)
}

/// A Linux cooked v2 header, then the packet its protocol field names. The header's 20 bytes:
/// protocol type, reserved, interface index, ARPHRD type, packet type, address length, address
/// (etherparse slices only version 1).
fn sll2(data: &[u8]) -> Option<LaxSlicedPacket<'_>> {
    let protocol = u16::from_be_bytes([*data.first()?, *data.get(1)?]);
    Some(LaxSlicedPacket::from_ether_type(
        EtherType(protocol),
        data.get(20..)?,
    ))
}

/// The TCP segment or UDP datagram of a sliced packet.
fn transport<'a>(sliced: &LaxSlicedPacket<'a>) -> Packet<'a> {
    let (src, dst, declared, payload) = match &sliced.net {
        Some(LaxNetSlice::Ipv4(ip)) => {
            let header = ip.header();
            let declared = usize::from(header.total_len())
                .saturating_sub(usize::from(header.ihl()) * 4)
                .saturating_sub(ip.extensions().auth.map_or(0, |a| a.slice().len()));
            let (src, dst) = (header.source_addr(), header.destination_addr());
            (IpAddr::from(src), IpAddr::from(dst), declared, ip.payload())
        }
        Some(LaxNetSlice::Ipv6(ip)) => {
            let header = ip.header();
            let declared =
                usize::from(header.payload_length()).saturating_sub(ip.extensions().slice().len());
            let (src, dst) = (header.source_addr(), header.destination_addr());
            (IpAddr::from(src), IpAddr::from(dst), declared, ip.payload())
        }
        Some(LaxNetSlice::Arp(_)) => return Packet::Other,
        None => return Packet::Unreadable,
    };
    if payload.fragmented {
        return Packet::Other;
    }
    if payload.ip_number == etherparse::IpNumber::UDP {
        return match &sliced.transport {
            Some(TransportSlice::Udp(udp)) if !payload.incomplete => Packet::Udp(Datagram {
                src: SocketAddr::new(src, udp.source_port()),
                dst: SocketAddr::new(dst, udp.destination_port()),
                payload: udp.payload(),
            }),
            _ => Packet::Other,
        };
    }
    if payload.ip_number != etherparse::IpNumber::TCP {
        return Packet::Other;
    }
    let Some(TransportSlice::Tcp(tcp)) = &sliced.transport else {
        return Packet::Unreadable;
    };
    let captured = tcp.payload();
    // Only a packet cut short lacks payload; the IP length says how much it carried.
    let cut = if payload.incomplete {
        declared
            .saturating_sub(tcp.header_slice().len())
            .saturating_sub(captured.len())
    } else {
        0
    };
    Packet::Tcp(Segment {
        src: SocketAddr::new(src, tcp.source_port()),
        dst: SocketAddr::new(dst, tcp.destination_port()),
        seq: tcp.sequence_number(),
        syn: tcp.syn(),
        ack: tcp.ack(),
        fin: tcp.fin(),
        rst: tcp.rst(),
        payload: captured,
        cut: u32::try_from(cut).unwrap_or(u32::MAX),
    })
}
