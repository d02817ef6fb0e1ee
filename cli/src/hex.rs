//! Hex input: the text of a Hello as a user pastes it, read by the library's decoder.

use amt_hello::ParseError;

/// Bytes from a hex string (whitespace ignored, either case). The error says what is wrong:
/// `odd number of hex digits (3)`, `not a hex byte: "0g"`, `non-ASCII input`.
pub fn to_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut bytes = vec![0; digits.len() / 2];
    match amt_hello::hex::decode(&digits, &mut bytes) {
        Ok(_) => Ok(bytes),
        Err(ParseError::Character { offset, .. }) => {
            // The pair of bytes holding the bad one, quoted when it is text (a pair that
            // splits a character is not).
            let start = offset & !1;
            match digits.get(start..start + 2) {
                Some(pair) => Err(format!("not a hex byte: {pair:?}")),
                None => Err("non-ASCII input".into()),
            }
        }
        Err(_) => Err(format!("odd number of hex digits ({})", digits.len())),
    }
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
        assert_eq!(to_bytes("\u{e9}"), Err("not a hex byte: \"\u{e9}\"".into()));
    }
}
