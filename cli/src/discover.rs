//! How a device in Setup Mode finds its SCA when no address was set: DNS for
//! `ProvisionServer.<domain>` (the domain entered in MEBx), then `ProvisionServer.<suffix>` for
//! each suffix DHCP gave it (option 15; DHCPv6 option 24, up to five), then, with no suffix at
//! all, the bare `ProvisionServer` (the fallback order of the protocol notes, §9). The first
//! name that resolves is the SCA; until one does, no Hello is sent. `amt-hello device
//! --discover` runs it so an operator can test an SCA's DNS without a device.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::time::Duration;

use hickory_proto::op::{Message, MessageType, OpCode, Query};
use hickory_proto::rr::{Name, RecordType};

use crate::capture::dns::{self, rcode};

/// The first label the firmware asks for.
pub const PROVISION_SERVER: &str = "ProvisionServer";
/// DHCPv6 option 24 suffixes the firmware tries.
pub const MAX_SUFFIXES: usize = 5;
/// How long one DNS query waits for its answer.
const TIMEOUT: Duration = Duration::from_secs(2);

/// The names asked, in order.
pub fn names(domain: Option<&str>, suffixes: &[String]) -> Vec<String> {
    let under = |suffix: &str| format!("{PROVISION_SERVER}.{}", suffix.trim_matches('.'));
    let mut names: Vec<String> = domain.into_iter().map(under).collect();
    names.extend(suffixes.iter().take(MAX_SUFFIXES).map(|s| under(s)));
    if suffixes.is_empty() {
        names.push(PROVISION_SERVER.to_string());
    }
    names.dedup();
    names
}

/// What one lookup gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub name: String,
    /// The addresses, or why there are none (`NXDOMAIN`, `no answer within 2 s`, ...).
    pub result: Result<Vec<IpAddr>, String>,
}

/// Looks `name` up with the DNS server `server`, or the system resolver when `None`.
pub fn lookup(name: &str, server: Option<SocketAddr>) -> Answer {
    let result = match server {
        Some(server) => ask(name, server),
        None => (name, 0)
            .to_socket_addrs()
            .map(|addresses| addresses.map(|a| a.ip()).collect())
            .map_err(|e| format!("not resolved ({e})")),
    };
    let result = result.and_then(|addresses: Vec<IpAddr>| match addresses.is_empty() {
        true => Err("NOERROR, no address".to_string()),
        false => Ok(addresses),
    });
    Answer {
        name: name.to_string(),
        result,
    }
}

/// Asks `server` for the A records of `name`, once, over UDP.
fn ask(name: &str, server: SocketAddr) -> Result<Vec<IpAddr>, String> {
    let fqdn = Name::from_ascii(format!("{name}.")).map_err(|e| format!("bad name: {e}"))?;
    let id = std::process::id() as u16 ^ name.len() as u16;
    let mut query = Message::new(id, MessageType::Query, OpCode::Query);
    query.metadata.recursion_desired = true;
    query.add_query(Query::query(fqdn, RecordType::A));
    let bytes = query.to_vec().map_err(|e| e.to_string())?;
    let local: SocketAddr = match server {
        SocketAddr::V4(_) => ([0, 0, 0, 0], 0).into(),
        SocketAddr::V6(_) => (std::net::Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let socket = UdpSocket::bind(local).map_err(|e| e.to_string())?;
    socket
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    socket
        .send_to(&bytes, server)
        .map_err(|e| format!("{server}: {e}"))?;
    let mut buffer = [0u8; 1500];
    loop {
        let (len, from) = socket.recv_from(&mut buffer).map_err(|e| match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                format!("no answer from {server} within {} s", TIMEOUT.as_secs())
            }
            _ => format!("{server}: {e}"),
        })?;
        let reply = buffer.get(..len).and_then(|b| Message::from_vec(b).ok());
        let Some(reply) = reply.filter(|r| from == server && r.metadata.id == id) else {
            continue; // not the answer to this query
        };
        let code = rcode(reply.metadata.response_code);
        if code != "NOERROR" {
            return Err(code);
        }
        return Ok(dns::addresses(&reply));
    }
}

/// The suffixes of the system resolver (`search` and `domain` lines of `/etc/resolv.conf`).
pub fn resolver_suffixes() -> Vec<String> {
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let mut suffixes = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if let Some("search" | "domain") = words.next() {
            suffixes.extend(words.map(str::to_string));
        }
    }
    suffixes.dedup();
    suffixes
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn the_domain_then_each_suffix_and_the_bare_name_only_without_a_suffix() {
        let suffixes = vec!["corp.example.".to_string(), "example".to_string()];
        assert_eq!(
            names(Some("amt.example"), &suffixes),
            [
                "ProvisionServer.amt.example",
                "ProvisionServer.corp.example",
                "ProvisionServer.example"
            ]
        );
        assert_eq!(names(None, &[]), ["ProvisionServer"]);
        assert_eq!(
            names(Some("example"), &[]),
            ["ProvisionServer.example", "ProvisionServer"]
        );
        let many: Vec<String> = (0..7).map(|i| format!("s{i}.example")).collect();
        assert_eq!(names(None, &many).len(), 5, "at most five DHCPv6 suffixes");
    }
}
