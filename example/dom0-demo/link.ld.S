/* Links dom0-demo at CONFIG_SRAM_BASE_ADDRESS, fixed when the configuration was made, as Zephyr does. */
#include "autoconf.h"

ENTRY(_start)
SECTIONS
{
	. = CONFIG_SRAM_BASE_ADDRESS;
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
