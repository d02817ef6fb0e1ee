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
pub mod records;
pub mod shared;
pub mod steps;
pub mod stream;
pub mod text;
pub mod timeline;
pub mod tls;
pub mod words;

use std::path::Path;

use events::{ConnectionEvents, Event, Judge};
use flows::{End, Flows};
use packets::Packet;
use records::FileError;
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
}

/// Where the report goes: each finished connection and evicted device at once, then the devices
/// and the summary at the end.
pub trait Sink {
    fn connection(&mut self, connection: &ConnectionEvents);
    fn device(&mut self, device: &Device);
    fn summary(&mut self, summary: &Summary);
}

/// One run over one or more files (read in order, as one capture).
pub struct Capture {
    flows: Flows,
    devices: Devices,
    judge: Judge,
    summary: Summary,
}

impl Capture {
    pub fn new(ports: Vec<u16>, max_flows: usize, max_devices: usize, judge: Judge) -> Self {
        // No Hello the policy accepts is longer: bytes after these are only counted.
        let keep = match judge.policy {
            amt_hello::Policy::Strict => amt_hello::MAX_STRICT_LEN,
            _ => amt_hello::MAX_LEN,
        };
        Capture {
            flows: Flows::new(ports, max_flows, keep, flows::MAX_BUFFERED),
            devices: Devices::new(max_devices),
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
            judge,
            summary,
        } = self;
        summary.files += 1;
        let read = records(&mut |record| {
            summary.records += 1;
            if summary.records % 4096 == 0 {
                progress(record.offset);
            }
            match packets::slice(record.link, record.data) {
                Packet::Tcp(segment) => {
                    let mut done = |c| finished(c, judge, devices, summary, sink);
                    flows.segment(record.time, &segment, &mut done);
                }
                Packet::Udp(_) | Packet::Other => {}
                Packet::Unreadable => summary.unreadable += 1,
            }
        });
        if read.is_err() {
            self.summary.bad_files += 1;
        }
        read
    }

    /// Ends the capture: the connections still open, every device, the summary.
    pub fn finish(mut self, sink: &mut impl Sink) {
        let Capture {
            flows,
            devices,
            judge,
            summary,
        } = &mut self;
        flows.finish(&mut |c| finished(c, judge, devices, summary, sink));
        summary.segments = flows.segments;
        let devices = std::mem::replace(&mut self.devices, Devices::new(1)).into_sorted();
        self.summary.devices += devices.len() as u64;
        for device in &devices {
            sink.device(device);
        }
        sink.summary(&self.summary);
    }
}

/// A finished connection: its events reported, its Hellos added to the timelines.
fn finished(
    c: flows::Connection,
    judge: &Judge,
    devices: &mut Devices,
    summary: &mut Summary,
    sink: &mut impl Sink,
) {
    let events = judge.events(&c);
    summary.connections += 1;
    summary.evicted_flows += u64::from(c.info.end == End::Evicted);
    summary.hellos += events
        .events
        .iter()
        .filter(|e| matches!(e, Event::Hello(_)))
        .count() as u64;
    sink.connection(&events);
    devices.add(&events, &mut |device| {
        summary.evicted_devices += 1;
        summary.devices += 1;
        sink.device(&device);
    });
}
