//! Proves that decoding, encoding, framing, text formatting and error paths allocate nothing.
//!
//! A counting global allocator with a thread-local counter (libtest runs tests on parallel
//! threads, so a global counter would see other tests' allocations). Each check measures first
//! and asserts after, since a failing assert itself allocates.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;

use amt_hello::{Hello, HelloView, Policy, frame, frame_with};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many heap allocations `f` makes on this thread.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = std::hint::black_box(f());
    (ALLOCATIONS.with(Cell::get) - before, out)
}

const PSK: &str = "010002000000000000112233445566778899aabbccddeeff4142434431323334";

fn pki_capture() -> Vec<u8> {
    common::pki23()
}

#[test]
fn the_counter_sees_allocations() {
    let (n, v) = allocations(|| vec![1u8; 100]);
    assert!(
        n >= 1,
        "negative control: the counting allocator must notice a Vec"
    );
    drop(v);
}

#[test]
fn decode_encode_and_framing_allocate_nothing() {
    let psk = common::hex(PSK);
    let pki = pki_capture();
    let mut out = [0u8; <Hello>::MAX_LEN];
    let mut kept: Hello = Hello::EMPTY;
    for bytes in [&psk[..], &pki[..]] {
        let (n, _) = allocations(|| {
            kept.decode_in_place(bytes).unwrap();
            let nth = HelloView::parse(bytes).unwrap().cert_hash(5);
            let view = HelloView::parse(bytes).unwrap();
            let hashes = view
                .cert_hashes()
                .map(|h| h.digest().as_bytes().len())
                .sum::<usize>();
            let owned: Hello = Hello::decode(bytes).unwrap();
            let len = owned.encode_into(&mut out).unwrap();
            let framed = bytes.chunks(7).fold(0, |seen, chunk| {
                let seen = seen + chunk.len();
                let _ = frame(&bytes[..seen]).unwrap();
                seen
            });
            (hashes, len, framed, nth)
        });
        assert_eq!(n, 0, "codec allocated {n} times");
    }
}

#[test]
fn text_forms_allocate_nothing() {
    let pki = pki_capture();
    let psk = common::hex(PSK);
    let view = HelloView::parse(&pki).unwrap();
    let psk_view = HelloView::parse(&psk).unwrap();
    let mut text = heapless::String::<4096>::new();
    let (n, _) = allocations(|| {
        write!(text, "{} {}", view.uuid(), psk_view.pid().unwrap()).unwrap();
        for hash in view.cert_hashes() {
            write!(text, " {}:{}", hash.algorithm(), hash.digest()).unwrap();
        }
        write!(text, "{}", view.admin_credentials()).unwrap();
        let _ = "33221100-5544-7766-8899-aabbccddeeff"
            .parse::<amt_hello::Uuid>()
            .unwrap();
        let _ = "ABCD-1234".parse::<amt_hello::Pid>().unwrap();
    });
    assert_eq!(n, 0, "text forms allocated {n} times");
    assert!(text.len() > 23 * 64);
}

#[test]
fn error_paths_allocate_nothing() {
    let psk = common::hex(PSK);
    let mut bad = psk.clone();
    bad[26] = b'a';
    let mut text = heapless::String::<4096>::new();
    let mut small = Hello::<4>::EMPTY;
    let (n, _) = allocations(|| {
        for input in [&psk[..10], &psk[..31], &bad[..], &[0xff; 40][..]] {
            let e = HelloView::parse(input).unwrap_err();
            write!(text, "{e}; ").unwrap();
            let _ = Hello::<4>::decode_with(input, Policy::Lenient);
            let _ = small.decode_in_place_with(input, Policy::Lenient);
            let _ = frame_with(input, Policy::Strict);
        }
        let mut small = [0u8; 8];
        let e = Hello::<4>::decode(&psk)
            .unwrap()
            .encode_into(&mut small)
            .unwrap_err();
        write!(text, "{e}").unwrap();
    });
    assert_eq!(n, 0, "error paths allocated {n} times");
    assert!(text.contains("truncated") && text.contains("invalid PID"));
}

#[test]
fn retry_schedule_allocates_nothing() {
    use amt_hello::{Cadence, Phase, RetrySchedule};
    use std::time::Duration;
    let (n, total) = allocations(|| {
        let minute = Duration::from_secs(60);
        let cadence = Cadence::new(&[Phase::new(minute, 10 * minute)], 30 * minute).unwrap();
        let custom = RetrySchedule::new(cadence, Duration::from_secs(3 * 3600)).unwrap();
        let schedule = RetrySchedule::first_window();
        let sum: u32 = schedule
            .attempts()
            .chain(custom.attempts())
            .map(|a| a.retry_count)
            .sum();
        let lookups = (
            schedule.attempt_at(7 * minute),
            schedule.next_after(7 * minute),
            schedule.earliest_send_time(9),
            schedule.remaining(minute),
            schedule.attempt_count(),
        );
        let err = RetrySchedule::new(cadence, Duration::MAX).unwrap_err();
        write!(heapless::String::<128>::new(), "{err}").unwrap();
        (sum, lookups)
    });
    assert_eq!(n, 0, "the schedule allocated {n} times");
    assert!(total.0 > 0);
}

/// A stream over a slice that hands out at most `chunk` bytes a read (blocking embedded-io).
struct Trickle<'a> {
    bytes: &'a [u8],
    chunk: usize,
}

impl embedded_io::ErrorType for Trickle<'_> {
    type Error = core::convert::Infallible;
}

impl embedded_io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        let n = self.chunk.min(buf.len()).min(self.bytes.len());
        let (head, tail) = self.bytes.split_at(n);
        buf[..n].copy_from_slice(head);
        self.bytes = tail;
        Ok(n)
    }
}

#[test]
fn the_blocking_stream_reader_and_writer_allocate_nothing() {
    use amt_hello::stream::embedded;
    let pki = pki_capture();
    let psk = common::hex(PSK);
    let truncated = &pki[..300];
    let mut buf = [0u8; amt_hello::MAX_STRICT_LEN];
    let mut out = [0u8; 1024];
    let owned: Hello = Hello::decode(&pki).unwrap();
    let (n, _) = allocations(|| {
        for (bytes, chunk) in [
            (&pki[..], 1),
            (&pki[..], 100),
            (&psk[..], 3),
            (truncated, 64),
        ] {
            let mut stream = Trickle { bytes, chunk };
            let _ = embedded::read_hello(&mut stream, &mut buf, Policy::Strict)
                .map(|v| v.encoded_len());
        }
        let mut sink = &mut out[..];
        embedded::write_hello(&mut sink, &owned).unwrap();
    });
    assert_eq!(n, 0, "stream reading and writing allocated {n} times");
    assert_eq!(&out[..pki.len()], &pki[..]);
}

#[test]
fn fingerprinting_and_matching_allocate_nothing() {
    use amt_hello::trust::Fingerprints;
    let pki = pki_capture();
    let view = HelloView::parse(&pki).unwrap();
    let der = vec![0x30u8; 1500]; // any bytes hash; the size of a typical root certificate
    let (n, found) = allocations(|| {
        let root = Fingerprints::of_der(&der);
        let roots = [&root, &root];
        (
            view.trusted_root(&roots),
            view.cert_hashes()
                .filter(|e| e.is_fingerprint_of(&root))
                .count(),
        )
    });
    assert_eq!(n, 0, "fingerprinting allocated {n} times");
    assert_eq!(found, (None, 0));
}
