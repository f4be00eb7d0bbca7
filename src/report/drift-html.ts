/** Pure: a drift matrix as one self-contained HTML page (drift.html): a lane per combination on one shared scale. */
import type { LayoutJson } from '../xen/layout-json.js';
import { buildAddressMap, type LaneInput, type ModuleInput } from './address-map.js';
import type { ScaleKind } from './address-scale.js';
import type { DriftRow } from './drift-records.js';
import { comboKey, comboName } from './drift-verdict.js';
import { xmlSafe } from './junit.js';
import { renderLegend } from './map-legend.js';
import { renderLanes } from './map-svg.js';

/** Options of drift.html: `baseline` maps comboKey(combo) (drift-verdict.ts) to the layout that row is compared with. */
export interface DriftHtmlOptions {
  title?: string;
  baseline?: Map<string, LayoutJson>;
  /** The boot module(s) every combination loaded (drift boots one image at one address). */
  modules?: ModuleInput[];
  scale?: ScaleKind;
  width?: number;
}

/** The table's name for the combination (Xen, -m, dom0_mem, Xen args), plus the version Xen printed. */
const laneLabel = (row: DriftRow): string => `${comboName(row.combo)}${row.layout?.xenVersion ? ` (Xen ${row.layout.xenVersion})` : ''}`;
const firstLine = (text: string): string => text.split('\n')[0]!.slice(0, 160);

function lanesOf(rows: DriftRow[], options: DriftHtmlOptions): LaneInput[] {
  return rows.map((row) => {
    const lane: LaneInput = {
      label: laneLabel(row),
      memory: row.combo.memory,
      layout: row.layout,
    };
    if (row.failure) lane.failure = `${row.failure.code}: ${firstLine(row.failure.message)}`;
    if (options.modules) lane.modules = options.modules;
    if (options.baseline) lane.baseline = options.baseline.get(comboKey(row.combo)) ?? null;
    return lane;
  });
}

function summary(rows: DriftRow[], options: DriftHtmlOptions): string {
  const failed = rows.filter((row) => row.failure).length;
  const ref = rows.find((row) => row.layout && !row.failure);
  const against = options.baseline
    ? 'the baseline layout of the same combination (rows without one are not compared)'
    : ref
      ? `row #${ref.combo.index + 1}, the first that has a layout`
      : 'nothing (no row has a layout)';
  return `${rows.length} combinations, ${failed} failed. Spans outlined in red differ from ${against}.`;
}

/** The whole page; no scripts, no external resources (its Content-Security-Policy forbids loading any). */
export function renderDriftHtml(rows: DriftRow[], options: DriftHtmlOptions = {}): string {
  const width = options.width ?? 1200;
  const map = buildAddressMap(lanesOf(rows, options), { scale: options.scale, minTickGap: 13 / width });
  const lanes = renderLanes(map, width, 0);
  const legend = renderLegend(map, width, lanes.height + 8);
  const height = Math.ceil(lanes.height + 8 + legend.height + 8);
  const title = options.title ?? 'Where Xen placed Dom0, per combination';
  const failures = rows
    .filter((row) => row.failure)
    .map(
      (row) =>
        `<li data-lane="${rows.indexOf(row)}">${xmlSafe(`#${row.combo.index + 1} ${row.failure!.code} (${row.failure!.stage}): ${row.failure!.message}`)}</li>`,
    );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${xmlSafe(title)}</title>`,
    '<style>body{margin:16px;font-family:sans-serif;background:#fff;color:#000} svg{display:block} .failures{color:#d50000;white-space:pre-wrap}</style>',
    '</head>',
    '<body>',
    `<h1>${xmlSafe(title)}</h1>`,
    `<p class="summary">${xmlSafe(summary(rows, options))}</p>`,
    `<svg id="address-map" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-scale="${map.scale}">`,
    lanes.markup,
    legend.markup,
    '</svg>',
    failures.length > 0 ? `<h2>Failed combinations</h2>\n<ul class="failures">${failures.join('')}</ul>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
