/* The smallest Cortex-M3 start: a vector table, .data copied and .bss zeroed, main(), and a
 * semihosting exit whose status QEMU passes on. */
#include <stdint.h>

extern uint32_t _data_load, _data_start, _data_end, _bss_start, _bss_end, _stack_top;
int main(void);
void semihost_exit(int status);

void reset_handler(void) {
    uint32_t *src = &_data_load, *dst = &_data_start;
    while (dst < &_data_end) *dst++ = *src++;
    for (dst = &_bss_start; dst < &_bss_end;) *dst++ = 0;
    semihost_exit(main());
}

static void fault_handler(void) { semihost_exit(3); }

__attribute__((section(".vectors"), used)) static const void *const vectors[] = {
    &_stack_top, (const void *)reset_handler, (const void *)fault_handler, (const void *)fault_handler,
    (const void *)fault_handler, (const void *)fault_handler, (const void *)fault_handler,
};

/* ARM semihosting: operation in r0, argument in r1, `bkpt 0xab`. */
static int semihost(int op, const void *arg) {
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihost_write(const char *text) { semihost(0x04, text); /* SYS_WRITE0 */ }

void semihost_exit(int status) {
    /* SYS_EXIT with ADP_Stopped_ApplicationExit (QEMU exits 0) or RunTimeErrorUnknown (1). */
    semihost(0x18, (const void *)(uintptr_t)(status == 0 ? 0x20026 : 0x20023));
    for (;;) {}
}
