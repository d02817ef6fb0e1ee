//! Lowercase hex into a caller's buffer, for `amt_hello_digest_hex` and `amt_hello_texts`, and
//! a UUID's two text forms at once: the one seam of target-specific code in the crate.
//!
//! In the Node module this hex is most of `parseHello`'s own work. Where the build enables
//! SIMD128 (`make -C ffi wasm` does; Node has run it since 16.4) it takes 16 bytes a step: each
//! nibble picks its digit with one table swizzle, and two shuffles interleave the digits. The
//! tail, and every other target, use the crate's own `Digest::text_into` and `Uuid::text_into`.
//! Only the node tests run SIMD128 (see `ffi/mutants.toml`).

use amt_hello::{Digest, Uuid};

/// The length of [`uuid_texts`]' output: the GUID, then the UUID's bytes as hex.
pub(crate) const UUID_TEXTS_LEN: usize = Uuid::TEXT_LEN + 2 * Uuid::LEN;

/// Writes the two text forms a binding shows of a UUID's wire bytes (see [`UUID_TEXTS_LEN`]);
/// nothing unless `out` is that long. With SIMD128, from one hex step and three shuffles.
pub(crate) fn uuid_texts(uuid: &[u8; Uuid::LEN], out: &mut [u8]) {
    let Ok(out) = <&mut [u8; UUID_TEXTS_LEN]>::try_from(out) else {
        return;
    };
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    simd128::uuid_texts(uuid, out);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        let (guid, raw) = out.split_at_mut(Uuid::TEXT_LEN);
        let _ = Uuid::from_bytes(*uuid).text_into(guid);
        let _ = Digest::new(uuid).text_into(raw);
    }
}

/// Writes `bytes` as lowercase hex to `out`, which must be exactly twice as long; writes
/// nothing if it is not.
pub(crate) fn encode(bytes: &[u8], out: &mut [u8]) {
    if Some(out.len()) != bytes.len().checked_mul(2) {
        return;
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let (bytes, out) = simd128::encode_blocks(bytes, out);
    // Most digests are whole blocks: no tail, and no call to check its (empty) text.
    if !bytes.is_empty() {
        let _ = Digest::new(bytes).text_into(out);
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use core::arch::wasm32::{
        u8x16, u8x16_shr, u8x16_shuffle, u8x16_splat, u8x16_swizzle, u64x2, v128, v128_and,
        v128_store,
    };

    /// The 16 bytes as a vector (one load): wasm32 is little-endian, so lane order is byte order.
    #[inline(always)]
    fn vector(bytes: [u8; 16]) -> v128 {
        let bits = u128::from_le_bytes(bytes);
        u64x2(bits as u64, bits.wrapping_shr(64) as u64)
    }

    /// The hex digits of the 16 bytes in `v`: the first 8 bytes' in the first vector.
    #[inline(always)]
    fn digits(v: v128) -> (v128, v128) {
        let table = u8x16(
            b'0', b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8', b'9', b'a', b'b', b'c', b'd',
            b'e', b'f',
        );
        let high = u8x16_swizzle(table, u8x16_shr(v, 4));
        let low = u8x16_swizzle(table, v128_and(v, u8x16_splat(0x0f)));
        (
            u8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(high, low),
            u8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(
                high, low,
            ),
        )
    }

    /// `super::uuid_texts`: the GUID's first three groups are the wire's little-endian
    /// fields, so its digits are the bytes' digits in another order, with dashes between.
    pub(super) fn uuid_texts(uuid: &[u8; super::Uuid::LEN], out: &mut [u8; super::UUID_TEXTS_LEN]) {
        let (first, second) = digits(vector(*uuid));
        let dash = u8x16_splat(b'-');
        // GUID characters 0..16: bytes 3 2 1 0 - 5 4 - 7, all among `first`'s digits.
        let guid0 =
            u8x16_shuffle::<6, 7, 4, 5, 2, 3, 0, 1, 16, 10, 11, 8, 9, 16, 14, 15>(first, dash);
        // Characters 16..32: the rest of byte 7 (-) 6, bytes 8 9 - 10 11 12 13; lanes 2 and 7
        // of `mixed` are placeholders for the dashes.
        let mixed = u8x16_shuffle::<12, 13, 0, 16, 17, 18, 19, 0, 20, 21, 22, 23, 24, 25, 26, 27>(
            first, second,
        );
        let guid1 =
            u8x16_shuffle::<0, 1, 16, 3, 4, 5, 6, 16, 8, 9, 10, 11, 12, 13, 14, 15>(mixed, dash);
        // Characters 32..36 are bytes 14 and 15; the lanes after them are overwritten below.
        let guid2 =
            u8x16_shuffle::<12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0>(second, second);
        let at = out.as_mut_ptr();
        // SAFETY: `out` is 68 writable bytes, ours alone; the stores write its bytes 0..16,
        // 16..32, 32..48, 36..52 and 52..68, all inside it, in that order (so the fourth
        // replaces the third's placeholder lanes); `v128_store` needs no alignment.
        unsafe {
            v128_store(at.cast(), guid0);
            v128_store(at.add(16).cast(), guid1);
            v128_store(at.add(32).cast(), guid2);
            v128_store(at.add(super::Uuid::TEXT_LEN).cast(), first);
            v128_store(at.add(super::Uuid::TEXT_LEN + 16).cast(), second);
        }
    }

    /// Encodes the whole 16-byte blocks of `bytes` into `out` (twice as long) and returns the
    /// rest of each.
    pub(super) fn encode_blocks<'b, 'o>(
        mut bytes: &'b [u8],
        mut out: &'o mut [u8],
    ) -> (&'b [u8], &'o mut [u8]) {
        // `out` is twice as long as `bytes`, so where `bytes` has 16 more, `out` has 32 more.
        while let Some((src, rest)) = bytes.split_first_chunk::<16>() {
            let Some((dst, text)) = core::mem::take(&mut out).split_first_chunk_mut::<32>() else {
                break;
            };
            let (first, second) = digits(vector(*src));
            // SAFETY: `dst` is 32 writable bytes, ours alone: the stores write its bytes 0..16
            // and 16..32 (`add(16)` stays inside it); `v128_store` needs no alignment.
            unsafe {
                v128_store(dst.as_mut_ptr().cast(), first);
                v128_store(dst.as_mut_ptr().add(16).cast(), second);
            }
            (bytes, out) = (rest, text);
        }
        (bytes, out)
    }
}
