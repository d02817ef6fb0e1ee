//! Helpers shared by the fuzz targets. The structure-aware generator of encodable Hellos is the
//! crate's own `Arbitrary` impl, which SCAs that embed the crate can use in their fuzzers too.

use amt_hello::Hello;
use arbitrary::{Arbitrary, Result, Unstructured};

/// The capacity the fuzz targets use for owned values.
pub const CAPACITY: usize = 64;

/// Any Hello this crate can encode: the crate's own generator (feature `arbitrary`).
pub fn arbitrary_hello(u: &mut Unstructured<'_>) -> Result<Hello<CAPACITY>> {
    Hello::arbitrary(u)
}

/// Encodes a generated Hello, checking that `encoded_len` is what `encode_into` writes.
pub fn encode(hello: &Hello<CAPACITY>) -> Vec<u8> {
    let mut buf = vec![0u8; hello.encoded_len()];
    assert_eq!(hello.encode_into(&mut buf), Ok(buf.len()));
    buf
}
