// On Linux, link without the C runtime's start files: `_start` is ours. (build.rs, not
// .cargo/config.toml, because cargo looks the config up from the working directory.)
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-nostartfiles");
    }
}
