/*
 * dom0-demo: the project's stand-in for a Zephyr Dom0. Built with the addresses from the
 * overlay (dt_config.h, generated at build time from the devicetree), it checks at run time
 * that the devicetree Xen hands it agrees: /hypervisor reg and interrupts, and memory.
 * It prints `dom0-demo: match` and a banner, or each difference and FAIL.
 */
#include <stdint.h>
#include "dt_config.h"

#define HYPERVISOR_console_io 18
#define CONSOLEIO_write 0
#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define MAX_RANGES 16

static void console_write(const char *s, unsigned long n)
{
	register unsigned long x0 __asm__("x0") = CONSOLEIO_write;
	register unsigned long x1 __asm__("x1") = n;
	register const char *x2 __asm__("x2") = s;
	register unsigned long x16 __asm__("x16") = HYPERVISOR_console_io;
	__asm__ volatile("hvc #0xea1" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x16) : : "x3", "x4", "x5", "memory");
}

static unsigned long str_len(const char *s)
{
	unsigned long n = 0;
	while (s[n])
		n++;
	return n;
}

static void puts_(const char *s) { console_write(s, str_len(s)); }

static void put_hex(uint64_t v)
{
	char buf[19] = "0x";
	int n = 2, shift = 60;
	while (shift > 0 && ((v >> shift) & 0xf) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		buf[n++] = "0123456789abcdef"[(v >> shift) & 0xf];
	console_write(buf, n);
}

static void put_dec(uint64_t v)
{
	char buf[21];
	int n = sizeof(buf);
	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	console_write(buf + n, sizeof(buf) - n);
}

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

struct ranges {
	unsigned count;
	uint64_t base[MAX_RANGES], size[MAX_RANGES];
};

struct found {
	struct ranges hypervisor, memory;
	int hypervisor_seen, ppi;
};

static uint64_t cells(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	while (n--) {
		v = (v << 32) | be32(p);
		p += 4;
	}
	return v;
}

static void read_reg(struct ranges *r, const uint8_t *data, uint32_t len, unsigned ac, unsigned sc)
{
	unsigned step = 4 * (ac + sc);
	for (uint32_t at = 0; step && at + step <= len && r->count < MAX_RANGES; at += step) {
		r->base[r->count] = cells(data + at, ac);
		r->size[r->count] = cells(data + at + 4 * ac, sc);
		r->count++;
	}
}

/* Walks the flattened tree; reads top-level hypervisor and memory nodes. */
static int parse_fdt(const uint8_t *fdt, struct found *out)
{
	if (be32(fdt) != FDT_MAGIC)
		return -1;
	const uint8_t *p = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	unsigned ac = 2, sc = 1, depth = 0;
	enum { OTHER, HYPERVISOR, MEMORY } node = OTHER;
	for (;;) {
		uint32_t token = be32(p);
		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			unsigned long n = str_len(name) + 1;
			p += (n + 3) & ~3ul;
			depth++;
			node = OTHER;
			if (depth == 2 && starts_with(name, "hypervisor")) {
				node = HYPERVISOR;
				out->hypervisor_seen = 1;
			} else if (depth == 2 && starts_with(name, "memory")) {
				node = MEMORY;
			}
		} else if (token == FDT_END_NODE) {
			depth--;
			node = OTHER;
		} else if (token == FDT_PROP) {
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *data = p + 8;
			const char *name = strings + nameoff;
			p += 8 + ((len + 3) & ~3u);
			if (depth == 1 && str_eq(name, "#address-cells"))
				ac = be32(data);
			else if (depth == 1 && str_eq(name, "#size-cells"))
				sc = be32(data);
			else if (node == HYPERVISOR && str_eq(name, "reg"))
				read_reg(&out->hypervisor, data, len, ac, sc);
			else if (node == HYPERVISOR && str_eq(name, "interrupts") && len >= 8)
				out->ppi = (int)be32(data + 4);
			else if (node == MEMORY && str_eq(name, "reg"))
				read_reg(&out->memory, data, len, ac, sc);
		} else if (token == FDT_NOP) {
			continue;
		} else {
			return token == FDT_END ? 0 : -1;
		}
	}
}

static const uint64_t built_hypervisor[] = {DEMO_HYPERVISOR_REG};
static const uint64_t built_memory[] = {DEMO_MEMORY_REG};
static struct found found;

static int compare(const char *what, const struct ranges *got, const uint64_t *want, unsigned want_count)
{
	int diffs = 0;
	if (got->count != want_count) {
		puts_("dom0-demo: DIFF ");
		puts_(what);
		puts_(": built with ");
		put_dec(want_count);
		puts_(" range(s), Xen gave ");
		put_dec(got->count);
		puts_("\n");
		diffs++;
	}
	for (unsigned i = 0; i < got->count && i < want_count; i++) {
		if (got->base[i] == want[2 * i] && got->size[i] == want[2 * i + 1])
			continue;
		puts_("dom0-demo: DIFF ");
		puts_(what);
		puts_("[");
		put_dec(i);
		puts_("]: built ");
		put_hex(want[2 * i]);
		puts_("+");
		put_hex(want[2 * i + 1]);
		puts_(", Xen ");
		put_hex(got->base[i]);
		puts_("+");
		put_hex(got->size[i]);
		puts_("\n");
		diffs++;
	}
	return diffs;
}

/* Waits 1 ms on the virtual timer (as Zephyr's first tick does); 0 when it fired in time. */
static int timer_check(void)
{
	uint64_t freq, now, ctl;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
	__asm__ volatile("msr cntv_cval_el0, %0; isb" : : "r"(now + freq / 1000));
	for (unsigned long spins = 0; spins < 100000000UL; spins++) {
		__asm__ volatile("isb; mrs %0, cntv_ctl_el0" : "=r"(ctl));
		if (ctl & 4) {
			__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(0UL));
			return 0;
		}
	}
	return -1;
}

void demo_main(const uint8_t *fdt, uint64_t running_at)
{
	puts_("dom0-demo: running at ");
	put_hex(running_at);
	puts_(" as linked; devicetree at ");
	put_hex((uint64_t)(uintptr_t)fdt);
	puts_("\n");
	if (parse_fdt(fdt, &found) != 0) {
		puts_("dom0-demo: FAIL: no valid devicetree in x0\n");
		return;
	}
	int diffs = 0;
	if (!found.hypervisor_seen) {
		puts_("dom0-demo: DIFF no /hypervisor node from Xen\n");
		diffs++;
	}
	diffs += compare("hypervisor reg", &found.hypervisor, built_hypervisor, sizeof(built_hypervisor) / 16);
	diffs += compare("memory", &found.memory, built_memory, sizeof(built_memory) / 16);
	if (found.hypervisor_seen && found.ppi != DEMO_EVTCHN_PPI) {
		puts_("dom0-demo: DIFF event channel: built GIC_PPI ");
		put_dec(DEMO_EVTCHN_PPI);
		puts_(", Xen GIC_PPI ");
		put_dec((uint64_t)found.ppi);
		puts_("\n");
		diffs++;
	}
	if (diffs) {
		puts_("dom0-demo: FAIL: ");
		put_dec((uint64_t)diffs);
		puts_(" difference(s) between the build and Xen's devicetree. Stopping.\n");
		return;
	}
	if (timer_check() != 0) {
		puts_("dom0-demo: FAIL: the virtual timer did not fire within its deadline. Stopping.\n");
		return;
	}
	puts_("dom0-demo: match\n");
	puts_("*** Booting dom0-demo " DEMO_VERSION " ***\n");
}
