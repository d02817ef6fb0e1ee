//! DHCP: what a server told a client that decides where an AMT device looks for its SCA. The
//! firmware asks DNS for `ProvisionServer` under the domain DHCPv4 option 15 (or one of DHCPv6
//! option 24's search list) gives it, so a lease without one explains a device that never sends a
//! Hello. Read with `dhcproto`: DHCPv4 OFFER and ACK (UDP 67 → 68), DHCPv6 REPLY (547 → 546).

use std::net::{IpAddr, SocketAddr};

use dhcproto::{Decodable, Decoder, v4, v6};

/// The server's ports: DHCPv4 server, DHCPv6 server.
pub const SERVER_PORTS: [u16; 2] = [v4::SERVER_PORT, v6::SERVER_PORT];

/// What a DHCP server offered or gave a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// `offer`, `ack` (DHCPv4) or `reply` (DHCPv6).
    pub kind: &'static str,
    pub server: IpAddr,
    /// The client's hardware address (DHCPv4 `chaddr`; DHCPv6: from a link-layer DUID).
    pub mac: Option<String>,
    /// The address given (`yiaddr`, or the IA_NA address).
    pub address: Option<IpAddr>,
    /// DHCPv4 option 15, the domain name.
    pub domain: Option<String>,
    /// DHCPv6 option 24, the domain search list.
    pub search: Vec<String>,
    /// DHCPv4 option 12, the host name.
    pub host_name: Option<String>,
    /// DHCPv4 option 6, DHCPv6 option 23.
    pub dns: Vec<IpAddr>,
}

impl Lease {
    /// The suffixes the firmware tries under, in order: option 15, or the search list.
    pub fn suffixes(&self) -> Vec<&str> {
        match &self.domain {
            Some(domain) => vec![domain.trim_end_matches('.')],
            None => self
                .search
                .iter()
                .map(|s| s.trim_end_matches('.'))
                .collect(),
        }
    }
}

/// The lease a datagram from `src` to `dst` carries, if it is a DHCP server's OFFER, ACK or
/// REPLY that can be read.
pub fn read(src: SocketAddr, dst: SocketAddr, payload: &[u8]) -> Option<Lease> {
    match (src.port(), dst.port()) {
        (v4::SERVER_PORT, v4::CLIENT_PORT) => v4_lease(src.ip(), payload),
        (v6::SERVER_PORT, v6::CLIENT_PORT) => v6_lease(src.ip(), payload),
        _ => None,
    }
}

/// Where a DHCPv4 message's options start: after the 236-byte fixed part and the magic cookie.
const V4_OPTIONS: usize = 240;

/// Options whose length RFCs fix and dhcproto 0.15 asserts in debug builds only (a panic there,
/// a release build reads on): 80, Rapid Commit, empty (RFC 4039); 94, Client Network Interface,
/// 3 bytes (RFC 4578). The fuzzer found both.
const FIXED_LENGTHS: [(u8, u8); 2] = [(80, 0), (94, 3)];

/// Whether every option in [`FIXED_LENGTHS`] has its length, so that any build reads the
/// message alike. A reply that breaks one is malformed, and is not read.
fn fixed_lengths_hold(payload: &[u8]) -> bool {
    let mut rest = payload.get(V4_OPTIONS..).unwrap_or_default();
    while let [code, tail @ ..] = rest {
        match code {
            0 => rest = tail,   // pad
            255 => return true, // end
            _ => {
                let [len, data @ ..] = tail else { return true };
                if FIXED_LENGTHS.iter().any(|&(c, l)| c == *code && l != *len) {
                    return false;
                }
                rest = data.get(usize::from(*len)..).unwrap_or_default();
            }
        }
    }
    true
}

fn v4_lease(server: IpAddr, payload: &[u8]) -> Option<Lease> {
    if !fixed_lengths_hold(payload) {
        return None;
    }
    let message = v4::Message::decode(&mut Decoder::new(payload)).ok()?;
    let kind = match message.opts().msg_type()? {
        v4::MessageType::Offer => "offer",
        v4::MessageType::Ack => "ack",
        _ => return None,
    };
    let opts = message.opts();
    let text = |code| match opts.get(code) {
        Some(v4::DhcpOption::DomainName(s) | v4::DhcpOption::Hostname(s)) => {
            Some(s.trim_end_matches('\0').to_string())
        }
        _ => None,
    };
    let dns = match opts.get(v4::OptionCode::DomainNameServer) {
        Some(v4::DhcpOption::DomainNameServer(servers)) => {
            servers.iter().map(|&ip| IpAddr::V4(ip)).collect()
        }
        _ => Vec::new(),
    };
    // An Ethernet address is 6 bytes; dhcproto's chaddr() panics for an hlen over 16, so it is
    // asked only for 6 (the fuzzer found it).
    let ethernet = message.hlen() == 6;
    Some(Lease {
        kind,
        server,
        mac: ethernet.then(|| mac(message.chaddr())),
        address: Some(IpAddr::V4(message.yiaddr())).filter(|a| !a.is_unspecified()),
        domain: text(v4::OptionCode::DomainName).filter(|d| !d.is_empty()),
        search: Vec::new(),
        host_name: text(v4::OptionCode::Hostname),
        dns,
    })
}

fn v6_lease(server: IpAddr, payload: &[u8]) -> Option<Lease> {
    let message = v6::Message::decode(&mut Decoder::new(payload)).ok()?;
    if message.msg_type() != v6::MessageType::Reply {
        return None;
    }
    let mut lease = Lease {
        kind: "reply",
        server,
        mac: None,
        address: None,
        domain: None,
        search: Vec::new(),
        host_name: None,
        dns: Vec::new(),
    };
    for option in message.opts().iter() {
        match option {
            v6::DhcpOption::ClientId(duid) => lease.mac = duid_mac(duid),
            v6::DhcpOption::IANA(ia) => {
                let address = ia.opts.iter().find_map(|o| match o {
                    v6::DhcpOption::IAAddr(a) => Some(IpAddr::V6(a.addr)),
                    _ => None,
                });
                lease.address = lease.address.or(address);
            }
            v6::DhcpOption::DomainSearchList(names) => {
                lease.search = names.iter().map(|n| n.to_utf8()).collect();
            }
            v6::DhcpOption::DomainNameServers(servers) => {
                lease.dns = servers.iter().map(|&ip| IpAddr::V6(ip)).collect();
            }
            _ => {}
        }
    }
    Some(lease)
}

/// The link-layer address in a DUID-LLT (type 1) or DUID-LL (type 3) for Ethernet (hardware
/// type 1).
fn duid_mac(duid: &[u8]) -> Option<String> {
    let address = match duid {
        [0, 1, 0, 1, _, _, _, _, address @ ..] | [0, 3, 0, 1, address @ ..] => address,
        _ => return None,
    };
    (address.len() == 6).then(|| mac(address))
}

fn mac(bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    hex.join(":")
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use dhcproto::{Encodable, Encoder, Name, v4, v6};

    use super::{Lease, read};

    const SERVER4: &str = "192.0.2.1:67";
    const CLIENT4: &str = "192.0.2.10:68";

    fn v4_message(kind: v4::MessageType, options: Vec<v4::DhcpOption>) -> Vec<u8> {
        let chaddr = [0x02, 0, 0, 0, 0, 0x10];
        let mut message = v4::Message::new(
            Ipv4Addr::UNSPECIFIED,
            Ipv4Addr::new(192, 0, 2, 10),
            Ipv4Addr::UNSPECIFIED,
            Ipv4Addr::UNSPECIFIED,
            &chaddr,
        );
        message.opts_mut().insert(v4::DhcpOption::MessageType(kind));
        for option in options {
            message.opts_mut().insert(option);
        }
        let mut bytes = Vec::new();
        message.encode(&mut Encoder::new(&mut bytes)).unwrap();
        bytes
    }

    #[test]
    fn options_80_and_94_with_another_length_make_the_reply_unread() {
        // An ACK with `extra` options spliced in before its end option.
        let with = |extra: &[u8]| {
            let mut bytes = v4_message(v4::MessageType::Ack, vec![]);
            let end = bytes.iter().rposition(|&b| b == 255).unwrap();
            bytes.splice(end..end, extra.iter().copied());
            read(SERVER4.parse().unwrap(), CLIENT4.parse().unwrap(), &bytes)
        };
        assert!(with(&[]).is_some());
        assert!(with(&[80, 0, 94, 3, 1, 2, 0]).is_some());
        assert!(with(&[0, 80, 1, 0]).is_none(), "Rapid Commit has no data");
        assert!(
            with(&[94, 2, 1, 2]).is_none(),
            "a Client Network Interface is 3 bytes"
        );
        // Another option whose data looks like one of them does not count.
        assert!(with(&[12, 2, 80, 1]).is_some());
    }

    #[test]
    fn an_ack_gives_the_address_option_15_option_12_and_the_dns_servers() {
        let bytes = v4_message(
            v4::MessageType::Ack,
            vec![
                v4::DhcpOption::DomainName("example.com\0".into()),
                v4::DhcpOption::Hostname("amt-10".into()),
                v4::DhcpOption::DomainNameServer(vec![Ipv4Addr::new(192, 0, 2, 53)]),
            ],
        );
        let lease = read(SERVER4.parse().unwrap(), CLIENT4.parse().unwrap(), &bytes).unwrap();
        assert_eq!(
            lease,
            Lease {
                kind: "ack",
                server: "192.0.2.1".parse().unwrap(),
                mac: Some("02:00:00:00:00:10".into()),
                address: Some("192.0.2.10".parse().unwrap()),
                domain: Some("example.com".into()),
                search: vec![],
                host_name: Some("amt-10".into()),
                dns: vec!["192.0.2.53".parse().unwrap()],
            }
        );
        assert_eq!(lease.suffixes(), vec!["example.com"]);
    }

    #[test]
    fn an_offer_without_option_15_has_no_suffix_and_a_request_is_no_lease() {
        let mut offer = v4_message(v4::MessageType::Offer, vec![]);
        offer[2] = 20; // hlen: not Ethernet, and more than chaddr's 16 bytes
        let lease = read(SERVER4.parse().unwrap(), CLIENT4.parse().unwrap(), &offer).unwrap();
        assert_eq!(lease.mac, None);
        offer[2] = 6;
        let lease = read(SERVER4.parse().unwrap(), CLIENT4.parse().unwrap(), &offer).unwrap();
        assert_eq!((lease.kind, lease.suffixes().len()), ("offer", 0));
        assert_eq!(lease.domain, None);
        let request = v4_message(v4::MessageType::Request, vec![]);
        assert_eq!(
            read(SERVER4.parse().unwrap(), CLIENT4.parse().unwrap(), &request),
            None
        );
        // The same bytes on other ports, or garbage on these, are no lease.
        let (a, b) = ("192.0.2.1:53".parse().unwrap(), CLIENT4.parse().unwrap());
        assert_eq!(read(a, b, &offer), None);
        assert_eq!(read(SERVER4.parse().unwrap(), b, &[1, 2, 3]), None);
    }

    #[test]
    fn a_dhcpv6_reply_gives_the_search_list_the_dns_servers_and_the_duid_mac() {
        let mut message = v6::Message::new(v6::MessageType::Reply);
        let opts = message.opts_mut();
        opts.insert(v6::DhcpOption::ClientId(vec![
            0, 3, 0, 1, 2, 0, 0, 0, 0, 0x20,
        ]));
        opts.insert(v6::DhcpOption::DomainSearchList(vec![
            Name::from_ascii("corp.example.").unwrap(),
            Name::from_ascii("example.").unwrap(),
        ]));
        opts.insert(v6::DhcpOption::DomainNameServers(vec![
            "2001:db8::53".parse::<Ipv6Addr>().unwrap(),
        ]));
        let mut bytes = Vec::new();
        message.encode(&mut Encoder::new(&mut bytes)).unwrap();
        let (server, client) = ("[2001:db8::1]:547", "[2001:db8::10]:546");
        let lease = read(server.parse().unwrap(), client.parse().unwrap(), &bytes).unwrap();
        assert_eq!(lease.kind, "reply");
        assert_eq!(lease.mac.as_deref(), Some("02:00:00:00:00:20"));
        assert_eq!(lease.suffixes(), vec!["corp.example", "example"]);
        assert_eq!(
            lease.dns,
            vec!["2001:db8::53".parse::<std::net::IpAddr>().unwrap()]
        );
    }
}
