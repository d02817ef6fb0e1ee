/* Multiboot v1 entry of the i486 firmware. QEMU's -kernel loads this ELF at 1 MiB and jumps to
 * _start in 32-bit protected mode (flat segments, paging and interrupts off). _start zeroes
 * .bss, points the stack at its top and calls the Rust firmware, which never returns (it ends
 * QEMU through the isa-debug-exit device). Also the memory functions rustc's code calls, which
 * a Linux target leaves to the C library. Assembled with `as --32 -march=i486`. */
        .set MAGIC, 0x1badb002
        .set FLAGS, 0
        .section .multiboot, "a"
        .align 4
        .long MAGIC, FLAGS, -(MAGIC + FLAGS)

        .section .bss.stack, "aw", @nobits
        .align 16
        .globl __stack_bottom
__stack_bottom:
        .skip 32768
__stack_top:

        .section .text._start, "ax"
        .globl _start
_start:
        cli
        cld
        mov $__bss_start, %edi
        mov $__bss_end, %ecx
        sub %edi, %ecx
        xor %eax, %eax
        rep stosb
        mov $__stack_top, %esp
        call firmware_main
1:      hlt
        jmp 1b

/* void *memcpy(void *dst, const void *src, size_t n), and memmove (copying down when dst is
 * above src); cdecl: arguments on the stack, edi/esi callee-saved. */
        .section .text.memmove, "ax"
        .globl memmove
memmove:
        mov 4(%esp), %eax
        cmp 8(%esp), %eax
        jbe memcpy
        push %edi
        push %esi
        mov 12(%esp), %edi
        mov 16(%esp), %esi
        mov 20(%esp), %ecx
        lea -1(%edi, %ecx), %edi
        lea -1(%esi, %ecx), %esi
        std
        rep movsb
        cld
        pop %esi
        pop %edi
        ret

        .section .text.memcpy, "ax"
        .globl memcpy
memcpy:
        push %edi
        push %esi
        mov 12(%esp), %edi
        mov 16(%esp), %esi
        mov 20(%esp), %ecx
        mov %edi, %eax
        rep movsb
        pop %esi
        pop %edi
        ret

/* void *memset(void *dst, int c, size_t n) */
        .section .text.memset, "ax"
        .globl memset
memset:
        push %edi
        mov 8(%esp), %edi
        mov 12(%esp), %eax
        mov 16(%esp), %ecx
        mov %edi, %edx
        rep stosb
        mov %edx, %eax
        pop %edi
        ret

/* int memcmp(const void *a, const void *b, size_t n), and bcmp */
        .section .text.memcmp, "ax"
        .globl memcmp
        .globl bcmp
memcmp:
bcmp:
        push %edi
        push %esi
        mov 12(%esp), %esi
        mov 16(%esp), %edi
        mov 20(%esp), %ecx
        xor %eax, %eax
        repe cmpsb
        je 1f
        movzbl -1(%esi), %eax
        movzbl -1(%edi), %ecx
        sub %ecx, %eax
1:      pop %esi
        pop %edi
        ret

        .section .note.GNU-stack, "", @progbits
