//! The fuzz targets' checks, each a function of the input bytes, so that the stable replay of
//! the committed corpus runs the same ones: the codec targets' in `tests/fuzz/oracles.rs` (the
//! root crate's replay, `tests/fuzz_corpus.rs`, includes it too), the capture target's in
//! `capture.rs` (replayed by `cli/tests/fuzz_corpus.rs`). The structure-aware generator of
//! encodable Hellos is the crate's own `Arbitrary` impl, which SCAs that embed the crate can use
//! in their fuzzers too.

#[path = "../../tests/fuzz/oracles.rs"]
mod oracles;

pub mod capture;

pub use oracles::{
    CAPACITY, arbitrary_hello, decode, encode, lenient, roundtrip, schedule, stream, text,
};
