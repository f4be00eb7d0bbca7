/** Real layouts and drift rows from test/fixtures/xen, and a reader for the spans an SVG or HTML map draws. */
import type { LaneInput, ModuleInput } from '../../src/report/address-map.js';
import type { DriftRow } from '../../src/report/drift-records.js';
import { layoutToJson, type LayoutJson } from '../../src/xen/layout-json.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { panicFailureOf } from './boot-failure.js';
import { fixtureLines } from './fixtures.js';

/** The layout Xen printed in a captured log. */
export const learned = (name: string): LayoutJson => layoutToJson(parseXenLog(fixtureLines(`xen/${name}`)).layout);

/** The captured logs' boot module (test/fixtures/xen/README.md: module at 0x40600000, size 0x1000). */
export const FIXTURE_MODULE: ModuleInput = { label: 'boot module (Dom0 image)', loadAddr: '0x40600000', moduleSize: '0x1000' };

/** The failure drift records for the real "dom0_mem=3G with -m 2G" log. */
function tooBigFailure(): NonNullable<DriftRow['failure']> {
  const error = panicFailureOf('xen417-dom0-mem-too-big.log');
  return { code: error.code, stage: error.stage, message: error.message };
}

/** Every span a lane of the two-bank 6G/3G log draws, by key, sorted. */
export const TWO_BANK_KEYS = [
  'bootModule[0]',
  'dom0Bank[0]',
  'dom0Bank[1]',
  'dom0Dtb',
  'extendedRegion[0]',
  'extendedRegion[1]',
  'extendedRegion[2]',
  'grantTable',
  'kernel',
  'ram',
];

/** A drift matrix of real captures: row 1 is the reference (4.17, 6G, 256M), the last row failed. */
export function fixtureRows(): DriftRow[] {
  const combos: [xen: string, memory: string, dom0Mem: string, log: string | null][] = [
    ['4.17', '6G', '256M', 'xen417-6G-256M.log'],
    ['4.17', '6G', '1G', 'xen417-6G-1G.log'],
    ['4.17', '2G', '256M', 'xen417-2G-256M.log'],
    ['4.17', '6G', '3G', 'xen417-6G-3G-two-banks.log'],
    ['4.20', '6G', '256M', 'xen420-6G-256M.log'],
    ['4.20', '6G', '3G', 'xen420-6G-3G-two-banks.log'],
    ['4.17', '2G', '3G', null],
  ];
  return combos.map(([xen, memory, dom0Mem, log], index) => ({
    combo: { index, xenLabel: xen, xen: `/cache/xen/${xen}/xen`, memory, dom0Mem, xenArgs: '' },
    layout: log ? learned(log) : null,
    failure: log ? null : tooBigFailure(),
    runDir: `/runs/drift/combo-${index + 1}`,
    bootMs: log ? 700 : 900,
    handoverMs: log ? 650 : null,
  }));
}

/** The fixture matrix as address-map lanes, each with the module the captures loaded. */
export const fixtureLanes = (): LaneInput[] =>
  fixtureRows().map((row) => ({
    label: `${row.combo.xenLabel} ${row.combo.memory} ${row.combo.dom0Mem}`,
    memory: row.combo.memory,
    layout: row.layout,
    ...(row.failure ? { failure: `${row.failure.code}: ${row.failure.message}` } : {}),
    modules: [FIXTURE_MODULE],
  }));

/** One `<rect class="span">` as drawn: its data attributes and geometry. */
export interface DrawnSpan {
  lane: number;
  kind: string;
  key: string;
  moved: boolean;
  start: bigint;
  end: bigint;
  x: number;
  y: number;
  width: number;
  stroke: string;
}

/** Every span rect in SVG or HTML markup, in document order. */
export function drawnSpans(markup: string): DrawnSpan[] {
  return [...markup.matchAll(/<rect class="span"([^>]*)>/g)].map((m) => {
    const attrs = Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    return {
      lane: Number(attrs['data-lane']),
      kind: attrs['data-kind']!,
      key: attrs['data-key']!,
      moved: attrs['data-moved'] === 'true',
      start: BigInt(attrs['data-start']!),
      end: BigInt(attrs['data-end']!),
      x: Number(attrs.x),
      y: Number(attrs.y),
      width: Number(attrs.width),
      stroke: attrs.stroke!,
    };
  });
}
