//! Timelines: the Hellos of each device (by UUID) joined across connections: its addresses,
//! what its Hellos say (PSK or PKI, credentials, PID, trusted roots) and every attempt with its
//! capture time and retry count. Bounded: at most `max` devices (the one seen longest ago is
//! handed on, marked evicted, to make room) and [`MAX_ATTEMPTS`] attempts each.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use amt_hello::Uuid;

use super::events::{ConnectionEvents, Event, HelloFacts};

/// Attempts listed per device (more are counted).
pub const MAX_ATTEMPTS: usize = 1000;
/// Addresses listed per device.
const MAX_ADDRESSES: usize = 16;

/// One Hello of a device.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub time: Duration,
    pub retry_count: u32,
    pub client: SocketAddr,
    pub connection: u64,
}

/// One device's timeline.
#[derive(Debug)]
pub struct Device {
    pub uuid: Uuid,
    pub addresses: Vec<IpAddr>,
    /// What its latest Hello says.
    pub latest: Box<HelloFacts>,
    /// Whether its Hellos were PSK, PKI, or (oddly) both.
    pub psk: bool,
    pub pki: bool,
    pub attempts: Vec<Attempt>,
    /// Attempts beyond [`MAX_ATTEMPTS`].
    pub more_attempts: u64,
    pub first: Duration,
    pub last: Duration,
    /// Handed on early to make room (`--max-devices`): later Hellos start a new timeline.
    pub evicted: bool,
}

/// The devices seen so far.
pub struct Devices {
    max: usize,
    devices: HashMap<Uuid, Device>,
    /// Devices by the time they were last seen: the first is evicted first.
    by_last_seen: BTreeMap<(Duration, Uuid), ()>,
}

impl Devices {
    pub fn new(max: usize) -> Self {
        Devices {
            max: max.max(1),
            devices: HashMap::new(),
            by_last_seen: BTreeMap::new(),
        }
    }

    /// Adds the Hellos of a connection; `evicted` gets each device dropped to make room.
    pub fn add(&mut self, c: &ConnectionEvents, evicted: &mut impl FnMut(Device)) {
        for event in &c.events {
            if let Event::Hello(facts) = event {
                self.hello(c, facts, evicted);
            }
        }
    }

    fn hello(
        &mut self,
        c: &ConnectionEvents,
        facts: &HelloFacts,
        evicted: &mut impl FnMut(Device),
    ) {
        let attempt = Attempt {
            time: c.first,
            retry_count: facts.retry_count,
            client: c.client,
            connection: c.id,
        };
        if !self.devices.contains_key(&facts.uuid) && self.devices.len() >= self.max {
            if let Some(((_, oldest), ())) = self.by_last_seen.pop_first() {
                if let Some(mut device) = self.devices.remove(&oldest) {
                    device.evicted = true;
                    evicted(device);
                }
            }
        }
        let device = self.devices.entry(facts.uuid).or_insert_with(|| Device {
            uuid: facts.uuid,
            addresses: Vec::new(),
            latest: Box::new(facts.clone()),
            psk: false,
            pki: false,
            attempts: Vec::new(),
            more_attempts: 0,
            first: c.first,
            last: c.first,
            evicted: false,
        });
        self.by_last_seen.remove(&(device.last, device.uuid));
        device.first = device.first.min(c.first);
        device.last = device.last.max(c.first);
        self.by_last_seen.insert((device.last, device.uuid), ());
        let ip = c.client.ip();
        if !device.addresses.contains(&ip) && device.addresses.len() < MAX_ADDRESSES {
            device.addresses.push(ip);
        }
        device.psk |= facts.psk;
        device.pki |= !facts.psk;
        if attempt.time >= device.latest_time() {
            *device.latest = facts.clone();
        }
        if device.attempts.len() < MAX_ATTEMPTS {
            device.attempts.push(attempt);
        } else {
            device.more_attempts += 1;
        }
    }

    /// Every device still held, first seen first.
    pub fn into_sorted(self) -> Vec<Device> {
        let mut devices: Vec<Device> = self.devices.into_values().collect();
        devices.sort_by_key(|d| (d.first, d.uuid));
        devices
    }
}

impl Device {
    /// "PSK", "PKI", or "PSK and PKI".
    pub fn kinds(&self) -> &'static str {
        match (self.psk, self.pki) {
            (true, true) => "PSK and PKI",
            (true, false) => "PSK",
            _ => "PKI",
        }
    }

    fn latest_time(&self) -> Duration {
        self.attempts
            .iter()
            .map(|a| a.time)
            .max()
            .unwrap_or_default()
    }
}
