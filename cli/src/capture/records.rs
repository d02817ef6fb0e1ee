//! Records: the packets of one pcap or pcapng file, read block by block (never the whole file),
//! each with its capture time, link type, captured bytes, original length and the byte offset
//! of its record in the file. A file that cannot be read is a [`FileError`] at a byte offset.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Duration;

use pcap_parser::traits::{PcapNGPacketBlock, PcapReaderIterator};
use pcap_parser::{Block, LegacyPcapReader, PcapBlockOwned, PcapError, PcapNGReader};

/// The reader's first buffer; it grows for longer records, up to [`MAX_RECORD`].
const BUFFER: usize = 1 << 16;
/// The longest record read (tcpdump's largest snaplen is 256 KiB): a longer one is a bad file.
pub const MAX_RECORD: usize = 1 << 22;

/// How a record's bytes begin: the link-layer header types this reader slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Ethernet,
    /// Linux cooked capture v1 (`tcpdump -i any`, older libpcap).
    LinuxSll,
    /// Linux cooked capture v2 (`tcpdump -i any`, libpcap 1.10 and later).
    LinuxSll2,
    /// BSD loopback: a 4-byte address family in the capturing host's byte order.
    Null,
    /// OpenBSD loopback: the address family in network byte order.
    Loop,
    /// An IPv4 or IPv6 packet with no link header.
    RawIp,
    /// Any other link type (its number): its records are counted, not read.
    Other(u32),
}

impl Link {
    /// The link type of a pcap header or pcapng interface (tcpdump.org's LINKTYPE_ numbers).
    pub fn of(linktype: i32) -> Link {
        match linktype {
            0 => Link::Null,
            1 => Link::Ethernet,
            12 | 14 | 101 | 228 | 229 => Link::RawIp,
            108 => Link::Loop,
            113 => Link::LinuxSll,
            276 => Link::LinuxSll2,
            other => Link::Other(other as u32),
        }
    }
}

/// One captured packet.
pub struct Record<'a> {
    /// Capture time since the Unix epoch.
    pub time: Duration,
    pub link: Link,
    /// The captured bytes (fewer than `original_len` when the capture's snaplen cut them).
    pub data: &'a [u8],
    pub original_len: u32,
    /// Where the record starts in the file.
    pub offset: u64,
}

/// Why a file cannot be read (further): what, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub offset: u64,
    pub message: String,
}

impl FileError {
    fn at(offset: u64, message: impl Into<String>) -> Self {
        FileError {
            offset,
            message: message.into(),
        }
    }
}

/// What a pcapng interface says about its packets' link type and time stamps.
struct Interface {
    link: Link,
    /// Units per second.
    resolution: u64,
    offset_secs: i64,
}

/// Reads `path` and calls `each` for every packet record, in file order. `Ok` when the whole
/// file was read; otherwise the records before the bad one were delivered.
pub fn read(path: &Path, each: impl FnMut(&Record<'_>)) -> Result<(), FileError> {
    if path.is_dir() {
        return Err(FileError::at(0, "is a directory, not a capture file"));
    }
    let file = File::open(path).map_err(|e| FileError::at(0, format!("cannot open: {e}")))?;
    read_from(file, each)
}

/// [`read`] over any seekable source of a capture's bytes (a file, or bytes in memory).
pub fn read_from(
    mut source: impl Read + Seek + Send,
    mut each: impl FnMut(&Record<'_>),
) -> Result<(), FileError> {
    let mut magic = [0u8; 4];
    let got = read_up_to(&mut source, &mut magic).map_err(|e| FileError::at(0, e.to_string()))?;
    let header_len = match magic {
        _ if got < 4 => {
            return Err(FileError::at(
                got as u64,
                format!("truncated file header: the file ends after {got} bytes"),
            ));
        }
        [0x0a, 0x0d, 0x0d, 0x0a] => 28,
        [0xd4, 0xc3, 0xb2, 0xa1] | [0xa1, 0xb2, 0xc3, 0xd4] => 24,
        [0x4d, 0x3c, 0xb2, 0xa1] | [0xa1, 0xb2, 0x3c, 0x4d] => 24,
        other => {
            return Err(FileError::at(
                0,
                format!(
                    "not a pcap or pcapng file (it starts with {:02x} {:02x} {:02x} {:02x})",
                    other[0], other[1], other[2], other[3]
                ),
            ));
        }
    };
    let len = source
        .seek(SeekFrom::End(0))
        .map_err(|e| FileError::at(0, e.to_string()))?;
    if len < header_len {
        return Err(FileError::at(
            len,
            format!("truncated file header: {len} bytes, the header needs {header_len}"),
        ));
    }
    source
        .rewind()
        .map_err(|e| FileError::at(0, e.to_string()))?;
    let bad_header = |e: PcapError<&[u8]>| FileError::at(0, format!("bad file header: {e:?}"));
    if header_len == 28 {
        let reader = PcapNGReader::new(BUFFER, source).map_err(bad_header)?;
        blocks(reader, &mut each)
    } else {
        let reader = LegacyPcapReader::new(BUFFER, source).map_err(bad_header)?;
        blocks(reader, &mut each)
    }
}

/// Reads until `buf` is full or the file ends; how many bytes were read.
fn read_up_to(source: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match source.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

/// The block loop shared by pcap and pcapng.
fn blocks(
    mut reader: impl PcapReaderIterator,
    mut each: impl FnMut(&Record<'_>),
) -> Result<(), FileError> {
    let mut legacy: Option<(Link, u64)> = None;
    let mut interfaces: Vec<Interface> = Vec::new();
    let mut last_time = Duration::ZERO;
    let mut capacity = BUFFER;
    loop {
        let offset = reader.consumed() as u64;
        match reader.next() {
            Ok((len, block)) => {
                let record = match &block {
                    PcapBlockOwned::LegacyHeader(header) => {
                        let units = if header.is_nanosecond_precision() {
                            1_000_000_000
                        } else {
                            1_000_000
                        };
                        legacy = Some((Link::of(header.network.0), units));
                        None
                    }
                    PcapBlockOwned::Legacy(frame) => legacy.map(|(link, units)| Record {
                        time: time(u64::from(frame.ts_sec), u64::from(frame.ts_usec), units),
                        link,
                        data: frame.data,
                        original_len: frame.origlen,
                        offset,
                    }),
                    PcapBlockOwned::NG(Block::SectionHeader(_)) => {
                        interfaces.clear();
                        None
                    }
                    PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                        interfaces.push(Interface {
                            link: Link::of(idb.linktype.0),
                            resolution: idb.ts_resolution().unwrap_or(1_000_000).max(1),
                            offset_secs: idb.ts_offset(),
                        });
                        None
                    }
                    PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                        let Some(interface) = interfaces.get(epb.if_id as usize) else {
                            return Err(FileError::at(
                                offset,
                                format!(
                                    "packet block names interface {}, which the section does not describe",
                                    epb.if_id
                                ),
                            ));
                        };
                        let ticks = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                        let secs = (ticks / interface.resolution)
                            .checked_add_signed(interface.offset_secs)
                            .unwrap_or(0);
                        last_time = time(secs, ticks % interface.resolution, interface.resolution);
                        Some(Record {
                            time: last_time,
                            link: interface.link,
                            data: epb.packet_data(),
                            original_len: epb.orig_len(),
                            offset,
                        })
                    }
                    PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                        interfaces.first().map(|interface| Record {
                            time: last_time, // a simple packet block has no time stamp
                            link: interface.link,
                            data: spb.packet_data(),
                            original_len: spb.orig_len(),
                            offset,
                        })
                    }
                    PcapBlockOwned::NG(_) => None,
                };
                if let Some(record) = record {
                    if let PcapBlockOwned::Legacy(_) = block {
                        last_time = record.time;
                    }
                    each(&record);
                }
                reader.consume(len);
            }
            Err(PcapError::Eof) => return Ok(()),
            Err(PcapError::Incomplete(_)) => {
                reader
                    .refill()
                    .map_err(|_| FileError::at(offset, "read error"))?;
            }
            Err(PcapError::BufferTooSmall) if capacity < MAX_RECORD => {
                capacity *= 4;
                reader.grow(capacity);
                reader
                    .refill()
                    .map_err(|_| FileError::at(offset, "read error"))?;
            }
            Err(PcapError::BufferTooSmall) => {
                return Err(FileError::at(
                    offset,
                    format!("record longer than {MAX_RECORD} bytes: not a packet"),
                ));
            }
            Err(PcapError::UnexpectedEof) => {
                return Err(FileError::at(
                    offset,
                    "truncated record: the file ends inside it",
                ));
            }
            Err(PcapError::ReadError) => return Err(FileError::at(offset, "read error")),
            Err(PcapError::NomError(_, kind) | PcapError::OwnedNomError(_, kind)) => {
                return Err(FileError::at(offset, format!("malformed block ({kind:?})")));
            }
            Err(PcapError::HeaderNotRecognized) => {
                return Err(FileError::at(offset, "not a pcap or pcapng block"));
            }
        }
    }
}

/// `secs` seconds and `ticks` of `1 / units` seconds as a duration (whatever the file holds).
fn time(secs: u64, ticks: u64, units: u64) -> Duration {
    let nanos = u128::from(ticks) * 1_000_000_000 / u128::from(units.max(1));
    let fraction = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
    Duration::from_secs(secs)
        .checked_add(fraction)
        .unwrap_or(Duration::from_secs(secs))
}
