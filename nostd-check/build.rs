// Link without the C runtime's start files: `_start` is ours. (build.rs, not .cargo/config.toml,
// because cargo looks the config up from the working directory, not from this package.)
fn main() {
    println!("cargo:rustc-link-arg-bins=-nostartfiles");
}
