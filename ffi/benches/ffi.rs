//! The C ABI's cost over the Rust API it wraps: `amt_hello_parse` (called exactly as C calls
//! it, through the `extern "C"` symbol) against `HelloView::parse` in the same run, and the same
//! for a parse plus a walk over every hash.
//!
//! `cargo bench -p amt-hello-ffi`; `.ci/bench-table` prints the ratios (the `naive_` entry of
//! each group is here the Rust API, so "baseline/x" is Rust time over C-ABI time: 1.0x is free).

use std::hint::black_box;
use std::mem::MaybeUninit;

use amt_hello::HelloView;
use amt_hello_ffi::{
    AmtHelloCertHash, AmtHelloHashIter, AmtHelloStatus, AmtHelloView, amt_hello_hashes,
    amt_hello_hashes_next, amt_hello_parse,
};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "../tests/common/mod.rs"]
mod common;

/// PSK, the first real capture (23 SHA-256 hashes), and the 255 × SHA-384 vector.
fn messages() -> [(&'static str, Vec<u8>); 3] {
    let vectors = common::vectors();
    let vector = |name: &str| {
        let valid = vectors["valid"].as_array().unwrap();
        let v = valid.iter().find(|v| v["name"] == name).unwrap();
        common::hex(v["hex"].as_str().unwrap())
    };
    [
        ("psk", vector("psk_basic")),
        ("pki23_sha256", common::capture(1)),
        ("pki255_sha384", vector("pki_255_sha384")),
    ]
}

fn c_parse(bytes: &[u8]) -> AmtHelloView {
    let mut view = MaybeUninit::<AmtHelloView>::uninit();
    // SAFETY: the bytes and the view outlive the call; the error is not wanted.
    let status = unsafe {
        amt_hello_parse(
            bytes.as_ptr(),
            bytes.len(),
            false,
            view.as_mut_ptr(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(status, AmtHelloStatus::Ok);
    // SAFETY: written on success.
    unsafe { view.assume_init() }
}

fn c_walk(view: &AmtHelloView) -> usize {
    let mut iter = MaybeUninit::<AmtHelloHashIter>::uninit();
    let mut hash = AmtHelloCertHash {
        code: 0,
        len: 0,
        digest: std::ptr::null(),
    };
    let mut sum = 0usize;
    // SAFETY: the view's bytes are alive; the iterator is written before it is read.
    unsafe {
        amt_hello_hashes(view, iter.as_mut_ptr());
        while amt_hello_hashes_next(iter.as_mut_ptr(), &mut hash) {
            sum += usize::from(*hash.digest);
        }
    }
    sum
}

fn abi(c: &mut Criterion) {
    for (name, bytes) in messages() {
        let mut g = c.benchmark_group(format!("ffi/{name}"));
        g.bench_function("naive_rust_view_parse", |b| {
            b.iter(|| HelloView::parse(black_box(&bytes)))
        });
        g.bench_function("amt_hello_parse", |b| b.iter(|| c_parse(black_box(&bytes))));
        g.finish();
        let mut g = c.benchmark_group(format!("ffi_walk/{name}"));
        g.bench_function("naive_rust_parse_walk", |b| {
            b.iter(|| {
                let view = HelloView::parse(black_box(&bytes)).unwrap();
                view.cert_hashes()
                    .map(|h| usize::from(h.digest().as_bytes()[0]))
                    .sum::<usize>()
            })
        });
        g.bench_function("amt_hello_parse_walk", |b| {
            b.iter(|| c_walk(&c_parse(black_box(&bytes))))
        });
        g.finish();
    }
}

criterion_group!(benches, abi);
criterion_main!(benches);
