//! The shared vectors and real captures as Rust statics for the checks, as the Cortex-M3
//! firmware gets them (one source: ../vectors.rs).
use std::path::PathBuf;

#[path = "../vectors.rs"]
mod vectors;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data");
    std::fs::write(out.join("vectors.rs"), vectors::rust(&data)).unwrap();
}
