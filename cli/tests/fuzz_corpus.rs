//! The `capture` fuzz target's committed corpus, replayed on stable Rust by `cargo test`: every
//! file under `fuzz/corpus/capture/` (minimised with `cargo fuzz cmin`) and
//! `fuzz/regressions/capture/` through the target's own check (`fuzz/src/capture.rs`, included
//! here by path). The codec targets' corpora are the root crate's `tests/fuzz_corpus.rs`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/capture.rs"]
mod capture;

const FUZZ: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz");

/// Every crash a fuzzer found in the capture pipeline, by file (under
/// `fuzz/regressions/capture/`), and what it caught.
const REGRESSIONS: &[(&str, &str)] = &[
    (
        "past-year-9999.pcapng",
        "b2414a9: a packet time past year 9999 (here 253,402,400,000 s after 1970, in a pcapng's \
         64-bit timestamps) made humantime's RFC 3339 writer panic; such times are now written \
         as 'N s after 1970'",
    ),
    (
        "dhcp-hlen-over-16.pcap",
        "found by the corpus's first capture run (40 s): a DHCPv4 reply with an hlen of 20 \
         panicked in dhcproto's Message::chaddr, which slices its 16-byte chaddr by hlen; \
         dhcp.rs now asks for chaddr only when hlen is 6 (Ethernet)",
    ),
    (
        "dhcp-rapid-commit-with-data.pcap",
        "found by replaying the corpus in a debug build (4 of 816 files): a DHCPv4 reply whose \
         option 80, Rapid Commit, has data tripped dhcproto 0.15's debug_assert!(len == 0) (a \
         release build read on); dhcp.rs now leaves a reply unread whose option 80 or 94 has \
         another length than its RFC's",
    ),
    (
        "dhcp-client-interface-not-3-bytes.pcap",
        "likewise (1 of 816): option 94, Client Network Interface, with a length other than 3 \
         tripped debug_assert!(len == 3)",
    ),
];

/// Crashes found and not fixed yet, by file (under `fuzz/crashes/capture/`), whether only a
/// build with debug assertions panics (the fuzzer builds without them, the tests with), and
/// what they show. Each must still fail the check: when one passes, its fix is in, and it moves
/// to `fuzz/regressions/capture/` and `REGRESSIONS`. None is open now.
const OPEN: &[(&str, bool, &str)] = &[];

fn files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(FUZZ).join(dir).join("capture"))
        .unwrap_or_else(|e| panic!("fuzz/{dir}/capture: {e}"))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn capture_fuzz_corpus_replays_through_the_targets_check() {
    let corpus = files("corpus");
    let regressions = files("regressions");
    assert!(!corpus.is_empty(), "fuzz/corpus/capture is empty");
    for (name, caught) in REGRESSIONS {
        assert!(
            regressions.iter().any(|f| f.ends_with(name)),
            "the regression {name} ({caught}) is missing"
        );
    }
    assert_eq!(
        regressions.len(),
        REGRESSIONS.len(),
        "each regression file is named above"
    );
    let mut failed = Vec::new();
    for file in corpus.iter().chain(&regressions) {
        let data = std::fs::read(file).unwrap();
        if catch_unwind(AssertUnwindSafe(|| capture::capture(&data))).is_err() {
            eprintln!("(the panic above: {})", file.display());
            failed.push(file.display().to_string());
        }
    }
    for (name, debug_only, shows) in OPEN {
        let data = std::fs::read(Path::new(FUZZ).join("crashes/capture").join(name)).unwrap();
        let panics = catch_unwind(AssertUnwindSafe(|| capture::capture(&data))).is_err();
        assert!(
            panics || (*debug_only && !cfg!(debug_assertions)),
            "the open crash {name} ({shows}) passes now: move it to fuzz/regressions/capture"
        );
    }
    eprintln!(
        "capture: replayed {} corpus files, {} regressions and {} open crashes",
        corpus.len(),
        regressions.len(),
        OPEN.len()
    );
    assert!(failed.is_empty(), "the capture check failed on {failed:#?}");
}
