/** Pure: lanes of learned layouts to the labelled spans an address-map picture draws, on one shared scale. */
import type { RangeJson } from '../xen/layout-json.js';
import { axisTicks, makeScale, type ScaleKind, type Tick } from './address-scale.js';
import { FROM_LAYOUT, laneSpans, layoutSpans, memoryBytes, type LaneInput, type SpanKind, type SpanSource } from './lane-spans.js';

/** The lane inputs are defined with the spans they become; re-exported for the renderers' callers. */
export type { LaneInput, ModuleInput, SpanKind } from './lane-spans.js';

/** One drawn span: `x` and `width` are fractions of the axis; `was` is the reference range of a moved span (null: new). */
export interface Span extends SpanSource {
  x: number;
  width: number;
  track: number;
  moved: boolean;
  was?: RangeJson | null;
}

/** One lane's drawing: spans in address order on `tracks` stacked rows (overlapping spans go on separate rows). */
export interface Lane {
  index: number;
  label: string;
  failure: string | null;
  reference: boolean;
  spans: Span[];
  tracks: number;
  /** Keys the reference has and this lane's layout does not (e.g. a second bank that went away). */
  gone: string[];
}

/** Everything the SVG and HTML renderers draw, with the notes on what the picture cannot show. */
export interface AddressMap {
  scale: ScaleKind;
  lanes: Lane[];
  ticks: Tick[];
  notes: string[];
}

const TRACK: Record<SpanKind, number> = {
  ram: 0,
  xen: 1,
  dom0Bank: 1,
  grantTable: 1,
  extendedRegion: 1,
  kernel: 2,
  dom0Dtb: 2,
  bootModule: 2,
};
const overlaps = (a: SpanSource, b: SpanSource): boolean => BigInt(a.start) < BigInt(b.end) && BigInt(b.start) < BigInt(a.end);
const compare = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
/** Start ascending; at one start the longer span first (it contains the other); ties keep their order. */
const byAddress = (a: SpanSource, b: SpanSource): number =>
  compare(BigInt(a.start), BigInt(b.start)) || compare(BigInt(b.end), BigInt(a.end));

/** Each span on the first track at or below its kind's row that it does not overlap anything on. */
function assignTracks(spans: SpanSource[]): number[] {
  const placed: SpanSource[][] = [];
  return spans.map((span) => {
    let t = TRACK[span.kind];
    while (placed[t]?.some((other) => overlaps(other, span))) t += 1;
    (placed[t] ??= []).push(span);
    return t;
  });
}

/** What lane `index` is compared with: its baseline when given, else the reference lane's layout; null: nothing. */
function referenceOf(inputs: LaneInput[], index: number, refIndex: number): LaneInput['layout'] {
  const input = inputs[index]!;
  if (input.failure) return null;
  if (input.baseline !== undefined) return input.baseline;
  return index === refIndex ? null : (inputs[refIndex]?.layout ?? null);
}

/**
 * The picture's content: spans per lane in address order, on one scale for all lanes; a span of Xen's layout is
 * `moved` when its lane's reference (a baseline, else the first lane with a layout) has it elsewhere or not at all.
 * Failed lanes and the reference lane are not compared; inputs (RAM, modules) are never marked, only labelled.
 */
export function buildAddressMap(inputs: LaneInput[], options: { scale?: ScaleKind; minTickGap?: number } = {}): AddressMap {
  const raws = inputs.map((lane) => laneSpans(lane).sort(byAddress));
  const edges = raws.flat().flatMap((s) => [BigInt(s.start), BigInt(s.end)]);
  const scale = makeScale(edges, options.scale ?? 'log');
  const refIndex = inputs.findIndex((lane) => lane.layout && !lane.failure);
  const lanes = inputs.map((input, index): Lane => {
    const ref = referenceOf(inputs, index, refIndex);
    const refSpans = new Map(ref ? layoutSpans(ref).map((s) => [s.key, s]) : []);
    const spans = raws[index]!;
    const tracks = assignTracks(spans);
    const drawn = spans.map((s, i): Span => {
      const was = refSpans.get(s.key);
      const moved = ref !== null && FROM_LAYOUT.has(s.kind) && (!was || was.start !== s.start || was.end !== s.end);
      const x = scale.x(BigInt(s.start));
      const span: Span = { ...s, x, width: scale.x(BigInt(s.end)) - x, track: tracks[i]!, moved };
      if (moved) span.was = was ? { start: was.start, end: was.end } : null;
      return span;
    });
    const keys = new Set(spans.map((s) => s.key));
    const gone = input.layout && ref ? [...refSpans.keys()].filter((k) => !keys.has(k)) : [];
    const reference = input.baseline === undefined && index === refIndex;
    return {
      index,
      label: input.label,
      failure: input.failure ?? null,
      reference,
      spans: drawn,
      tracks: Math.max(1, ...tracks.map((t) => t + 1)),
      gone,
    };
  });
  const notes = mapNotes(inputs, options.scale ?? 'log');
  return { scale: scale.kind, lanes, ticks: axisTicks(scale, edges, options.minTickGap ?? 0.012), notes };
}

/** What the picture cannot show, and how to read its scale. */
function mapNotes(inputs: LaneInput[], scale: ScaleKind): string[] {
  const notes = [
    scale === 'log'
      ? 'Scale: logarithmic between span edges (same for every lane, addresses left to right), so widths are not proportional to sizes: read the hex addresses.'
      : 'Scale: linear (widths proportional to sizes; spans of a few KiB are drawn at least 1 px wide).',
    'Extended regions are guest address space Xen leaves for Dom0 to map foreign pages into; they may cover host memory that Dom0 does not own, such as a boot module.',
  ];
  if (inputs.some((lane) => !lane.xen)) {
    notes.push(
      'Xen itself is not drawn: its log does not say where it sits. It starts where the grant table starts (Xen places the grant table at its own load address, __pa(_stext)), but its size is not printed.',
    );
  }
  if (inputs.some((lane) => memoryBytes(lane.memory) === null)) notes.push('RAM is not drawn for a lane whose -m value is not a size.');
  return notes;
}
