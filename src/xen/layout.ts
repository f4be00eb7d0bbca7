/** The typed Dom0 layout learned from Xen's log, with exact (bigint) addresses. */

/** A physical address range, end exclusive, as Xen prints it. */
export interface Range {
  start: bigint;
  end: bigint;
}

export interface Bank extends Range {
  index: number;
}

export interface ExtendedRegion extends Range {
  index: number;
}

export interface Layout {
  xenVersion: string | null;
  dom0Banks: Bank[];
  grantTable: Range | null;
  extendedRegions: ExtendedRegion[];
  eventChannelPpi: number | null;
  kernel: Range | null;
  dom0Dtb: Range | null;
}

export function emptyLayout(): Layout {
  return {
    xenVersion: null,
    dom0Banks: [],
    grantTable: null,
    extendedRegions: [],
    eventChannelPpi: null,
    kernel: null,
    dom0Dtb: null,
  };
}

/** Names the required fields Xen has not printed yet. */
export function missingFields(layout: Layout): string[] {
  const missing: string[] = [];
  if (layout.dom0Banks.length === 0) missing.push('dom0Banks');
  if (!layout.grantTable) missing.push('grantTable');
  if (layout.extendedRegions.length === 0) missing.push('extendedRegions');
  if (layout.eventChannelPpi === null) missing.push('eventChannelPpi');
  return missing;
}

/** Lowercase hex without padding, the report's address format ("0x50000000"). */
export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}
