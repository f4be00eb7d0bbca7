/*
 * xen-dom0-boot test image: the smallest arm64 Image Xen will boot as Dom0.
 *
 * Position independent (no absolute addresses), so it runs wherever Xen puts it.
 * It prints one line through Xen's console_io hypercall, then parks the CPU.
 * Built by src/image/test-image.ts with aarch64-linux-gnu-gcc; used by `learn`
 * until a real Dom0 image is given and by the integration tests.
 */
        .section .text
        .global _start
_start:
        b       entry                   /* code0 */
        .long   0                       /* code1 */
        .quad   0                       /* text_offset: Zephyr's is 0 too */
        .quad   _end - _start           /* image_size */
        .quad   0xa                     /* flags: little endian, 4K pages, anywhere */
        .quad   0, 0, 0                 /* res2..res4 */
        .ascii  "ARM\x64"               /* magic */
        .long   0                       /* res5 */

entry:
        mov     x0, #0                  /* CONSOLEIO_write */
        mov     x1, #(msg_end - msg)    /* length */
        adr     x2, msg                 /* buffer: PC-relative */
        mov     x16, #18                /* __HYPERVISOR_console_io */
        hvc     #0xea1                  /* Xen's hypercall tag on arm64 */
1:      wfi
        b       1b

msg:    .ascii  "xen-dom0-boot test image: running\n"
msg_end:
        .balign 8
_end:
