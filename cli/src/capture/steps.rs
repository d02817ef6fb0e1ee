//! The steps of the provisioning path around the Hello, as the capture shows them: a DHCP lease,
//! a `ProvisionServer` lookup and its answer, the SCA's connect-back and its TLS outcome. Each is
//! reported as it completes; [`Lookups`] pairs each DNS query with its response (by client,
//! server, id and name), bounded like the flow table.

use std::collections::BTreeMap;

use foldhash::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use super::dhcp::Lease;
use super::dns::{Answer, Dns};
use super::flows::End;
use super::tls::Tls;

/// One step of the path, as it is reported (the hosts then keep it).
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Lease(&'a LeaseStep),
    Lookup(&'a Lookup),
    ConnectBack(&'a ConnectBack),
}

/// A DHCP server's OFFER, ACK or REPLY.
#[derive(Debug, Clone)]
pub struct LeaseStep {
    pub time: Duration,
    pub lease: Lease,
}

/// A DNS lookup of a watched name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// When it was asked (or, when the query is not in the capture, answered).
    pub time: Duration,
    pub client: SocketAddr,
    pub server: SocketAddr,
    /// Over TCP rather than UDP.
    pub tcp: bool,
    pub name: String,
    pub qtype: String,
    /// The answer and when it came; `None`: no answer in the capture.
    pub answer: Option<(Duration, Answer)>,
    /// The query itself is in the capture.
    pub asked: bool,
    /// Given up unanswered to make room: more queries waited at once than the table holds.
    pub evicted: bool,
}

impl Lookup {
    /// Whether it gave at least one address.
    pub fn resolved(&self) -> bool {
        self.answer
            .as_ref()
            .is_some_and(|(_, a)| a.rcode == "NOERROR" && !a.addresses.is_empty())
    }
}

/// The SCA's TCP connection to the device after a Hello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectBack {
    pub time: Duration,
    pub sca: SocketAddr,
    pub device: SocketAddr,
    /// The device answered the SYN.
    pub answered: bool,
    pub end: End,
    pub tls: Tls,
}

/// Queries waiting for their responses, at most `max`.
pub struct Lookups {
    max: usize,
    pending: HashMap<Key, (u64, Lookup)>,
    /// Pending queries by arrival: the oldest is given up first.
    by_age: BTreeMap<u64, Key>,
    next: u64,
}

/// Client, server, DNS id, lowercase name.
type Key = (SocketAddr, SocketAddr, u16, String);

impl Lookups {
    pub fn new(max: usize) -> Self {
        Lookups {
            max: max.max(1),
            pending: HashMap::default(),
            by_age: BTreeMap::new(),
            next: 0,
        }
    }

    /// A DNS message from `src` to `dst`; `done` gets each lookup it completes (or gives up).
    pub fn message(
        &mut self,
        time: Duration,
        (src, dst): (SocketAddr, SocketAddr),
        tcp: bool,
        dns: Dns,
        done: &mut impl FnMut(Lookup),
    ) {
        let Some(answer) = dns.response else {
            let key = (src, dst, dns.id, dns.name.to_ascii_lowercase());
            let lookup = Lookup {
                time,
                client: src,
                server: dst,
                tcp,
                name: dns.name,
                qtype: dns.qtype,
                answer: None,
                asked: true,
                evicted: false,
            };
            if self.pending.contains_key(&key) {
                return; // asked again: the first query's time stands
            }
            if self.pending.len() >= self.max
                && let Some((_, oldest)) = self.by_age.pop_first()
                && let Some((_, lookup)) = self.pending.remove(&oldest)
            {
                done(Lookup {
                    evicted: true,
                    ..lookup
                });
            }
            self.next += 1;
            self.by_age.insert(self.next, key.clone());
            self.pending.insert(key, (self.next, lookup));
            return;
        };
        let key = (dst, src, dns.id, dns.name.to_ascii_lowercase());
        let lookup = match self.pending.remove(&key) {
            Some((age, lookup)) => {
                self.by_age.remove(&age);
                lookup
            }
            None => Lookup {
                time,
                client: dst,
                server: src,
                tcp,
                name: dns.name,
                qtype: dns.qtype,
                answer: None,
                asked: false,
                evicted: false,
            },
        };
        done(Lookup {
            answer: Some((time, answer)),
            ..lookup
        });
    }

    /// The capture has ended: every query still waiting had no answer in it.
    pub fn finish(&mut self, done: &mut impl FnMut(Lookup)) {
        while let Some((_, key)) = self.by_age.pop_first() {
            if let Some((_, lookup)) = self.pending.remove(&key) {
                done(lookup);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Lookup, Lookups};
    use crate::capture::dns::{Answer, Dns};

    const CLIENT: &str = "192.0.2.10:5353";
    const SERVER: &str = "192.0.2.53:53";

    fn dns(id: u16, name: &str, rcode: Option<&str>) -> Dns {
        Dns {
            id,
            name: name.into(),
            qtype: "A".into(),
            response: rcode.map(|rcode| Answer {
                rcode: rcode.into(),
                addresses: vec![],
            }),
        }
    }

    #[test]
    fn a_query_meets_its_response_and_one_without_is_unanswered_at_the_end() {
        let (client, server) = (CLIENT.parse().unwrap(), SERVER.parse().unwrap());
        let mut lookups = Lookups::new(10);
        let mut out: Vec<Lookup> = Vec::new();
        let mut done = |l| out.push(l);
        let second = Duration::from_secs(1);
        let query = dns(1, "ProvisionServer.example.com", None);
        lookups.message(Duration::ZERO, (client, server), false, query, &mut done);
        let other = dns(2, "ProvisionServer", None);
        lookups.message(Duration::ZERO, (client, server), false, other, &mut done);
        let reply = dns(1, "provisionserver.example.com", Some("NXDOMAIN"));
        lookups.message(second, (server, client), false, reply, &mut done);
        lookups.finish(&mut done);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].name, "ProvisionServer.example.com");
        assert_eq!(out[0].answer.as_ref().unwrap().0, second);
        assert_eq!(out[0].answer.as_ref().unwrap().1.rcode, "NXDOMAIN");
        assert!(out[0].asked && !out[0].resolved());
        assert_eq!(
            (out[1].name.as_str(), out[1].answer.is_none()),
            ("ProvisionServer", true)
        );
    }

    #[test]
    fn a_response_whose_query_is_not_in_the_capture_is_reported_and_the_table_is_bounded() {
        let (client, server) = (CLIENT.parse().unwrap(), SERVER.parse().unwrap());
        let mut lookups = Lookups::new(1);
        let mut out: Vec<Lookup> = Vec::new();
        let reply = dns(9, "provisionserver.example", Some("NOERROR"));
        lookups.message(Duration::ZERO, (server, client), false, reply, &mut |l| {
            out.push(l)
        });
        assert!(!out[0].asked);
        assert_eq!(out[0].client, client);
        for id in [1, 2] {
            let query = dns(id, "provisionserver.example", None);
            lookups.message(Duration::ZERO, (client, server), true, query, &mut |l| {
                out.push(l)
            });
        }
        // The second query pushed the first out of the one-entry table, unanswered.
        assert_eq!(out.len(), 2);
        assert!(out[1].answer.is_none() && out[1].tcp && out[1].evicted);
    }
}
