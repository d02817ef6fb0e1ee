//! The Cortex-M3 firmware for QEMU's lm3s6965evb: the shared checks (`checks.rs`) over
//! semihosting, plus the link check of `main.rs`. Exits 0 only if every check passed.
//!
//! The free stack the checks paint starts at cortex-m-rt's `__sheap`, the end of static data.

use core::fmt::Write as _;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hio};

use crate::checks::{Board, run};

unsafe extern "C" {
    static __sheap: u32;
}

struct Semihosting(Option<hio::HostStream>);

impl Board for Semihosting {
    fn say(&mut self, args: core::fmt::Arguments<'_>) {
        if let Some(out) = self.0.as_mut() {
            let _ = out.write_fmt(args);
        }
    }

    fn stack_floor(&self) -> usize {
        // Only the symbol's address is taken, never its value (which needs no `unsafe`): the
        // linker script of cortex-m-rt puts `__sheap` at the end of static data.
        core::ptr::addr_of!(__sheap) as usize
    }

    fn stack_pointer(&self) -> usize {
        cortex_m::register::msp::read() as usize
    }
}

#[entry]
fn main() -> ! {
    let mut board = Semihosting(hio::hstdout().ok());
    let failures = run(
        &mut board,
        &[("the link check (main.rs)", || crate::check().is_some())],
    );
    debug::exit(if failures == 0 {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {
        cortex_m::asm::bkpt();
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    if let Ok(mut out) = hio::hstdout() {
        let _ = writeln!(out, "panic: {info}");
    }
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::bkpt();
    }
}
