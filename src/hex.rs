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
#[allow(clippy::indexing_slicing)] // a u8 indexes the 256 pairs
pub(crate) const fn digits(byte: u8) -> [u8; 2] {
    // Natively the compiler turns the arithmetic into a few vector instructions a block;
    // WebAssembly has no vector unit by default, and one table load a byte is twice as fast.
    if cfg!(target_arch = "wasm32") {
        PAIRS[byte as usize]
    } else {
        [digit(byte >> 4), digit(byte)]
    }
}

/// The two digits of every byte, for WebAssembly.
// In a constant's initializer an index out of bounds fails the build; it cannot panic.
#[allow(clippy::indexing_slicing)]
const PAIRS: [[u8; 2]; 256] = {
    let mut pairs = [[0; 2]; 256];
    let mut byte: u8 = 0;
    loop {
        pairs[byte as usize] = [digit(byte >> 4), digit(byte)];
        if byte == u8::MAX {
            break pairs;
        }
        byte += 1;
    }
};

/// The value of one hex digit, either case.
pub(crate) const fn value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
        b'A'..=b'F' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
        _ => None,
    }
}

/// `bytes` as lowercase hex in the front of `out`; `None` if `out` is shorter than twice
/// `bytes`.
pub(crate) fn encode<'o>(bytes: &[u8], out: &'o mut [u8]) -> Option<&'o str> {
    let text = out.get_mut(..bytes.len().checked_mul(2)?)?;
    for (pair, &byte) in text.chunks_exact_mut(2).zip(bytes) {
        if let Ok(pair) = <&mut [u8; 2]>::try_from(pair) {
            *pair = digits(byte);
        }
    }
    core::str::from_utf8(text).ok()
}

/// Writes `bytes` as lowercase hex.
// A stack block at a time, so a long digest costs a handful of `write_str` calls, not one a digit.
pub(crate) fn write(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    const BLOCK: usize = 32;
    let mut text = [0u8; 2 * BLOCK];
    for block in bytes.chunks(BLOCK) {
        f.write_str(encode(block, &mut text).ok_or(fmt::Error)?)?;
    }
    Ok(())
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
        }
        assert_eq!(value(b'F'), Some(15));
        assert_eq!(value(b'g'), None);
    }

    #[test]
    fn the_webassembly_table_is_the_arithmetic() {
        for byte in 0..=u8::MAX {
            assert_eq!(PAIRS[usize::from(byte)], [digit(byte >> 4), digit(byte)]);
        }
    }

    #[test]
    fn encode_fills_exactly_twice_the_length() {
        // Every length around the four-byte blocks.
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
        }
        let mut out = [b'x'; 9];
        assert_eq!(
            encode(&[0x01, 0xab, 0xff, 0x00], &mut out),
            Some("01abff00")
        );
        assert_eq!(out[8], b'x', "nothing past the text");
        assert_eq!(encode(&[0; 5], &mut out), None);
        assert_eq!(encode(&[], &mut []), Some(""));
    }
}
