/** The layout as report.json shows it: lowercase unpadded hex strings, ranges as {start, end}. */
import { hex, type Layout, type Range } from './layout.js';

export interface RangeJson {
  start: string;
  end: string;
}

export interface LayoutJson {
  xenVersion: string | null;
  dom0Banks: RangeJson[];
  grantTable: RangeJson | null;
  extendedRegions: RangeJson[];
  eventChannelPpi: number | null;
  kernel: RangeJson | null;
  dom0Dtb: RangeJson | null;
}

const range = (r: Range): RangeJson => ({ start: hex(r.start), end: hex(r.end) });
const maybe = (r: Range | null): RangeJson | null => (r ? range(r) : null);

export function layoutToJson(layout: Layout): LayoutJson {
  return {
    xenVersion: layout.xenVersion,
    dom0Banks: layout.dom0Banks.map(range),
    grantTable: maybe(layout.grantTable),
    extendedRegions: layout.extendedRegions.map(range),
    eventChannelPpi: layout.eventChannelPpi,
    kernel: maybe(layout.kernel),
    dom0Dtb: maybe(layout.dom0Dtb),
  };
}
