//! The provisioning path around the Hello (issue 28): DHCP and DNS datagrams, DNS over TCP and
//! the SCA's connect-backs turned into [`Step`]s as they complete, and each device's (or
//! address's) [`Cause`] at the end, from the steps [`Hosts`] joined by address.

use std::net::IpAddr;
use std::time::Duration;

use amt_hello::Uuid;

use super::cause::{self, Cause};
use super::events::{ConnectionEvents, Event};
use super::flows::Connection;
use super::hosts::{HelloTry, Host, Hosts, Try};
use super::packets::Datagram;
use super::steps::{ConnectBack, LeaseStep, Lookups, Step};
use super::{dhcp, dns, tls};

/// What the run watches besides the Hello's ports.
#[derive(Debug, Clone)]
pub struct Watch {
    /// The SCA's connect-back ports (TLS on 16993, 16992 without TLS).
    pub connect_back: Vec<u16>,
    /// The lookups kept: `provisionserver.*` and the `--sca-fqdn` names.
    pub names: dns::Names,
    /// How soon after a Hello the SCA is expected to connect back.
    pub connect_back_within: Duration,
}

impl Default for Watch {
    fn default() -> Self {
        Watch {
            connect_back: vec![16993, 16992],
            names: dns::Names::default(),
            connect_back_within: Duration::from_secs(60),
        }
    }
}

/// The path's state during a run.
pub struct Path {
    pub watch: Watch,
    lookups: Lookups,
    hosts: Hosts,
    /// The latest record time: where the capture ends.
    end: Duration,
}

impl Path {
    /// At most `max` pending lookups and `max` hosts.
    pub fn new(watch: Watch, max: usize) -> Self {
        Path {
            watch,
            lookups: Lookups::new(max),
            hosts: Hosts::new(max),
            end: Duration::ZERO,
        }
    }

    /// The TCP ports whose connections are read both ways: DNS and the connect-backs.
    pub fn tcp_ports(&self) -> Vec<u16> {
        let mut ports = vec![dns::PORT];
        ports.extend(&self.watch.connect_back);
        ports
    }

    /// Hosts dropped to make room.
    pub fn evicted_hosts(&self) -> u64 {
        self.hosts.evicted
    }

    /// A record's time: the capture reaches at least this far.
    pub fn saw(&mut self, time: Duration) {
        self.end = self.end.max(time);
    }

    /// A UDP datagram: a DHCP lease or a DNS message, if it is one of those kept.
    pub fn datagram(&mut self, time: Duration, d: &Datagram<'_>, emit: &mut impl FnMut(Step<'_>)) {
        if dhcp::SERVER_PORTS.contains(&d.src.port()) {
            if let Some(lease) = dhcp::read(d.src, d.dst, d.payload) {
                let step = LeaseStep { time, lease };
                emit(Step::Lease(&step));
                self.hosts.lease(step);
            }
        } else if (d.src.port() == dns::PORT || d.dst.port() == dns::PORT)
            && let Some(message) = dns::read(d.payload, &self.watch.names)
        {
            self.dns(time, (d.src, d.dst), false, message, emit);
        }
    }

    /// A finished TCP connection to a DNS or connect-back port; `false` for any other port.
    pub fn connection(&mut self, c: &Connection, emit: &mut impl FnMut(Step<'_>)) -> bool {
        let (info, reply) = (&c.info, c.reply.as_ref());
        if info.server.port() == dns::PORT {
            let asked = dns::tcp_messages(c.stream.prefix());
            let asked: Vec<dns::Dns> = asked
                .filter_map(|m| dns::read(m, &self.watch.names))
                .collect();
            for message in asked {
                self.dns(info.first, (info.client, info.server), true, message, emit);
            }
            let answers = dns::tcp_messages(reply.map_or(&[][..], |r| r.prefix()));
            let answers: Vec<dns::Dns> = answers
                .filter_map(|m| dns::read(m, &self.watch.names))
                .collect();
            for message in answers {
                self.dns(info.last, (info.server, info.client), true, message, emit);
            }
            return true;
        }
        if !self.watch.connect_back.contains(&info.server.port()) {
            return false;
        }
        let back = ConnectBack {
            time: info.first,
            sca: info.client,
            device: info.server,
            answered: info.syn_ack,
            end: info.end,
            tls: tls::outcome(c.stream.prefix(), reply.map_or(&[][..], |r| r.prefix())),
        };
        emit(Step::ConnectBack(&back));
        self.hosts.connect_back(back);
        true
    }

    fn dns(
        &mut self,
        time: Duration,
        ends: (std::net::SocketAddr, std::net::SocketAddr),
        tcp: bool,
        message: dns::Dns,
        emit: &mut impl FnMut(Step<'_>),
    ) {
        let hosts = &mut self.hosts;
        self.lookups
            .message(time, ends, tcp, message, &mut |lookup| {
                emit(Step::Lookup(&lookup));
                hosts.lookup(lookup);
            });
    }

    /// A connection to the SCA's port and what happened on it.
    pub fn hello(&mut self, c: &ConnectionEvents) {
        let mut device = None;
        let mut outcome = Try::Other;
        for event in &c.events {
            match event {
                Event::Hello(facts) => (outcome, device) = (Try::Delivered, Some(facts.uuid)),
                Event::Refused => outcome = Try::Refused,
                Event::Unanswered => outcome = Try::Unanswered,
                _ => {}
            }
        }
        let hello = HelloTry {
            time: c.info.first,
            server: c.info.server,
            outcome,
            segments: c.info.segments,
            device,
        };
        self.hosts.hello(c.info.client.ip(), hello);
    }

    /// The capture has ended: the lookups still waiting had no answer in it.
    pub fn finish(&mut self, emit: &mut impl FnMut(Step<'_>)) {
        let hosts = &mut self.hosts;
        self.lookups.finish(&mut |lookup| {
            emit(Step::Lookup(&lookup));
            hosts.lookup(lookup);
        });
    }

    /// The cause for `device`, whose Hellos came from `addresses` (`None`: for an address
    /// that delivered no Hello).
    pub fn cause(&self, addresses: &[IpAddr], device: Option<Uuid>) -> Cause {
        let within = self.watch.connect_back_within;
        cause::of_path(&self.hosts.path(addresses, device), self.end, within)
    }

    /// The addresses that delivered no device's Hello, each with its cause.
    pub fn hosts(&self) -> Vec<(&Host, Cause)> {
        let hosts = self.hosts.without_devices();
        hosts
            .into_iter()
            .map(|h| (h, self.cause(&[h.address], None)))
            .collect()
    }
}
