/** Pure: an address map's lanes and hex axis as SVG markup, shared by layout.svg and drift.html. */
import type { AddressMap, Lane, Span, SpanKind } from './address-map.js';
import { xmlSafe } from './junit.js';

/** One colour and name per kind, shared by the lanes and the legend so the key matches the drawing. */
export const PALETTE: Record<SpanKind, { fill: string; text: string; name: string }> = {
  ram: { fill: '#eceff1', text: '#263238', name: "QEMU's RAM (-m)" },
  xen: { fill: '#9e9e9e', text: '#000000', name: 'Xen' },
  bootModule: { fill: '#8d6e63', text: '#ffffff', name: 'boot module (the image as loaded)' },
  dom0Bank: { fill: '#43a047', text: '#ffffff', name: 'Dom0 memory bank' },
  grantTable: { fill: '#fb8c00', text: '#000000', name: 'grant table' },
  extendedRegion: { fill: '#90caf9', text: '#000000', name: 'extended region' },
  kernel: { fill: '#3949ab', text: '#ffffff', name: 'kernel (Dom0 image, copied)' },
  dom0Dtb: { fill: '#8e24aa', text: '#ffffff', name: 'Dom0 DTB' },
};
/** How a moved span is outlined, so the legend and the tests agree with the drawing. */
export const MOVED_STROKE = '#d50000';

const AXIS_H = 86;
const HEADER_H = 18;
const TRACK_H = 18;
const TRACK_GAP = 3;
const LANE_GAP = 14;
const CHAR_W = 6.2;

/** A piece of SVG markup and its height, so a page can stack blocks (lanes, legend) without measuring text. */
export interface SvgBlock {
  markup: string;
  height: number;
}

/** A range's size as people read it ("256 MiB", "7.0 KiB"), exact when whole. */
export function sizeText(start: string, end: string): string {
  const bytes = BigInt(end) - BigInt(start);
  for (const [unit, shift] of [
    ['GiB', 30n],
    ['MiB', 20n],
    ['KiB', 10n],
  ] as const) {
    if (bytes >= 1n << shift && bytes % (1n << shift) === 0n) return `${bytes >> shift} ${unit}`;
  }
  return bytes >= 1024n ? `${(Number(bytes) / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}

/** A span as one line of text (tooltip, layout.svg's list): narrow spans' addresses stay readable there. */
export function spanText(span: Span): string {
  const moved = !span.moved ? '' : span.was ? `; moved from ${span.was.start}-${span.was.end}` : '; not in the reference';
  return `${span.label} ${span.start}-${span.end} (${sizeText(span.start, span.end)})${moved}`;
}

function spanMarkup(span: Span, lane: Lane, x0: number, plotW: number, y: number): string {
  const color = PALETTE[span.kind];
  const x = x0 + span.x * plotW;
  const w = Math.max(span.width * plotW, 1);
  const ry = y + span.track * (TRACK_H + TRACK_GAP);
  const stroke = span.moved ? `stroke="${MOVED_STROKE}" stroke-width="2.5"` : 'stroke="#37474f" stroke-width="0.5"';
  const data = `data-lane="${lane.index}" data-kind="${span.kind}" data-key="${span.key}" data-moved="${span.moved}" data-start="${xmlSafe(span.start)}" data-end="${xmlSafe(span.end)}"`;
  const rect = `<rect class="span" ${data} x="${x.toFixed(2)}" y="${ry}" width="${w.toFixed(2)}" height="${TRACK_H}" fill="${color.fill}" ${stroke}><title>${xmlSafe(spanText(span))}</title></rect>`;
  const fits = w >= span.short.length * CHAR_W + 6;
  const text = `<text x="${(x + 3).toFixed(2)}" y="${ry + 13}" fill="${color.text}" font-family="monospace" font-size="10" pointer-events="none">${xmlSafe(span.short)}</text>`;
  return fits ? rect + text : rect;
}

function laneHeader(lane: Lane): string {
  const parts = [lane.label];
  if (lane.reference) parts.push('(reference)');
  if (lane.failure) parts.push(`FAILED ${lane.failure}`);
  if (lane.gone.length > 0) parts.push(`gone vs reference: ${lane.gone.join(', ')}`);
  return parts.join('  ');
}

/** Lane height: header plus its tracks. */
const laneHeight = (lane: Lane): number => HEADER_H + lane.tracks * (TRACK_H + TRACK_GAP);

/** The hex axis and the lanes, `width` wide from `top`: one drawing for layout.svg and drift.html alike. */
export function renderLanes(map: AddressMap, width: number, top: number): SvgBlock {
  const x0 = 8;
  const plotW = width - 16;
  const lanesH = map.lanes.reduce((h, lane) => h + laneHeight(lane) + LANE_GAP, 0);
  const bottom = top + AXIS_H + lanesH;
  const ticks = map.ticks.map((t) => {
    const x = (x0 + t.x * plotW).toFixed(2);
    return `<g class="tick" data-address="${t.address}"><line x1="${x}" x2="${x}" y1="${top + AXIS_H - 4}" y2="${bottom}" stroke="#b0bec5" stroke-width="0.5"/><text transform="translate(${x} ${top + AXIS_H - 6}) rotate(-90)" font-family="monospace" font-size="10" fill="#37474f">${t.address}</text></g>`;
  });
  let y = top + AXIS_H;
  const lanes = map.lanes.map((lane) => {
    const failed = lane.failure !== null;
    const head = `<text x="${x0}" y="${y + 13}" font-family="sans-serif" font-size="12" fill="${failed ? MOVED_STROKE : '#000000'}">${xmlSafe(laneHeader(lane))}</text>`;
    const spans = lane.spans.map((span) => spanMarkup(span, lane, x0, plotW, y + HEADER_H));
    const failure = failed ? ` data-failure="${xmlSafe(lane.failure!)}"` : '';
    const attrs = `class="lane" data-lane="${lane.index}" data-failed="${failed}" data-reference="${lane.reference}"${failure}`;
    const markup = `<g ${attrs}>${head}${spans.join('')}</g>`;
    y += laneHeight(lane) + LANE_GAP;
    return markup;
  });
  return { markup: `<g class="axis">${ticks.join('')}</g>${lanes.join('\n')}`, height: bottom - top };
}
