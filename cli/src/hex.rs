//! Hex input: the text of a Hello as a user pastes it.

/// Bytes from a hex string (whitespace ignored, either case). The error says what is wrong:
/// `odd number of hex digits (3)`, `not a hex byte: "0g"`, `non-ASCII input`.
pub fn to_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    digits
        .chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).map_err(|_| "non-ASCII input".to_string())?;
            // Two hex digits exactly: `from_str_radix` alone would also take "+f".
            let byte = pair.bytes().all(|c| c.is_ascii_hexdigit());
            let byte = byte.then(|| u8::from_str_radix(pair, 16).ok()).flatten();
            byte.ok_or_else(|| format!("not a hex byte: {pair:?}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::to_bytes;

    #[test]
    fn whitespace_and_case_are_ignored() {
        assert_eq!(to_bytes(" 0a\nFf "), Ok(vec![0x0a, 0xff]));
        assert_eq!(to_bytes(""), Ok(vec![]));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(to_bytes("010"), Err("odd number of hex digits (3)".into()));
        assert_eq!(to_bytes("+f"), Err("not a hex byte: \"+f\"".into()));
        assert_eq!(to_bytes("0\u{e9}0"), Err("non-ASCII input".into()));
    }
}
