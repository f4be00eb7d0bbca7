/** Pure: the legend under an address map (a colour key for what is drawn, the moved outline, the notes) as SVG. */
import type { AddressMap, SpanKind } from './address-map.js';
import { wrapWords } from './drift-table.js';
import { xmlSafe } from './junit.js';
import { MOVED_STROKE, PALETTE, type SvgBlock } from './map-svg.js';

const ROW_H = 20;
const NOTE_H = 15;
const CHAR_W = 6.6;

/** Kinds drawn in any lane, in the palette's order (the key shows only what the picture holds). */
export function kindsDrawn(map: AddressMap): SpanKind[] {
  const present = new Set(map.lanes.flatMap((lane) => lane.spans.map((s) => s.kind)));
  return (Object.keys(PALETTE) as SpanKind[]).filter((kind) => present.has(kind));
}

/** The colour key, wrapped to `width`, then the map's notes; starts at `top`. */
export function renderLegend(map: AddressMap, width: number, top: number): SvgBlock {
  const items = kindsDrawn(map).map((kind) => ({ kind, name: PALETTE[kind].name, fill: PALETTE[kind].fill, stroke: '#37474f' }));
  if (map.lanes.some((lane) => lane.gone.length > 0 || lane.spans.some((s) => s.moved))) {
    items.push({ kind: 'moved' as SpanKind, name: 'moved: differs from the reference', fill: '#ffffff', stroke: MOVED_STROKE });
  }
  const parts: string[] = [];
  let x = 8;
  let y = top;
  for (const item of items) {
    const w = 22 + item.name.length * CHAR_W + 14;
    if (x + w > width && x > 8) {
      x = 8;
      y += ROW_H;
    }
    const strokeWidth = item.stroke === MOVED_STROKE ? 2.5 : 0.5;
    parts.push(
      `<g class="legend-item" data-kind="${item.kind}"><rect x="${x}" y="${y}" width="14" height="14" fill="${item.fill}" stroke="${item.stroke}" stroke-width="${strokeWidth}"/>` +
        `<text x="${x + 20}" y="${y + 11}" font-family="sans-serif" font-size="11">${xmlSafe(item.name)}</text></g>`,
    );
    x += w;
  }
  y += ROW_H + 6;
  for (const note of map.notes) {
    for (const line of wrapWords(note, Math.max(20, Math.floor((width - 16) / CHAR_W)))) {
      parts.push(`<text class="note" x="8" y="${y + 11}" font-family="sans-serif" font-size="11" fill="#37474f">${xmlSafe(line)}</text>`);
      y += NOTE_H;
    }
    y += 4;
  }
  return { markup: `<g class="legend">${parts.join('')}</g>`, height: y - top };
}
