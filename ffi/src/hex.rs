//! Lowercase hex into a caller's buffer, for `amt_hello_digest_hex`.
//!
//! The Node module hex-encodes a whole message with one call, so in WebAssembly this loop is
//! most of `parseHello`'s own work. Where the build enables SIMD128 (`make -C ffi wasm` does;
//! Node has run it since 16.4) it takes 16 bytes a step: each nibble picks its digit with one
//! table swizzle, and two shuffles interleave the digits. The tail, and every other target,
//! use the crate's own hex.

use amt_hello::Digest;

/// Writes `bytes` as lowercase hex to `out`, which must be exactly twice as long; writes
/// nothing if it is not.
pub(crate) fn encode(bytes: &[u8], out: &mut [u8]) {
    if Some(out.len()) != bytes.len().checked_mul(2) {
        return;
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let (bytes, out) = simd128::encode_blocks(bytes, out);
    let _ = Digest::new(bytes).hex_into(out);
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::{
        u8x16, u8x16_shr, u8x16_shuffle, u8x16_splat, u8x16_swizzle, v128, v128_and, v128_load,
        v128_store,
    };

    /// Encodes the whole 16-byte blocks of `bytes` into `out` (twice as long) and returns the
    /// rest of each.
    pub(super) fn encode_blocks<'b, 'o>(
        bytes: &'b [u8],
        out: &'o mut [u8],
    ) -> (&'b [u8], &'o mut [u8]) {
        let digits = u8x16(
            b'0', b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8', b'9', b'a', b'b', b'c', b'd',
            b'e', b'f',
        );
        let source = bytes.chunks_exact(16);
        let rest = source.remainder();
        // `out` is twice as long as `bytes`, so its 32-byte remainder is the tail's text.
        let mut text = out.chunks_exact_mut(32);
        for (src, dst) in source.zip(&mut text) {
            // SAFETY: `src` is 16 readable bytes; `v128_load` has no alignment requirement.
            let v: v128 = unsafe { v128_load(src.as_ptr().cast()) };
            let high = u8x16_swizzle(digits, u8x16_shr(v, 4));
            let low = u8x16_swizzle(digits, v128_and(v, u8x16_splat(0x0f)));
            let first =
                u8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(high, low);
            let second =
                u8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(
                    high, low,
                );
            // SAFETY: `dst` is 32 writable bytes, ours alone: the stores write its bytes 0..16
            // and 16..32 (`add(16)` stays inside it); `v128_store` needs no alignment.
            unsafe {
                v128_store(dst.as_mut_ptr().cast(), first);
                v128_store(dst.as_mut_ptr().add(16).cast(), second);
            }
        }
        (rest, text.into_remainder())
    }
}
