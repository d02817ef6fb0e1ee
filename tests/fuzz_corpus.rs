//! The committed fuzz corpus, replayed on stable Rust by `cargo test`: every file under
//! `fuzz/corpus/<target>/` (minimised with `cargo fuzz cmin`) and `fuzz/regressions/<target>/`
//! (crashes a fuzzer found, kept by name) through the check its fuzz target makes, the same
//! functions (`tests/fuzz/oracles.rs`). So a regression a fuzzer once found comes back as a
//! failing test even when nothing fuzzes. The `capture` target's corpus needs the `amt-hello`
//! command: `cli/tests/fuzz_corpus.rs` replays it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[path = "fuzz/oracles.rs"]
mod oracles;

/// The fuzz crate: in the repository, not in the published package (whose tests skip this).
const FUZZ: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz");

/// Every crash a fuzzer found in the codec targets, by file (under
/// `fuzz/regressions/<target>/`), and what it caught.
const REGRESSIONS: &[(&str, &str, &str)] = &[(
    "stream",
    "pki-no-hashes-then-an-entrys-bytes",
    "found by the stream target's first run with the tokio codec (the corpus already held 3 \
     such inputs): a PKI Hello with no hashes, followed by bytes that read as an entry, gave a \
     view whose uniform_digest_len was that entry's length, so the same message framed with and \
     without what follows it gave unequal views; parse.rs now ignores what follows no entries",
)];

/// Each file in a target's corpus and regressions, in name order.
fn inputs(target: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        if let Ok(entries) = std::fs::read_dir(Path::new(FUZZ).join(dir).join(target)) {
            files.extend(entries.map(|e| e.unwrap().path()));
        }
    }
    files.sort();
    files
}

#[test]
fn fuzz_corpus_replays_through_each_targets_checks() {
    if !Path::new(FUZZ).join("Cargo.toml").exists() {
        eprintln!("SKIP: no fuzz/ here (a packaged crate), so no corpus");
        return;
    }
    for (target, name, caught) in REGRESSIONS {
        let file = Path::new(FUZZ).join("regressions").join(target).join(name);
        assert!(file.exists(), "the regression {name} ({caught}) is missing");
    }
    let mut failed = Vec::new();
    let mut total = 0;
    for (target, check) in oracles::TARGETS {
        let files = inputs(target);
        assert!(!files.is_empty(), "fuzz/corpus/{target} is empty");
        for file in &files {
            let data = std::fs::read(file).unwrap();
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                eprintln!("(the panic above: {})", file.display());
                failed.push(file.display().to_string());
            }
        }
        eprintln!("{target}: {} files", files.len());
        total += files.len();
    }
    eprintln!("replayed {total} files");
    assert!(failed.is_empty(), "the fuzz checks failed on {failed:#?}");
}
