//! The 32-bit x86 firmware: the shared checks (`../src/checks.rs`, the Cortex-M3 firmware's
//! too) on a 486 under QEMU, printed on COM1; QEMU's exit status says whether all passed.
//!
//! `boot.S` enters `firmware_main` with a 32 KiB stack (`__stack_bottom` up) and zeroed `.bss`.
//! Without the `checks` feature the program runs each codec entry point once and exits, so its
//! `.text` is the codec's.
#![no_std]

#[cfg(feature = "checks")]
#[path = "../../src/checks.rs"]
mod checks;

use core::arch::asm;

#[cfg(feature = "checks")]
/// COM1's data register; the line status register is 5 above it.
const COM1: u16 = 0x3f8;
/// QEMU's `isa-debug-exit` device (`-device isa-debug-exit,iobase=0xf4,iosize=4`): writing `v`
/// ends QEMU with status `2 v + 1`.
const DEBUG_EXIT: u16 = 0xf4;
/// Exit statuses 33 and 35: apart from QEMU's own 0 (a triple fault with -no-reboot) and 1.
const PASS: u32 = 0x10;
const FAIL: u32 = 0x11;

#[cfg(feature = "checks")]
fn outb(port: u16, value: u8) {
    // SAFETY: port I/O on COM1, which has no memory effects the compiler could miss.
    unsafe {
        asm!("out dx, al", in("dx") port, in("al") value, options(nomem, nostack, preserves_flags))
    }
}

#[cfg(feature = "checks")]
fn inb(port: u16) -> u8 {
    let value: u8;
    // SAFETY: reads COM1's line status register; no memory effects.
    unsafe {
        asm!("in al, dx", out("al") value, in("dx") port, options(nomem, nostack, preserves_flags))
    }
    value
}

fn exit(status: u32) -> ! {
    // SAFETY: the debug-exit device ends QEMU; on a machine without it the write does nothing
    // and the loop below halts.
    unsafe { asm!("out dx, eax", in("dx") DEBUG_EXIT, in("eax") status, options(nomem, nostack)) }
    loop {
        // SAFETY: `hlt` waits for an interrupt; interrupts are off, so it stops here.
        unsafe { asm!("hlt", options(nomem, nostack)) }
    }
}

#[cfg(feature = "checks")]
struct Serial;

#[cfg(feature = "checks")]
impl core::fmt::Write for Serial {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        for byte in s.bytes() {
            while inb(COM1 + 5) & 0x20 == 0 {}
            outb(COM1, byte);
        }
        Ok(())
    }
}

#[cfg(feature = "checks")]
impl checks::Board for Serial {
    fn say(&mut self, args: core::fmt::Arguments<'_>) {
        let _ = core::fmt::Write::write_fmt(self, args);
    }

    fn stack_floor(&self) -> usize {
        unsafe extern "C" {
            static __stack_bottom: u8;
        }
        // Only the symbol's address is taken (boot.S's stack), never its value.
        core::ptr::addr_of!(__stack_bottom) as usize
    }

    fn stack_pointer(&self) -> usize {
        let sp: usize;
        // SAFETY: copies the stack pointer into a register; nothing else.
        unsafe { asm!("mov {}, esp", out(reg) sp, options(nomem, nostack, preserves_flags)) }
        sp
    }
}

#[cfg(feature = "checks")]
#[unsafe(no_mangle)]
extern "C" fn firmware_main() -> ! {
    let failures = checks::run(&mut Serial, &[]);
    exit(if failures == 0 { PASS } else { FAIL })
}

/// Each entry point of the codec once, on inputs the optimiser cannot see.
#[cfg(not(feature = "checks"))]
#[unsafe(no_mangle)]
extern "C" fn firmware_main() -> ! {
    use amt_hello::{Frame, Hello, HelloView, Policy, frame, frame_with};
    use core::hint::black_box;
    const PSK: &[u8; 32] = b"\x01\x00\x02\x00\x00\x00\x00\x00\
        \x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\
        ABCD1234";
    let bytes: &[u8] = black_box(PSK);
    let mut out = [0u8; Hello::<33>::MAX_LEN];
    let mut kept = Hello::<33>::EMPTY;
    let ok = HelloView::parse(bytes).is_ok_and(|v| v.cert_hashes().count() == 0)
        && HelloView::parse_with(bytes, Policy::Lenient).is_ok()
        && Hello::<33>::decode(bytes).is_ok_and(|h| h.encode_into(&mut out) == Ok(bytes.len()))
        && black_box(&mut kept).decode_in_place(bytes).is_ok()
        && matches!(frame(bytes), Ok(Frame::Complete(_)))
        && frame_with(&bytes[..8], Policy::Strict).is_ok()
        && HelloView::parse(&bytes[..20]).is_err_and(|e| e.offset() <= 20);
    exit(if ok { PASS } else { FAIL })
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    #[cfg(feature = "checks")]
    {
        let _ = core::fmt::Write::write_fmt(&mut Serial, format_args!("panic: {_info}\n"));
    }
    exit(FAIL)
}
