/** The starting layout when there is no lock file yet: the seed document's example values. */
import type { Layout } from '../xen/layout.js';

/** From the seed: BANK[0] 0x60000000-0x70000000, grant table 0x88080000, region 0x40000000-0x47e00000, PPI 16. */
export function placeholderLayout(): Layout {
  return {
    xenVersion: null,
    dom0Banks: [{ index: 0, start: 0x60000000n, end: 0x70000000n }],
    grantTable: { start: 0x88080000n, end: 0x880c0000n },
    extendedRegions: [{ index: 0, start: 0x40000000n, end: 0x47e00000n }],
    eventChannelPpi: 16,
    kernel: null,
    dom0Dtb: null,
  };
}
