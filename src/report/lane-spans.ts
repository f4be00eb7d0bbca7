/** Pure: what one lane of an address map holds, as labelled address ranges (inputs and Xen's layout). */
import type { LayoutJson, RangeJson } from '../xen/layout-json.js';

/** Where QEMU's virt machine starts its RAM: the RAM span's start (-m gives its size). */
export const RAM_BASE = 0x40000000n;

/** What a span is; the SVG's data-kind and colour follow it. */
export type SpanKind = 'ram' | 'xen' | 'bootModule' | 'dom0Bank' | 'grantTable' | 'extendedRegion' | 'kernel' | 'dom0Dtb';

/** Kinds Xen picks (the layout's fields): the only ones that can move between lanes. */
export const FROM_LAYOUT: ReadonlySet<SpanKind> = new Set(['dom0Bank', 'grantTable', 'extendedRegion', 'kernel', 'dom0Dtb']);

/** A boot module as the tool loads it: the image at loadAddr, moduleSize bytes (report.json's inputs). */
export interface ModuleInput {
  label: string;
  loadAddr: string;
  moduleSize: string;
}

/** One lane to draw: a run, or one combination of a drift matrix. */
export interface LaneInput {
  label: string;
  /** QEMU's -m ("6G", "2048M"; no suffix is MiB, as QEMU reads it). */
  memory: string;
  layout: LayoutJson | null;
  /** Set for a failed run or combination; it is not compared with the reference. */
  failure?: string;
  modules?: ModuleInput[];
  /** Xen's own image, only when known from outside its log (the log never says where Xen sits). */
  xen?: RangeJson;
  /** What to mark moves against: a layout, null for nothing, absent for the first lane that has a layout. */
  baseline?: LayoutJson | null;
}

/** A labelled range before it is placed: `key` names it across lanes ("dom0Bank[1]"), `short` fits in a narrow box. */
export interface SpanSource {
  key: string;
  kind: SpanKind;
  label: string;
  short: string;
  start: string;
  end: string;
}

/** Bytes of a QEMU -m value, for the RAM span; null when it is not one (then RAM is not drawn, and a note says so). */
export function memoryBytes(memory: string): bigint | null {
  const m = /^(\d+)([KMGT]?)$/i.exec(memory.trim());
  if (!m) return null;
  const shift = { K: 10n, M: 20n, G: 30n, T: 40n }[(m[2] || 'M').toUpperCase() as 'K' | 'M' | 'G' | 'T'];
  return BigInt(m[1]!) << shift;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;
const span = (key: string, kind: SpanKind, label: string, short: string, r: RangeJson): SpanSource => ({
  key,
  kind,
  label,
  short,
  start: hex(BigInt(r.start)),
  end: hex(BigInt(r.end)),
});

/** The spans Xen's layout gives, keyed by field and index (the keys moves are matched on). */
export function layoutSpans(layout: LayoutJson): SpanSource[] {
  const spans = layout.dom0Banks.map((r, i) => span(`dom0Bank[${i}]`, 'dom0Bank', `Dom0 bank ${i}`, `bank ${i}`, r));
  if (layout.grantTable) spans.push(span('grantTable', 'grantTable', 'grant table', 'gnttab', layout.grantTable));
  layout.extendedRegions.forEach((r, i) =>
    spans.push(span(`extendedRegion[${i}]`, 'extendedRegion', `extended region ${i}`, `ext ${i}`, r)),
  );
  if (layout.kernel) spans.push(span('kernel', 'kernel', 'kernel (copied from the module)', 'kernel', layout.kernel));
  if (layout.dom0Dtb) spans.push(span('dom0Dtb', 'dom0Dtb', 'Dom0 DTB', 'DTB', layout.dom0Dtb));
  return spans;
}

/** Everything a lane draws: QEMU's RAM, Xen when given, the boot modules, then Xen's layout (unsorted). */
export function laneSpans(lane: LaneInput): SpanSource[] {
  const spans: SpanSource[] = [];
  const bytes = memoryBytes(lane.memory);
  if (bytes) spans.push(span('ram', 'ram', `RAM (-m ${lane.memory})`, 'RAM', { start: hex(RAM_BASE), end: hex(RAM_BASE + bytes) }));
  if (lane.xen) spans.push(span('xen', 'xen', 'Xen', 'Xen', lane.xen));
  (lane.modules ?? []).forEach((m, i) => {
    const end = hex(BigInt(m.loadAddr) + BigInt(m.moduleSize));
    spans.push(span(`bootModule[${i}]`, 'bootModule', m.label, 'module', { start: m.loadAddr, end }));
  });
  return lane.layout ? [...spans, ...layoutSpans(lane.layout)] : spans;
}
