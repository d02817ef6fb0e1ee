//! Timelines: the Hellos of each device (by UUID) joined across connections: its addresses,
//! what its latest Hello says (PSK or PKI, credentials, PID, trusted roots, the activation
//! answer) and every attempt with its capture time and retry count.
//!
//! Bounded and small: at most `max` devices (the one seen longest ago is handed on, marked
//! evicted, to make room), [`MAX_ATTEMPTS`] attempts each, and a device holds its roots as
//! shared references into one table (devices trust mostly the same few dozen roots), so a
//! device costs well under a kilobyte plus its attempts, not its Hello's report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;
use std::time::Duration;

use amt_hello::Uuid;

use super::events::{ConnectionEvents, Event, HelloFacts, Root};

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

/// What a device's latest Hello says.
#[derive(Debug)]
pub struct Latest {
    pub version: u16,
    pub psk: bool,
    pub localized_bios: bool,
    pub pid: Option<String>,
    pub roots: Vec<Rc<Root>>,
    /// Whether a CA bundle named the roots.
    pub named: bool,
    /// With `--provisioning-chain`: the activation answer in words.
    pub activation: Option<String>,
}

/// One device's timeline.
#[derive(Debug)]
pub struct Device {
    pub uuid: Uuid,
    pub addresses: Vec<IpAddr>,
    pub latest: Latest,
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
    /// Every root some held device trusts, once.
    roots: HashSet<Rc<Root>>,
}

impl Devices {
    pub fn new(max: usize) -> Self {
        Devices {
            max: max.max(1),
            devices: HashMap::new(),
            by_last_seen: BTreeMap::new(),
            roots: HashSet::new(),
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
        if !self.devices.contains_key(&facts.uuid)
            && self.devices.len() >= self.max
            && let Some(((_, oldest), ())) = self.by_last_seen.pop_first()
            && let Some(mut device) = self.devices.remove(&oldest)
        {
            device.evicted = true;
            let roots = device.latest.roots.clone();
            evicted(device); // and dropped: its roots may be the last users
            self.release(roots);
        }
        let latest = self.latest(facts);
        let device = self.devices.entry(facts.uuid).or_insert_with(|| Device {
            uuid: facts.uuid,
            addresses: Vec::new(),
            latest: Latest {
                roots: Vec::new(),
                ..latest_without_roots(facts)
            },
            psk: false,
            pki: false,
            attempts: Vec::new(),
            more_attempts: 0,
            first: c.info.first,
            last: c.info.first,
            evicted: false,
        });
        self.by_last_seen.remove(&(device.last, device.uuid));
        let newest = c.info.first >= device.last;
        device.first = device.first.min(c.info.first);
        device.last = device.last.max(c.info.first);
        self.by_last_seen.insert((device.last, device.uuid), ());
        let ip = c.info.client.ip();
        if !device.addresses.contains(&ip) && device.addresses.len() < MAX_ADDRESSES {
            device.addresses.push(ip);
        }
        device.psk |= facts.psk;
        device.pki |= !facts.psk;
        let replaced = if newest {
            std::mem::replace(&mut device.latest, latest).roots
        } else {
            latest.roots
        };
        let attempt = Attempt {
            time: c.info.first,
            retry_count: facts.retry_count,
            client: c.info.client,
            connection: c.info.id,
        };
        if device.attempts.len() < MAX_ATTEMPTS {
            device.attempts.push(attempt);
        } else {
            device.more_attempts += 1;
        }
        self.release(replaced);
    }

    /// The latest-Hello summary, its roots shared with the table.
    fn latest(&mut self, facts: &HelloFacts) -> Latest {
        let roots = facts
            .roots
            .iter()
            .map(|root| match self.roots.get(root) {
                Some(shared) => Rc::clone(shared),
                None => {
                    let shared = Rc::new(root.clone());
                    self.roots.insert(Rc::clone(&shared));
                    shared
                }
            })
            .collect();
        Latest {
            roots,
            ..latest_without_roots(facts)
        }
    }

    /// Drops roots no held device trusts any more from the table.
    fn release(&mut self, roots: Vec<Rc<Root>>) {
        for root in roots {
            // The table's reference and this one: nobody else holds it.
            if Rc::strong_count(&root) == 2 {
                self.roots.remove(&*root);
            }
        }
    }

    /// Every device still held, first seen first.
    pub fn into_sorted(self) -> Vec<Device> {
        let mut devices: Vec<Device> = self.devices.into_values().collect();
        devices.sort_by_key(|d| (d.first, d.uuid));
        devices
    }
}

fn latest_without_roots(facts: &HelloFacts) -> Latest {
    Latest {
        version: facts.version,
        psk: facts.psk,
        localized_bios: facts.localized_bios,
        pid: facts.pid.clone(),
        roots: Vec::new(),
        named: facts.named,
        activation: facts.activation.clone(),
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
}
