//! The open connections: when each last received bytes, how many each source address holds,
//! and which one to shed when the server is full.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::Config;

/// One connection's place in the registry: when it last received bytes, and how to shed it.
pub(super) struct Slot {
    pub(super) id: u64,
    epoch: Instant,
    last_bytes_ms: AtomicU64,
    pub(super) received: AtomicUsize,
    pub(super) shed: Notify,
}

impl Slot {
    pub(super) fn touch(&self, bytes: usize) {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_bytes_ms.store(now, Ordering::Relaxed);
        self.received.fetch_add(bytes, Ordering::Relaxed);
    }

    pub(super) fn last_bytes(&self) -> Instant {
        self.epoch + Duration::from_millis(self.last_bytes_ms.load(Ordering::Relaxed))
    }
}

pub(super) enum Admission {
    Admitted(Arc<Slot>),
    Refused,
}

/// The open connections, by id, and how many each source address holds.
#[derive(Default)]
pub(super) struct Registry {
    next_id: u64,
    open: HashMap<u64, Arc<Slot>>,
    per_ip: HashMap<IpAddr, usize>,
}

impl Registry {
    /// Admits a connection from `ip`, shedding the connection idle longest when full.
    pub(super) fn admit(&mut self, ip: IpAddr, config: &Config, epoch: Instant) -> Admission {
        let held = self.per_ip.get(&ip).copied().unwrap_or(0);
        if held >= config.max_per_ip {
            return Admission::Refused;
        }
        if self.open.len() >= config.max_connections {
            let idlest = self
                .open
                .values()
                .min_by_key(|s| s.last_bytes_ms.load(Ordering::Relaxed));
            if let Some(idlest) = idlest.cloned() {
                self.open.remove(&idlest.id); // no longer counted, though its task still ends
                idlest.shed.notify_one();
            }
        }
        self.next_id += 1;
        let slot = Arc::new(Slot {
            id: self.next_id,
            epoch,
            last_bytes_ms: AtomicU64::new(0),
            received: AtomicUsize::new(0),
            shed: Notify::new(),
        });
        slot.touch(0);
        self.open.insert(slot.id, slot.clone());
        *self.per_ip.entry(ip).or_default() += 1;
        Admission::Admitted(slot)
    }

    pub(super) fn release(&mut self, id: u64, ip: IpAddr) {
        self.open.remove(&id);
        if let Some(held) = self.per_ip.get_mut(&ip) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                self.per_ip.remove(&ip);
            }
        }
    }
}
