//! With the `defmt` feature, every public type implements `defmt::Format` (checked at compile
//! time: logging through defmt on a host would need a defmt transport to link).
#![cfg(feature = "defmt")]

use amt_hello::*;

fn assert_format<T: defmt::Format>() {}

#[test]
fn public_types_implement_format() {
    assert_format::<AdminCredentials>();
    assert_format::<InterfaceVersion>();
    assert_format::<Uuid>();
    assert_format::<Pid>();
    assert_format::<HashAlgorithm>();
    assert_format::<Digest<'static>>();
    assert_format::<CertHashView<'static>>();
    assert_format::<CertHash>();
    assert_format::<HelloView<'static>>();
    assert_format::<Hello>();
    assert_format::<Payload>();
    assert_format::<Frame<'static>>();
    assert_format::<Policy>();
    assert_format::<Needed>();
    assert_format::<DecodeError>();
    assert_format::<EncodeError>();
    assert_format::<ParseError>();
    assert_format::<RetrySchedule>();
    assert_format::<Cadence>();
    assert_format::<Phase>();
    assert_format::<Attempt>();
    assert_format::<ScheduleError>();
}
