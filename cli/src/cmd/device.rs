//! `amt-hello device`: a simulated Intel AMT device in Setup Mode that sends its Hello to an SCA
//! on the crate's retry schedule, one connection per attempt, each Hello carrying that attempt's
//! retry count; one line per attempt on stdout. With `--discover` it first finds its SCA in DNS
//! as the firmware does, one line per lookup, and sends nothing when no name resolves.

use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use amt_hello::{Cadence, Pid, RetrySchedule, Uuid};

use crate::device::{Device, Kind, clock};
use crate::{discover, out};

/// A simulated Intel AMT device in Setup Mode, sending its Hello on the retry schedule.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The SCA's address (as if set in MEBx).
    #[arg(long, default_value = "127.0.0.1:9971", conflicts_with = "discover")]
    pub connect: String,
    /// Find the SCA in DNS instead: ProvisionServer under --domain, then under each DHCP
    /// suffix, then the bare name; the first that resolves gets the Hellos.
    #[arg(long)]
    pub discover: bool,
    /// With --discover: the domain entered in MEBx [default: none]
    #[arg(long, value_name = "DOMAIN", requires = "discover")]
    pub domain: Option<String>,
    /// With --discover: a suffix DHCP gave the device (option 15, or DHCPv6 option 24's list;
    /// repeatable; '' for none) [default: the search domains of /etc/resolv.conf]
    #[arg(long, value_name = "SUFFIX", requires = "discover")]
    pub dhcp_suffix: Vec<String>,
    /// With --discover: the DNS server to ask, ADDRESS or ADDRESS:PORT [default: the system
    /// resolver]
    #[arg(long, value_name = "SERVER", requires = "discover", value_parser = dns_server)]
    pub dns: Option<SocketAddr>,
    /// With --discover: the SCA's port at the address found.
    #[arg(long, default_value_t = 9971, requires = "discover")]
    pub port: u16,
    /// Send PSK Hellos with this PID [default: ABCD-1234, unless --pki-hashes]
    #[arg(long, value_name = "PID", conflicts_with = "pki_hashes")]
    pub psk: Option<Pid>,
    /// Send PKI Hellos with this many SHA-256 hashes (0 to 255) [default: none: PSK]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8))]
    pub pki_hashes: Option<u8>,
    /// The device UUID.
    #[arg(long, default_value = "939b524b-13d4-1d18-e487-1c697a6b7a2b")]
    pub uuid: Uuid,
    /// Report a localized BIOS (admin-credentials word 0).
    #[arg(long)]
    pub localized_bios: bool,
    /// The network window: 24h, 6h, or a number of hours (0 to 255).
    #[arg(long, default_value = "24h", value_parser = window)]
    pub window: Duration,
    /// Simulated seconds per real second (a positive number).
    #[arg(long, default_value_t = 1.0, value_parser = time_scale)]
    pub time_scale: f64,
    /// Send each Hello in writes of this many bytes [default: none: one write]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub chunk_bytes: Option<u64>,
    /// Stop after this many attempts [default: none: the whole window]
    #[arg(long, value_name = "N")]
    pub max_attempts: Option<usize>,
}

fn window(text: &str) -> Result<Duration, String> {
    let hours: u8 = text
        .strip_suffix('h')
        .unwrap_or(text)
        .parse()
        .map_err(|_| format!("{text}: expected 24h, 6h or a number of hours (0 to 255)"))?;
    Ok(Duration::from_secs(u64::from(hours) * 3600))
}

/// `ADDRESS[:PORT]`, port 53 by default.
fn dns_server(text: &str) -> Result<SocketAddr, String> {
    let bad = |_| format!("{text}: expected an IP address, with :PORT if not 53");
    match text.parse::<SocketAddr>() {
        Ok(addr) => Ok(addr),
        Err(_) => text
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .map(|ip| SocketAddr::new(ip, 53))
            .map_err(bad),
    }
}

fn time_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(scale) if scale.is_finite() && scale > 0.0 => Ok(scale),
        _ => Err(format!("{text}: expected a positive number")),
    }
}

/// Runs the device's schedule; the exit status.
pub fn run(args: Args) -> ExitCode {
    match device(args) {
        Ok(device) => {
            send(&device);
            ExitCode::SUCCESS
        }
        Err(e) => {
            out::stderr(&format!("amt-hello device: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// The SCA's address: `--connect`, or the first ProvisionServer name that resolves.
fn sca(args: &Args) -> Result<SocketAddr, String> {
    if !args.discover {
        return args
            .connect
            .to_socket_addrs()
            .map_err(|e| format!("--connect {}: {e}", args.connect))?
            .next()
            .ok_or(format!("--connect {}: no address", args.connect));
    }
    // `--dhcp-suffix ''` says DHCP gave none (no fallback to the resolver's).
    let suffixes = match args.dhcp_suffix.is_empty() {
        true => discover::resolver_suffixes(),
        false => args
            .dhcp_suffix
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect(),
    };
    let via = args
        .dns
        .map_or("the system resolver".into(), |s| s.to_string());
    for name in discover::names(args.domain.as_deref(), &suffixes) {
        let answer = discover::lookup(&name, args.dns);
        match &answer.result {
            Ok(addresses) => {
                let list: Vec<String> = addresses.iter().map(ToString::to_string).collect();
                out::stdout(&format!("lookup {name} via {via}: {}", list.join(", ")));
                if let Some(&address) = addresses.first() {
                    return Ok(SocketAddr::new(address, args.port));
                }
            }
            Err(why) => out::stdout(&format!("lookup {name} via {via}: {why}")),
        }
    }
    Err("no ProvisionServer name resolved: a device sends no Hello until one does".into())
}

fn device(args: Args) -> Result<Device, String> {
    let connect = sca(&args)?;
    let kind = match (args.psk, args.pki_hashes) {
        (_, Some(n)) => Kind::Pki(usize::from(n)),
        (Some(pid), None) => Kind::Psk(pid),
        (None, None) => Kind::Psk("ABCD-1234".parse().map_err(|e| format!("{e}"))?),
    };
    Ok(Device {
        connect,
        kind,
        uuid: args.uuid,
        localized_bios: args.localized_bios,
        schedule: RetrySchedule::new(Cadence::DEFAULT, args.window)
            .map_err(|e| format!("--window: {e}"))?,
        time_scale: args.time_scale,
        chunk_bytes: args
            .chunk_bytes
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        max_attempts: args.max_attempts,
    })
}

fn send(device: &Device) {
    out::stdout(&format!(
        "device {} ({} Hello, {} bytes) -> {}: {} attempts over a {} h window",
        device.uuid,
        match device.kind {
            Kind::Psk(_) => "PSK",
            Kind::Pki(_) => "PKI",
        },
        device.hello(0).len(),
        device.connect,
        device.schedule.attempt_count(),
        device.schedule.window().as_secs() / 3600,
    ));
    device.run(|attempt, result| {
        let outcome = match result {
            Ok(()) => "sent".to_string(),
            Err(e) => format!("failed: {e}"),
        };
        out::stdout(&format!(
            "attempt {:>2} at {} (retry count {:>2}): {outcome}",
            attempt.number,
            clock(attempt.at),
            attempt.retry_count
        ));
    });
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{time_scale, window};

    #[test]
    fn windows_are_hours_up_to_255() {
        assert_eq!(window("24h"), Ok(Duration::from_secs(24 * 3600)));
        assert_eq!(window("6"), Ok(Duration::from_secs(6 * 3600)));
        assert!(window("256h").is_err());
        assert!(window("h").is_err());
        assert!(window("-1h").is_err());
    }

    #[test]
    fn time_scales_are_positive_finite_numbers() {
        assert_eq!(time_scale("3600"), Ok(3600.0));
        for bad in ["0", "-1", "inf", "NaN", "fast"] {
            assert!(time_scale(bad).is_err(), "{bad}");
        }
    }
}
