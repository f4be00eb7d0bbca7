/** Pure: one run's learned layout as a standalone SVG document (layout.svg): title, hex axis, spans, legend. */
import { buildAddressMap, type LaneInput } from './address-map.js';
import type { ScaleKind } from './address-scale.js';
import { xmlSafe } from './junit.js';
import { renderLegend } from './map-legend.js';
import { renderLanes, spanText } from './map-svg.js';

/** What layout.svg draws: one lane, plus the title above it (default: the lane's label). */
export interface LayoutSvgInput extends LaneInput {
  title?: string;
}

const LIST_H = 15;

/** Subtitle facts that are not addresses (so have no span): Xen's version and the event channel's PPI. */
function subtitle(input: LayoutSvgInput): string {
  const l = input.layout;
  const facts = [`-m ${input.memory}`];
  if (l?.xenVersion) facts.unshift(`Xen ${l.xenVersion}`);
  if (l && l.eventChannelPpi !== null) facts.push(`event channel PPI ${l.eventChannelPpi}`);
  if (input.failure) facts.push(`FAILED ${input.failure}`);
  if (input.baseline) facts.push('outlined in red: differs from the baseline');
  return facts.join(', ');
}

/**
 * The SVG text of one run's address map, `width` px wide (default 1000). With `baseline` (e.g. the layout
 * the image was built with) the spans that differ from it are outlined; without one nothing is.
 */
export function renderLayoutSvg(input: LayoutSvgInput, options: { scale?: ScaleKind; width?: number } = {}): string {
  const width = options.width ?? 1000;
  const lane: LaneInput = { ...input, baseline: input.baseline ?? null };
  const map = buildAddressMap([lane], { scale: options.scale, minTickGap: 13 / width });
  const title = input.title ?? input.label;
  const lanes = renderLanes(map, width, 44);
  let y = 44 + lanes.height + 8;
  const list = map.lanes[0]!.spans.map((span) => {
    const line = `<text class="span-text" data-key="${span.key}" x="8" y="${y + 11}" font-family="monospace" font-size="11"${span.moved ? ' fill="#d50000"' : ''}>${xmlSafe(spanText(span))}</text>`;
    y += LIST_H;
    return line;
  });
  const legend = renderLegend(map, width, y + 10);
  const height = Math.ceil(y + 10 + legend.height + 8);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-scale="${map.scale}">`,
    `<title>${xmlSafe(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="8" y="20" font-family="sans-serif" font-size="16" font-weight="bold">${xmlSafe(title)}</text>`,
    `<text class="subtitle" x="8" y="37" font-family="sans-serif" font-size="12" fill="#37474f">${xmlSafe(subtitle(input))}</text>`,
    lanes.markup,
    `<g class="span-list">${list.join('')}</g>`,
    legend.markup,
    '</svg>',
    '',
  ].join('\n');
}
