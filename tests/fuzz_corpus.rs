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
