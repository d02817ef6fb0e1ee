//! Timelines: the Hellos of each device (by UUID) joined across connections: its addresses,
//! what its latest Hello says (PSK or PKI, credentials, PID, trusted roots, the activation
//! answer and checklists) and every attempt with its capture time and retry count.
//!
//! Bounded and small: at most `max` devices (the one seen longest ago is handed on, marked
//! evicted, to make room), [`MAX_ATTEMPTS`] attempts each, and a device holds its roots and its
//! activation checklists as shared references into [`Shared`] tables (devices trust mostly the
//! same few dozen roots, and devices that trust the same roots get the same checklists), so a
//! device costs well under a kilobyte plus its attempts, not its Hello's report.

use std::collections::BTreeMap;

use foldhash::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;
use std::time::Duration;

use amt_hello::Uuid;

use super::events::{ConnectionEvents, Event, HelloFacts, Root};
use super::shared::Shared;
use crate::activation::Assessment;

/// Each provisioning chain file and its checklist for one device.
pub type Checklists = Vec<(String, Assessment)>;

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
    /// With a `--provisioning-chain` that holds more than the root: each chain file's checklist.
    pub checks: Option<Rc<Checklists>>,
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
    roots: Shared<Root>,
    /// Every checklist some held device has, once.
    checks: Shared<Checklists>,
}

impl Devices {
    pub fn new(max: usize) -> Self {
        Devices {
            max: max.max(1),
            devices: HashMap::default(),
            by_last_seen: BTreeMap::new(),
            roots: Shared::default(),
            checks: Shared::default(),
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
            let (roots, checks) = (device.latest.roots.clone(), device.latest.checks.clone());
            evicted(device); // and dropped: it may have held the last references
            self.release(roots, checks);
        }
        let latest = self.latest(facts);
        let device = self.devices.entry(facts.uuid).or_insert_with(|| Device {
            uuid: facts.uuid,
            addresses: Vec::new(),
            latest: Latest {
                roots: Vec::new(),
                checks: None,
                ..latest_unshared(facts)
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
            std::mem::replace(&mut device.latest, latest)
        } else {
            latest
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
        self.release(replaced.roots, replaced.checks);
    }

    /// The latest-Hello summary, its roots and checklists shared with the tables.
    fn latest(&mut self, facts: &HelloFacts) -> Latest {
        let roots = facts.roots.iter().map(|r| self.roots.share(r)).collect();
        let checks = facts.checks.as_ref().map(|c| self.checks.share(c));
        Latest {
            roots,
            checks,
            ..latest_unshared(facts)
        }
    }

    /// Gives a device's references back to the tables.
    fn release(&mut self, roots: Vec<Rc<Root>>, checks: Option<Rc<Checklists>>) {
        for root in roots {
            self.roots.release(root);
        }
        if let Some(checks) = checks {
            self.checks.release(checks);
        }
    }

    /// Every device still held, first seen first.
    pub fn into_sorted(self) -> Vec<Device> {
        let mut devices: Vec<Device> = self.devices.into_values().collect();
        devices.sort_by_key(|d| (d.first, d.uuid));
        devices
    }
}

/// The latest-Hello summary without what the tables share (its roots and checklists).
fn latest_unshared(facts: &HelloFacts) -> Latest {
    Latest {
        version: facts.version,
        psk: facts.psk,
        localized_bios: facts.localized_bios,
        pid: facts.pid.clone(),
        roots: Vec::new(),
        named: facts.named,
        activation: facts.activation.clone(),
        checks: None,
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

#[cfg(test)]
mod tests {
    use std::rc::Rc;
    use std::time::Duration;

    use super::{Checklists, Devices};
    use crate::activation::Assessment;
    use crate::capture::events::{ConnectionEvents, End, Event, HelloFacts, Info, Report, Root};

    fn hello(uuid: u8, at: u64, roots: usize) -> ConnectionEvents {
        let root = |i| Root {
            algorithm: "sha256".into(),
            digest: format!("{i:064x}"),
            ca: None,
        };
        // The checklist depends on the roots only, as the root-trusted rule's does.
        let checks: Checklists = vec![(
            "chain.pem".into(),
            Assessment {
                chain: vec![format!("{roots} roots")],
                findings: Vec::new(),
            },
        )];
        let facts = HelloFacts {
            uuid: amt_hello::Uuid::from_bytes([uuid; 16]),
            retry_count: 0,
            version: 3,
            psk: false,
            localized_bios: false,
            pid: None,
            roots: (0..roots).map(root).collect(),
            named: false,
            activation: None,
            checks: Some(checks),
            report: Report::Text(String::new()),
        };
        let client = ([192, 0, 2, uuid], 50_000).into();
        ConnectionEvents {
            info: Info {
                id: at,
                client,
                server: ([192, 0, 2, 1], 9971).into(),
                first: Duration::from_secs(at),
                last: Duration::from_secs(at),
                syn: true,
                syn_ack: true,
                segments: 1,
                end: End::Fin,
            },
            bytes: 0,
            events: vec![Event::Hello(Box::new(facts))],
        }
    }

    #[test]
    fn devices_with_equal_checklists_share_one_until_neither_holds_it() {
        let mut devices = Devices::new(2);
        let mut evicted = 0;
        devices.add(&hello(1, 0, 2), &mut |_| evicted += 1);
        devices.add(&hello(2, 1, 2), &mut |_| evicted += 1);
        assert_eq!((devices.checks.len(), devices.roots.len()), (1, 2));
        let held: Vec<_> = devices
            .devices
            .values()
            .map(|d| d.latest.checks.clone())
            .collect();
        assert!(Rc::ptr_eq(
            held[0].as_ref().unwrap(),
            held[1].as_ref().unwrap()
        ));
        drop(held);
        // Device 1's roots change: its new checklist joins the table, the old one stays for 2.
        devices.add(&hello(1, 2, 3), &mut |_| evicted += 1);
        assert_eq!((devices.checks.len(), devices.roots.len()), (2, 3));
        // A third device evicts device 2, the last holder of the first checklist.
        devices.add(&hello(3, 3, 3), &mut |_| evicted += 1);
        assert_eq!(evicted, 1);
        assert_eq!((devices.checks.len(), devices.roots.len()), (1, 3));
    }
}
