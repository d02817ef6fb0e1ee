//! The records stage alone: time stamps in each pcap byte order and precision, and in pcapng
//! by the interface's resolution; link types; captured and original lengths; file offsets.
use std::io::Cursor;
use std::time::Duration;

use amt_hello_cli::capture::records::{Link, read_from};

/// The records of `bytes`: (time, link, captured length, original length, offset).
fn records(bytes: Vec<u8>) -> Vec<(Duration, Link, usize, u32, u64)> {
    let mut seen = Vec::new();
    let read = read_from(Cursor::new(bytes), |r| {
        seen.push((r.time, r.link, r.data.len(), r.original_len, r.offset));
    });
    assert_eq!(read, Ok(()));
    seen
}

/// A pcap file: its header and one record of 3 bytes cut from 10, `fraction` into its
/// second, in either byte order.
fn pcap(magic: u32, big_endian: bool, fraction: u32) -> Vec<u8> {
    let word = |v: u32| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let half = |v: u16| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut out = word(magic).to_vec();
    out.extend(half(2));
    out.extend(half(4));
    for field in [0, 0, 65_535, 113, 1_796_000_000, fraction, 3, 10] {
        out.extend(word(field));
    }
    out.extend([1, 2, 3]);
    out
}

#[test]
fn big_endian_microsecond_and_nanosecond_pcaps() {
    let time = Duration::from_secs(1_796_000_000) + Duration::from_millis(250);
    for file in [
        pcap(0xa1b2_c3d4, true, 250_000),
        pcap(0xa1b2_3c4d, false, 250_000_000),
    ] {
        assert_eq!(records(file), vec![(time, Link::LinuxSll, 3, 10, 24)]);
    }
}

#[test]
fn pcapng_time_stamps_follow_the_interface_resolution() {
    let mut file = Vec::new();
    let block = |file: &mut Vec<u8>, kind: u32, body: &[u8]| {
        let len = (12 + body.len()) as u32;
        file.extend(kind.to_le_bytes());
        file.extend(len.to_le_bytes());
        file.extend(body);
        file.extend(len.to_le_bytes());
    };
    let mut shb = 0x1a2b_3c4du32.to_le_bytes().to_vec();
    shb.extend([1, 0, 0, 0]);
    shb.extend((-1i64).to_le_bytes());
    block(&mut file, 0x0a0d_0d0a, &shb);
    // Interface 0: raw IP, if_tsresol 9 (nanoseconds), then the end of options.
    let mut idb = vec![101, 0, 0, 0, 0, 0, 1, 0];
    idb.extend([9, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0]);
    block(&mut file, 1, &idb);
    let ns: u64 = 1_796_000_000 * 1_000_000_000 + 5;
    let mut epb = 0u32.to_le_bytes().to_vec();
    epb.extend(((ns >> 32) as u32).to_le_bytes());
    epb.extend((ns as u32).to_le_bytes());
    epb.extend(4u32.to_le_bytes());
    epb.extend(4u32.to_le_bytes());
    epb.extend([0x45, 0, 0, 4]);
    block(&mut file, 6, &epb);
    let offset = (file.len() - 12 - epb.len()) as u64;
    let time = Duration::from_secs(1_796_000_000) + Duration::from_nanos(5);
    assert_eq!(records(file), vec![(time, Link::RawIp, 4, 4, offset)]);
}
