//! Lowercase hex without allocation: the text form of UUIDs and certificate digests.

use core::fmt;

/// The lowercase hex digit of the low four bits of `nibble`.
pub(crate) const fn digit(nibble: u8) -> u8 {
    let n = nibble & 0x0f;
    if n < 10 {
        b'0'.wrapping_add(n)
    } else {
        b'a'.wrapping_add(n.wrapping_sub(10))
    }
}

/// The two hex digits of `byte`, high nibble first.
pub(crate) const fn digits(byte: u8) -> [u8; 2] {
    [digit(byte >> 4), digit(byte)]
}

/// The value of one hex digit, either case.
pub(crate) const fn value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
        b'A'..=b'F' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
        _ => None,
    }
}

/// Writes `bytes` as lowercase hex.
// A stack block at a time, so a long digest costs a handful of `write_str` calls, not one a digit.
pub(crate) fn write(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    const BLOCK: usize = 32;
    let mut text = [0u8; 2 * BLOCK];
    for block in bytes.chunks(BLOCK) {
        for (pair, &byte) in text.chunks_exact_mut(2).zip(block) {
            pair.copy_from_slice(&digits(byte));
        }
        let used = text
            .get(..block.len().saturating_mul(2))
            .ok_or(fmt::Error)?;
        f.write_str(core::str::from_utf8(used).map_err(|_| fmt::Error)?)?;
    }
    Ok(())
}

#[cfg(test)]
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
        }
        assert_eq!(value(b'F'), Some(15));
        assert_eq!(value(b'g'), None);
    }
}
