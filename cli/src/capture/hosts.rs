//! Hosts: the path's steps joined by address. A lease is filed under the address it gives, a
//! lookup and a connection to the SCA's port under the client's address, a connect-back under
//! the device's; a device (UUID) then reads the [`Path`] of the addresses its Hellos came from,
//! and an address that never delivered a Hello is reported on its own.
//!
//! Bounded: at most `max` hosts (the one seen longest ago in the capture goes, counted), and
//! the latest [`MAX_STEPS`] steps of each kind per host.

use std::collections::VecDeque;

use foldhash::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use amt_hello::Uuid;

use super::steps::{ConnectBack, LeaseStep, Lookup};

/// Steps of each kind kept per host (the latest).
pub const MAX_STEPS: usize = 16;

/// What the capture shows of one device's path, each list oldest first.
#[derive(Debug, Default)]
pub struct Path<'a> {
    pub leases: Vec<&'a LeaseStep>,
    pub lookups: Vec<&'a Lookup>,
    pub hellos: Vec<&'a HelloTry>,
    pub connect_backs: Vec<&'a ConnectBack>,
    /// Devices (UUIDs) whose Hellos came from the same address.
    pub devices_at_address: usize,
}

/// One connection from the device to an SCA port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelloTry {
    pub time: Duration,
    pub server: SocketAddr,
    pub outcome: Try,
    /// Segments that carried the client's bytes.
    pub segments: u32,
    /// The device whose Hello it delivered.
    pub device: Option<Uuid>,
}

/// How a connection to the SCA's port went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Try {
    /// A whole Hello arrived.
    Delivered,
    /// The SCA's host answered the SYN with a RST.
    Refused,
    /// The SYN got no answer.
    Unanswered,
    /// Anything else (closed early, an invalid Hello, ...): the connection's own report says.
    Other,
}

/// What the capture shows at one address.
#[derive(Debug)]
pub struct Host {
    pub address: IpAddr,
    /// From the latest lease that gave this address.
    pub mac: Option<String>,
    pub leases: Vec<LeaseStep>,
    pub lookups: Vec<Lookup>,
    pub hellos: Vec<HelloTry>,
    pub connect_backs: Vec<ConnectBack>,
    /// Devices whose Hellos came from this address.
    pub devices: Vec<Uuid>,
    pub last: Duration,
    /// When it was last touched, in the order of [`Hosts::touched`].
    touch: u64,
}

/// The hosts seen so far.
pub struct Hosts {
    max: usize,
    hosts: HashMap<IpAddr, Host>,
    /// Each touch of a host, oldest first: the first whose host was not touched again since is
    /// the one seen longest ago (the others are stale and skipped), so a touch costs no search.
    touched: VecDeque<(u64, IpAddr)>,
    touches: u64,
    /// Hosts dropped to make room.
    pub evicted: u64,
}

impl Hosts {
    pub fn new(max: usize) -> Self {
        Hosts {
            max: max.max(1),
            hosts: HashMap::default(),
            touched: VecDeque::new(),
            touches: 0,
            evicted: 0,
        }
    }

    pub fn lease(&mut self, step: LeaseStep) {
        if let Some(address) = step.lease.address {
            let host = self.host(address, step.time);
            host.mac = step.lease.mac.clone().or(host.mac.take());
            push(&mut host.leases, step);
        }
    }

    pub fn lookup(&mut self, lookup: Lookup) {
        push(
            &mut self.host(lookup.client.ip(), lookup.time).lookups,
            lookup,
        );
    }

    /// A connection from `client` to the SCA's port (and the device it named, if any).
    pub fn hello(&mut self, client: IpAddr, hello: HelloTry) {
        let host = self.host(client, hello.time);
        if let Some(uuid) = hello.device.filter(|u| !host.devices.contains(u)) {
            push(&mut host.devices, uuid);
        }
        push(&mut host.hellos, hello);
    }

    pub fn connect_back(&mut self, back: ConnectBack) {
        push(
            &mut self.host(back.device.ip(), back.time).connect_backs,
            back,
        );
    }

    /// The path of `device` (or of whatever is at an address that delivered no Hello) from
    /// `addresses`: their steps, oldest first, with only its own Hellos among those delivered.
    pub fn path(&self, addresses: &[IpAddr], device: Option<Uuid>) -> Path<'_> {
        let hosts: Vec<&Host> = addresses.iter().filter_map(|a| self.hosts.get(a)).collect();
        let own = |h: &&HelloTry| h.device.is_none() || h.device == device;
        let mut path = Path {
            leases: hosts.iter().flat_map(|h| &h.leases).collect(),
            lookups: hosts.iter().flat_map(|h| &h.lookups).collect(),
            hellos: hosts.iter().flat_map(|h| &h.hellos).filter(own).collect(),
            connect_backs: hosts.iter().flat_map(|h| &h.connect_backs).collect(),
            devices_at_address: hosts.iter().map(|h| h.devices.len()).max().unwrap_or(0),
        };
        path.leases.sort_by_key(|l| l.time);
        path.lookups.sort_by_key(|l| l.time);
        path.hellos.sort_by_key(|h| h.time);
        path.connect_backs.sort_by_key(|c| c.time);
        path
    }

    /// The hosts from which no device's Hello came, by address.
    pub fn without_devices(&self) -> Vec<&Host> {
        let mut hosts: Vec<&Host> = self
            .hosts
            .values()
            .filter(|h| h.devices.is_empty())
            .collect();
        hosts.sort_by_key(|h| h.address);
        hosts
    }

    /// The host at `address`, made (evicting the one seen longest ago when full) if new.
    fn host(&mut self, address: IpAddr, time: Duration) -> &mut Host {
        if self.hosts.len() >= self.max && !self.hosts.contains_key(&address) {
            while let Some((touch, oldest)) = self.touched.pop_front() {
                if self.hosts.get(&oldest).is_some_and(|h| h.touch == touch) {
                    self.hosts.remove(&oldest);
                    self.evicted += 1;
                    break;
                }
            }
        }
        if self.touched.len() > 4 * self.hosts.len().max(self.max.min(1 << 16)) {
            let hosts = &self.hosts; // drop the stale touches, keeping the queue bounded
            self.touched
                .retain(|(touch, a)| hosts.get(a).is_some_and(|h| h.touch == *touch));
        }
        self.touches += 1;
        self.touched.push_back((self.touches, address));
        let host = self.hosts.entry(address).or_insert_with(|| Host {
            address,
            mac: None,
            leases: Vec::new(),
            lookups: Vec::new(),
            hellos: Vec::new(),
            connect_backs: Vec::new(),
            devices: Vec::new(),
            last: time,
            touch: 0,
        });
        host.touch = self.touches;
        host.last = host.last.max(time);
        host
    }
}

/// Adds `item`, keeping the latest [`MAX_STEPS`]. Lists grow one by one: most hosts have one
/// step of a kind, and a fleet has a host per device.
fn push<T>(items: &mut Vec<T>, item: T) {
    if items.len() >= MAX_STEPS {
        items.remove(0);
    }
    items.reserve_exact(1);
    items.push(item);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use amt_hello::Uuid;

    use super::{HelloTry, Hosts, MAX_STEPS, Try};

    fn hello(second: u64, device: Option<Uuid>) -> HelloTry {
        HelloTry {
            time: Duration::from_secs(second),
            server: "192.0.2.1:9971".parse().unwrap(),
            outcome: Try::Refused,
            segments: 0,
            device,
        }
    }

    #[test]
    fn a_devices_path_joins_its_addresses_and_others_are_hosts_without_devices() {
        let mut hosts = Hosts::new(10);
        let (a, b, c) = (
            "192.0.2.10".parse().unwrap(),
            "192.0.2.11".parse().unwrap(),
            "192.0.2.12".parse().unwrap(),
        );
        let uuid = Uuid::from_bytes([1; 16]);
        let other = Uuid::from_bytes([2; 16]);
        hosts.hello(b, hello(5, Some(uuid)));
        hosts.hello(a, hello(1, Some(uuid)));
        hosts.hello(a, hello(2, Some(other)));
        hosts.hello(c, hello(3, None));
        let path = hosts.path(&[a, b], Some(uuid));
        let times: Vec<u64> = path.hellos.iter().map(|h| h.time.as_secs()).collect();
        assert_eq!((times, path.devices_at_address), (vec![1, 5], 2));
        let alone: Vec<_> = hosts.without_devices().iter().map(|h| h.address).collect();
        assert_eq!(alone, vec![c]);
    }

    #[test]
    fn hosts_and_their_steps_are_bounded() {
        let mut hosts = Hosts::new(2);
        for (second, address) in ["192.0.2.1", "192.0.2.2", "192.0.2.3"].iter().enumerate() {
            hosts.hello(address.parse().unwrap(), hello(second as u64, None));
        }
        assert_eq!(hosts.evicted, 1);
        let kept: Vec<String> = hosts
            .without_devices()
            .iter()
            .map(|h| h.address.to_string())
            .collect();
        assert_eq!(kept, vec!["192.0.2.2", "192.0.2.3"]);
        let one = "192.0.2.9".parse().unwrap();
        for second in 0..(MAX_STEPS as u64 + 3) {
            hosts.hello(one, hello(100 + second, None));
        }
        let path = hosts.path(&[one], None);
        assert_eq!(path.hellos.len(), MAX_STEPS);
        assert_eq!(path.hellos[0].time.as_secs(), 103, "the latest are kept");
    }
}
