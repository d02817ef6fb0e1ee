//! Link settings per target, and (for the QEMU firmware) the shared vectors as Rust statics.
//!
//! On Linux: link without the C runtime's start files, since `_start` is ours. (build.rs, not
//! .cargo/config.toml, because cargo looks the config up from the working directory.)
use std::path::PathBuf;

#[path = "vectors.rs"]
mod vectors;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-nostartfiles");
    }
    if std::env::var_os("CARGO_FEATURE_QEMU").is_some() {
        // lm3s6965evb: 256 KiB flash, 64 KiB RAM; cortex-m-rt's link.x includes memory.x.
        std::fs::write(
            out.join("memory.x"),
            "MEMORY { FLASH : ORIGIN = 0x00000000, LENGTH = 256K\n RAM : ORIGIN = 0x20000000, LENGTH = 64K }\n",
        )
        .unwrap();
        println!("cargo:rustc-link-search={}", out.display());
        println!("cargo:rustc-link-arg-bins=-Tlink.x");
        std::fs::write(
            out.join("vectors.rs"),
            vectors::rust(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data")),
        )
        .unwrap();
    }
}
