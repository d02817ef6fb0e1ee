//! Times as RFC 3339 text, the form of `--at` and of the checklist.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Seconds since the Unix epoch from RFC 3339 text (`2026-12-05T10:00:00Z`).
pub fn parse(text: &str) -> Result<i64, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map(OffsetDateTime::unix_timestamp)
        .map_err(|e| format!("not an RFC 3339 time ({e}): {text:?}"))
}

/// Now, in seconds since the Unix epoch.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// RFC 3339 text of seconds since the Unix epoch, in UTC.
pub fn rfc3339(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| format!("{secs} s after the epoch"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        assert_eq!(super::parse("2026-12-05T10:00:00+01:00"), Ok(1_796_461_200));
        assert_eq!(super::rfc3339(1_796_461_200), "2026-12-05T09:00:00Z");
        assert!(super::parse("yesterday").is_err());
    }
}
