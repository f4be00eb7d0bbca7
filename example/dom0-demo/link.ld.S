/* Links dom0-demo at the `ram` node's base, as Zephyr links itself at zephyr,sram. */
#include "dt_config.h"

ENTRY(_start)
SECTIONS
{
	. = DEMO_RAM_BASE;
	.text : { KEEP(*(.text.head)) *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	. = ALIGN(16);
	__bss_start = .;
	.bss : { *(.bss .bss.* COMMON) }
	. = ALIGN(16);
	__bss_end = .;
	. = . + 0x4000;
	__stack_top = .;
	__image_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
