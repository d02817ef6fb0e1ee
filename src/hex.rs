//! Lowercase hex without allocation: the text form of UUIDs and digests, and its one decoder.
//!
//! Encoding is [`Digest::text_into`](crate::Digest::text_into) (or `Display`); this module
//! adds the way back, for tools and bindings that take hex input.

use crate::text_error::ParseError;

/// The lowercase digit of a nibble's low four bits.
const fn digit(nibble: u8) -> u8 {
    let n = nibble & 0x0f;
    if n < 10 {
        b'0'.wrapping_add(n)
    } else {
        b'a'.wrapping_add(n.wrapping_sub(10))
    }
}

/// A byte's two lowercase digits.
pub(crate) const fn digits(byte: u8) -> [u8; 2] {
    [digit(byte >> 4), digit(byte)]
}

/// The value of a hex digit, either case.
pub(crate) fn value(c: u8) -> Option<u8> {
    u8::try_from(char::from(c).to_digit(16)?).ok()
}

/// Writes `bytes` as lowercase hex to the front of `out`; `None` if `out` is too short.
pub(crate) fn encode<'o>(bytes: &[u8], out: &'o mut [u8]) -> Option<&'o str> {
    let text = out.get_mut(..bytes.len().checked_mul(2)?)?;
    for (pair, &byte) in text.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&digits(byte));
    }
    core::str::from_utf8(text).ok()
}

/// Decodes hex text (either case, no separators) into the front of `out` and returns the bytes
/// written. An odd number of digits, or more than `out` holds, is [`ParseError::HexLength`];
/// anything but a hex digit is [`ParseError::Character`] at its offset. On an error `out` may
/// hold a prefix of the bytes.
///
/// ```
/// let mut buf = [0u8; 64];
/// assert_eq!(amt_hello::hex::decode("00ffAB", &mut buf), Ok(&[0x00, 0xff, 0xab][..]));
/// assert_eq!(
///     amt_hello::hex::decode("0g", &mut buf).unwrap_err().to_string(),
///     "unexpected character 'g' at offset 1"
/// );
/// assert_eq!(
///     amt_hello::hex::decode("abc", &mut buf).unwrap_err().to_string(),
///     "3 hex digits: expected an even number, at most 128"
/// );
/// ```
pub fn decode<'o>(text: &str, out: &'o mut [u8]) -> Result<&'o [u8], ParseError> {
    let text = text.as_bytes();
    let wrong_length = ParseError::HexLength {
        digits: text.len(),
        capacity: out.len(),
    };
    if !text.len().is_multiple_of(2) {
        return Err(wrong_length);
    }
    let pairs = text.chunks_exact(2);
    let bytes = out.get_mut(..pairs.len()).ok_or(wrong_length)?;
    let nibble = |offset, found| value(found).ok_or(ParseError::Character { offset, found });
    for ((i, pair), byte) in pairs.enumerate().zip(bytes.iter_mut()) {
        let &[hi, lo] = pair else { continue };
        let at = i.saturating_mul(2);
        *byte = nibble(at, hi)? << 4 | nibble(at.saturating_add(1), lo)?;
    }
    Ok(bytes)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn digits_and_values_are_inverse() {
        for byte in 0..=u8::MAX {
            let [hi, lo] = digits(byte);
            assert_eq!(
                value(hi).zip(value(lo)).map(|(h, l)| h << 4 | l),
                Some(byte)
            );
            assert!(!hi.is_ascii_uppercase() && !lo.is_ascii_uppercase());
            let (mut one, text) = ([0u8; 1], [hi, lo]);
            let text = core::str::from_utf8(&text).unwrap_or_default();
            assert_eq!(decode(text, &mut one), Ok(&[byte][..]));
        }
        assert_eq!(value(b'F'), Some(15));
        assert_eq!(value(b'g'), None);
    }

    #[test]
    fn encode_fills_exactly_twice_the_length() {
        let bytes: [u8; 11] = [
            0x00, 0x09, 0x0a, 0x0f, 0x10, 0x90, 0xa0, 0xff, 0x5a, 0xa5, 0x7e,
        ];
        let want = "00090a0f1090a0ff5aa57e";
        for n in 0..=bytes.len() {
            let mut out = [b'x'; 23];
            assert_eq!(encode(&bytes[..n], &mut out), Some(&want[..2 * n]));
            assert!(
                out[2 * n..].iter().all(|&b| b == b'x'),
                "nothing past the text"
            );
            let mut back = [0u8; 11];
            assert_eq!(decode(&want[..2 * n], &mut back), Ok(&bytes[..n]));
        }
        let mut out = [b'x'; 9];
        assert_eq!(encode(&[0; 5], &mut out), None);
        assert_eq!(encode(&[], &mut []), Some(""));
    }

    #[test]
    fn decode_names_the_first_bad_digit_and_bad_lengths() {
        let mut out = [0u8; 4];
        let bad = |offset, found| Err(ParseError::Character { offset, found });
        assert_eq!(decode("0x12", &mut out), bad(1, b'x'));
        assert_eq!(decode("x012", &mut out), bad(0, b'x'));
        assert_eq!(decode("01+f", &mut out), bad(2, b'+'));
        let length = |digits, capacity| Err(ParseError::HexLength { digits, capacity });
        assert_eq!(decode("012", &mut out), length(3, 4));
        assert_eq!(decode("0011223344", &mut out), length(10, 4));
        assert_eq!(decode("00112233", &mut out), Ok(&[0, 0x11, 0x22, 0x33][..]));
        assert_eq!(decode("", &mut out), Ok(&[][..]));
    }
}
