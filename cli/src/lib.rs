//! The `amt-hello` command's code, as a library so that its tests drive the same modules the
//! binary runs: certificates ([`ca`]), hex input ([`hex`]), the report of a Hello in JSON and
//! text ([`report`]), line output that keeps order and survives a closed pipe ([`out`]), the SCA
//! server ([`sca`]), the simulated device ([`device`]), packet captures ([`capture`]) and the
//! subcommands ([`cmd`]).
//!
//! Everything here uses the `amt-hello` library only through its public API.

pub mod activation;
pub mod ca;
pub mod capture;
pub mod cmd;
pub mod device;
pub mod discover;
pub mod hex;
pub mod out;
pub mod report;
pub mod sca;

/// Raises this process's open-files limit to its hard limit, for servers and load clients that
/// hold thousands of sockets. Failing to raise it is not an error: the old limit stays.
pub fn raise_open_files_limit() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
}
