//! `amt-hello capture` on files that are not (whole) captures: one line on stderr naming the
//! file and the byte offset, exit status 2, never a panic; the records before the bad one and
//! the other files are still reported.

mod common;

use std::path::{Path, PathBuf};

use common::amt_hello;
use common::pcap::{Capture, Conn, Format, Link};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("amt-hello-files-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `amt-hello capture FILES` in `dir`: (status, stdout, stderr).
fn capture(dir: &Path, files: &[&str]) -> (Option<i32>, String, String) {
    let out = amt_hello()
        .current_dir(dir)
        .arg("capture")
        .args(files)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

/// A pcap with one whole Hello connection from `port`.
fn good_pcap(port: u16) -> Vec<u8> {
    let mut c = Capture::new(Format::Pcap, Link::Ethernet);
    let hello = common::hex(common::PSK);
    Conn::new(&format!("192.0.2.10:{port}"), "192.0.2.1:9971", 1).whole(&mut c, 0, &hello, 32);
    c.bytes()
}

#[test]
fn each_bad_file_is_one_line_with_its_offset_and_exit_2() {
    let dir = scratch("bad");
    let pcap = good_pcap(40000);
    let mut truncated_record = pcap.clone();
    truncated_record.truncate(pcap.len() - 5);
    let last_record = {
        // The last record (the FIN) starts 16 + its frame length (54) before the end.
        pcap.len() - 16 - 54
    };
    let mut huge = pcap[..24].to_vec();
    huge.extend([0u8; 8]);
    huge.extend(0xffff_fff0u32.to_le_bytes());
    huge.extend(0xffff_fff0u32.to_le_bytes());
    huge.extend([0u8; 64]);
    let mut ng = Capture::new(Format::PcapNg, Link::Ethernet).bytes();
    // A packet block naming interface 3 of a section that describes only interface 0.
    ng.extend(6u32.to_le_bytes());
    ng.extend(32u32.to_le_bytes());
    ng.extend(3u32.to_le_bytes());
    ng.extend([0u8; 16]);
    ng.extend(32u32.to_le_bytes());
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "text.pcap",
            b"hello world".to_vec(),
            "byte 0: not a pcap or pcapng file (it starts with 68 65 6c 6c)".into(),
        ),
        (
            "empty.pcap",
            vec![],
            "byte 0: truncated file header: the file ends after 0 bytes".into(),
        ),
        (
            "short.pcap",
            pcap[..10].to_vec(),
            "byte 10: truncated file header: 10 bytes, the header needs 24".into(),
        ),
        (
            "short.pcapng",
            ng[..20].to_vec(),
            "byte 20: truncated file header: 20 bytes, the header needs 28".into(),
        ),
        (
            "cut.pcap",
            truncated_record,
            format!("byte {last_record}: truncated record: the file ends inside it"),
        ),
        // Its length says 4 GiB: the buffer grows to 4 MiB at most, and the file ends first.
        (
            "huge.pcap",
            huge,
            "byte 24: truncated record: the file ends inside it".into(),
        ),
        (
            "interface.pcapng",
            ng,
            "byte 48: packet block names interface 3, which the section does not describe".into(),
        ),
    ];
    for (name, bytes, message) in &cases {
        std::fs::write(dir.join(name), bytes).unwrap();
        let (status, stdout, stderr) = capture(&dir, &[name]);
        assert_eq!(status, Some(2), "{name}: {stderr}");
        assert_eq!(
            stderr,
            format!("amt-hello capture: {name}: {message}\n"),
            "{name}"
        );
        assert!(
            stdout
                .lines()
                .last()
                .unwrap()
                .starts_with("summary: 1 file (1 unreadable)"),
            "{name}: {stdout}"
        );
    }
    std::fs::create_dir_all(dir.join("folder")).unwrap();
    let (status, _, stderr) = capture(&dir, &["folder"]);
    assert_eq!(status, Some(2));
    assert_eq!(
        stderr,
        "amt-hello capture: folder: byte 0: is a directory, not a capture file\n"
    );
    let (status, _, stderr) = capture(&dir, &["missing.pcap"]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.starts_with("amt-hello capture: missing.pcap: byte 0: cannot open: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_records_before_a_bad_one_and_the_other_files_are_reported() {
    let dir = scratch("partial");
    // The files are one capture: a connection from another port in each.
    std::fs::write(dir.join("good.pcap"), good_pcap(40001)).unwrap();
    let pcap = good_pcap(40002);
    std::fs::write(dir.join("cut.pcap"), &pcap[..pcap.len() - 5]).unwrap();
    std::fs::write(dir.join("junk.pcap"), b"junk").unwrap();
    let (status, stdout, stderr) = capture(&dir, &["cut.pcap", "junk.pcap", "good.pcap"]);
    assert_eq!(status, Some(2));
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    // The cut file's Hello arrived before its FIN was cut off; the good file's in full.
    assert_eq!(stdout.matches("PSK Hello").count(), 2, "{stdout}");
    assert!(
        stdout.contains("summary: 3 files (2 unreadable)"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reports_and_errors_keep_their_order_in_one_pipe() {
    // stdout and stderr are one pipe (`2>&1`): each report is flushed before the next line, so
    // the error for the file between two good ones stands between their reports.
    use std::io::Read;
    let dir = scratch("merged");
    std::fs::write(dir.join("first.pcap"), good_pcap(40011)).unwrap();
    std::fs::write(dir.join("junk.pcap"), b"junk").unwrap();
    std::fs::write(dir.join("last.pcap"), good_pcap(40013)).unwrap();
    let (mut reader, writer) = std::io::pipe().unwrap();
    let mut command = amt_hello();
    command
        .current_dir(&dir)
        .args(["capture", "first.pcap", "junk.pcap", "last.pcap"])
        .stdout(writer.try_clone().unwrap())
        .stderr(writer);
    let mut child = command.spawn().unwrap();
    drop(command); // our copies of the pipe's write end
    let mut merged = String::new();
    reader.read_to_string(&mut merged).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(2));
    let at = |needle: &str| {
        merged
            .find(needle)
            .unwrap_or_else(|| panic!("{needle}: {merged}"))
    };
    let error = at("amt-hello capture: junk.pcap: byte 0");
    assert!(at(":40011") < error && error < at(":40013"), "{merged}");
    let _ = std::fs::remove_dir_all(&dir);
}
