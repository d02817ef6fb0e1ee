//! `amt-hello capture`: Hellos read out of pcap and pcapng files, as a one-way pipeline, one
//! module per stage, each knowing only the stage before it:
//!
//! | stage | module | in → out |
//! |---|---|---|
//! | records | [`records`] | a file → packet records (time, link type, bytes, file offset) |
//! | packets | [`packets`] | a record → a TCP segment (etherparse slices) |
//! | streams | [`flows`], [`stream`] | segments → connections to the watched ports, each with the client's byte stream |
//! | events | [`events`] | a finished connection → what happened on it (the seam: no bytes after it) |
//! | timelines | [`timeline`] (with [`shared`]) | Hello events → one timeline per device (UUID) |
//! | diagnoses | [`diagnosis`] | a timeline → what the retry-schedule model infers (pure) |
//! | report | [`text`], [`json`] (with [`words`]) | connections, devices and a summary, as text or JSON lines |
//!
//! Memory grows with the open connections (`--max-flows`) and the devices (`--max-devices`),
//! never with the file: records are streamed, a connection is reported and dropped when it ends,
//! and both tables evict their oldest entry, saying so, when full.
//!
//! Issue 28 (DHCP, DNS, the SCA's connect-back) plugs in at the same seam: its readers turn UDP
//! datagrams and other TCP ports into new [`events::Event`] kinds, which timelines join by
//! address.

pub mod cause;
pub mod dhcp;
pub mod diagnosis;
pub mod dns;
pub mod events;
pub mod flows;
pub mod hosts;
pub mod json;
pub mod packets;
pub mod path;
pub mod records;
pub mod shared;
pub mod steps;
pub mod stream;
pub mod text;
pub mod timeline;
pub mod tls;
pub mod words;

use std::path::Path;

use cause::Cause;
use events::{ConnectionEvents, Event, Judge};
use flows::{End, Flows};
use hosts::Host;
use packets::Packet;
use path::{Path as PathState, Watch};
use records::FileError;
use steps::Step;
use timeline::{Device, Devices};

/// The report's form: lines for people, or one JSON object per line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Form {
    Text,
    Json,
}

/// What the capture run counted.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub files: u64,
    pub bad_files: u64,
    pub records: u64,
    /// Records that are not TCP over IP that could be read (or of a link type not read).
    pub unreadable: u64,
    /// TCP segments to or from the watched ports.
    pub segments: u64,
    pub connections: u64,
    pub evicted_flows: u64,
    pub hellos: u64,
    pub devices: u64,
    pub evicted_devices: u64,
    /// The path's steps: DHCP leases, lookups, connect-backs.
    pub leases: u64,
    pub lookups: u64,
    pub connect_backs: u64,
    /// Addresses that delivered no Hello, and those dropped from the table to make room.
    pub hosts: u64,
    pub evicted_hosts: u64,
}

/// Where the report goes: each finished connection, path step and evicted device at once, then
/// the devices, the addresses that delivered no Hello, and the summary at the end.
pub trait Sink {
    fn connection(&mut self, connection: &ConnectionEvents);
    fn step(&mut self, step: &Step<'_>);
    fn device(&mut self, device: &Device, cause: &Cause);
    fn host(&mut self, host: &Host, cause: &Cause);
    fn summary(&mut self, summary: &Summary);
}

/// One run over one or more files (read in order, as one capture).
pub struct Capture {
    flows: Flows,
    devices: Devices,
    path: PathState,
    judge: Judge,
    summary: Summary,
}

impl Capture {
    /// A run over Hellos to `ports` and the path `watch` names; at most `max_flows` open
    /// connections and `max_devices` devices (and as many hosts and pending lookups).
    pub fn new(
        ports: Vec<u16>,
        watch: Watch,
        max_flows: usize,
        max_devices: usize,
        judge: Judge,
    ) -> Self {
        // No Hello the policy accepts is longer: bytes after these are only counted.
        let keep = match judge.policy {
            amt_hello::Policy::Strict => amt_hello::MAX_STRICT_LEN,
            _ => amt_hello::MAX_LEN,
        };
        let path = PathState::new(watch, max_devices);
        let flows = Flows::new(ports, max_flows, keep, flows::MAX_BUFFERED);
        Capture {
            flows: flows.with_replies(&path.tcp_ports()),
            devices: Devices::new(max_devices),
            path,
            judge,
            summary: Summary::default(),
        }
    }

    /// Reads one file; `progress` gets the file offset now and then. The records before a bad
    /// one are used.
    pub fn file(
        &mut self,
        path: &Path,
        sink: &mut impl Sink,
        progress: impl FnMut(u64),
    ) -> Result<(), FileError> {
        self.read(|each| records::read(path, each), sink, progress)
    }

    /// Reads one capture's bytes from memory (as [`Capture::file`] does a file).
    pub fn bytes(&mut self, bytes: &[u8], sink: &mut impl Sink) -> Result<(), FileError> {
        let source = std::io::Cursor::new(bytes);
        self.read(|each| records::read_from(source, each), sink, |_| {})
    }

    /// Runs `records` (a reader that calls its argument per record) through the pipeline.
    fn read<R>(
        &mut self,
        records: R,
        sink: &mut impl Sink,
        mut progress: impl FnMut(u64),
    ) -> Result<(), FileError>
    where
        R: FnOnce(&mut dyn FnMut(&records::Record<'_>)) -> Result<(), FileError>,
    {
        let Capture {
            flows,
            devices,
            path,
            judge,
            summary,
        } = self;
        summary.files += 1;
        let read = records(&mut |record| {
            summary.records += 1;
            if summary.records % 4096 == 0 {
                progress(record.offset);
            }
            path.saw(record.time);
            match packets::slice(record.link, record.data) {
                Packet::Tcp(segment) => {
                    let mut done = |c| finished(c, judge, devices, path, summary, sink);
                    flows.segment(record.time, &segment, &mut done);
                }
                Packet::Udp(datagram) => {
                    path.datagram(record.time, &datagram, &mut |s| step(&s, summary, sink));
                }
                Packet::Other => {}
                Packet::Unreadable => summary.unreadable += 1,
            }
        });
        if read.is_err() {
            self.summary.bad_files += 1;
        }
        read
    }

    /// Ends the capture: the connections still open, the lookups still waiting, every device
    /// with its cause, the addresses that delivered no Hello, the summary.
    pub fn finish(mut self, sink: &mut impl Sink) {
        let Capture {
            flows,
            devices,
            path,
            judge,
            summary,
        } = &mut self;
        flows.finish(&mut |c| finished(c, judge, devices, path, summary, sink));
        path.finish(&mut |s| step(&s, summary, sink));
        summary.segments = flows.segments;
        let devices = std::mem::replace(&mut self.devices, Devices::new(1)).into_sorted();
        self.summary.devices += devices.len() as u64;
        for device in &devices {
            let cause = self.path.cause(&device.addresses, Some(device.uuid));
            sink.device(device, &cause);
        }
        let hosts = self.path.hosts();
        self.summary.hosts = hosts.len() as u64;
        self.summary.evicted_hosts = self.path.evicted_hosts();
        for (host, cause) in &hosts {
            sink.host(host, cause);
        }
        sink.summary(&self.summary);
    }
}

/// A step of the path: counted and reported.
fn step(step: &Step<'_>, summary: &mut Summary, sink: &mut impl Sink) {
    match step {
        Step::Lease(_) => summary.leases += 1,
        Step::Lookup(_) => summary.lookups += 1,
        Step::ConnectBack(_) => summary.connect_backs += 1,
    }
    sink.step(step);
}

/// A finished connection: a path step (DNS, connect-back), or a connection to the SCA's port
/// whose events are reported and whose Hellos join the timelines.
fn finished(
    c: flows::Connection,
    judge: &Judge,
    devices: &mut Devices,
    path: &mut PathState,
    summary: &mut Summary,
    sink: &mut impl Sink,
) {
    if path.connection(&c, &mut |s| step(&s, summary, sink)) {
        return;
    }
    let events = judge.events(&c);
    summary.connections += 1;
    summary.evicted_flows += u64::from(c.info.end == End::Evicted);
    summary.hellos += events
        .events
        .iter()
        .filter(|e| matches!(e, Event::Hello(_)))
        .count() as u64;
    sink.connection(&events);
    path.hello(&events);
    devices.add(&events, &mut |device| {
        summary.evicted_devices += 1;
        summary.devices += 1;
        sink.device(&device, &path.cause(&device.addresses, Some(device.uuid)));
    });
}
