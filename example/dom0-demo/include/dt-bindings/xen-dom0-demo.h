/*
 * The devicetree macros a Zephyr xen_dom0 overlay uses, with Zephyr's values
 * (zephyr/dt-bindings/interrupt-controller/arm-gic.h and dt-util.h), so the
 * demo guest preprocesses the very same overlay text Zephyr would.
 */
#ifndef XEN_DOM0_DEMO_DT_BINDINGS_H
#define XEN_DOM0_DEMO_DT_BINDINGS_H

#define GIC_SPI 0x0
#define GIC_PPI 0x1
#define IRQ_TYPE_LEVEL 0x0
#define IRQ_TYPE_EDGE 0x1
#define IRQ_DEFAULT_PRIORITY 0xa0

#define DT_SIZE_K(x) ((x) * 1024)
#define DT_SIZE_M(x) (DT_SIZE_K(x) * 1024)

#endif
