/*
 * dom0-demo entry: an arm64 Image header (text_offset 0, as Zephyr's), then a check
 * that the guest runs where it was linked. That check and its failure message use
 * only PC-relative code, since nothing else is valid at the wrong address.
 */
#define HYPERVISOR_console_io 18
#define CONSOLEIO_write 0

.macro hv_print label, len
	mov	x0, #CONSOLEIO_write
	mov	x1, #\len
	adr	x2, \label
	mov	x16, #HYPERVISOR_console_io
	hvc	#0xea1
.endm

	.section .text.head, "ax"
	.global _start
_start:
	b	entry			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size, bss included */
	.quad	0xa			/* flags: little endian, 4K pages, anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

entry:
	/*
	 * Zephyr's timer start-up: the virtual timer's compare value parked at ~0, then the
	 * timer enabled before a real value is written. QEMU before 8.2 overflows adding Xen's
	 * CNTVOFF to it and may spin forever (REFERENCE §7); demo_main later uses the timer.
	 */
	mov	x9, #-1
	msr	cntv_cval_el0, x9
	mov	x9, #1
	msr	cntv_ctl_el0, x9
	isb
	mov	x19, x0			/* the devicetree Xen hands Dom0 */
	adr	x20, _start		/* where we run (PC-relative) */
	ldr	x21, =_start		/* where we were linked (literal, loaded PC-relative) */
	cmp	x20, x21
	b.ne	wrong_place

	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	mov	x0, x19
	mov	x1, x20
	bl	demo_main
halt:	wfi
	b	halt

wrong_place:
	hv_print msg_linked, (msg_linked_end - msg_linked)
	mov	x0, x21
	bl	print_hex
	hv_print msg_running, (msg_running_end - msg_running)
	mov	x0, x20
	bl	print_hex
	hv_print msg_stop, (msg_stop_end - msg_stop)
	b	halt

/* Prints x0 as 0x + 16 hex digits; no stack, buffer reached PC-relatively. */
print_hex:
	mov	x22, x30
	adr	x3, hexbuf + 2
	mov	x4, #60
3:	lsr	x5, x0, x4
	and	x5, x5, #0xf
	cmp	x5, #10
	add	x6, x5, #'0'
	add	x7, x5, #('a' - 10)
	csel	x5, x6, x7, lo
	strb	w5, [x3], #1
	subs	x4, x4, #4
	b.ge	3b
	hv_print hexbuf, 18
	mov	x30, x22
	ret

msg_linked:	.ascii "dom0-demo: FAIL: linked at "
msg_linked_end:
msg_running:	.ascii " but running at "
msg_running_end:
msg_stop:	.ascii "; the overlay does not match Xen's Dom0 memory. Stopping.\n"
msg_stop_end:
	.balign 8
hexbuf:	.ascii "0x0000000000000000"
	.balign 8
	.ltorg
