/** Pure: drift rows to the table people read (differences from the first row marked with *) and drift.json. */
import type { LayoutJson, RangeJson } from '../xen/layout-json.js';
import { renderTable } from './drift-table.js';

export const DRIFT_SCHEMA_VERSION = 1;
/** The schema's $id; the file ships as schema/drift.schema.json. */
export const DRIFT_SCHEMA_ID = 'https://xen-dom0-boot.invalid/schema/drift.schema.json';

/** One combination of the matrix. */
export interface ComboJson {
  index: number;
  /** As the user named it: a path, or a version fetched by setup ("4.17", "4.20"). */
  xenLabel: string;
  xen: string;
  memory: string;
  dom0Mem: string;
  xenArgs: string;
}

export interface DriftRow {
  combo: ComboJson;
  layout: LayoutJson | null;
  failure: { code: string; stage: string; message: string } | null;
  runDir: string;
  bootMs: number | null;
  handoverMs: number | null;
}

const r = (x: RangeJson | null | undefined): string => (x ? `${x.start}-${x.end}` : '-');

/** The layout columns of one row, as text. */
function layoutCells(row: DriftRow): string[] {
  const l = row.layout;
  if (!l || row.failure) return ['-', '-', '-', '-', '-'];
  return [
    l.dom0Banks.map(r).join(' '),
    r(l.grantTable),
    l.extendedRegions.map(r).join(' '),
    l.eventChannelPpi === null ? '-' : String(l.eventChannelPpi),
    l.xenVersion ?? '-',
  ];
}

export const DRIFT_HEADER = [
  '#',
  'xen',
  'memory',
  'dom0_mem',
  'xen args',
  'dom0 banks',
  'grant table',
  'extended regions',
  'ppi',
  'version',
  'result',
];

/** One line per combination; layout cells that differ from the first successful row end in " *". */
export function renderDriftMatrix(rows: DriftRow[]): string {
  const base = rows.find((row) => !row.failure);
  const baseCells = base ? layoutCells(base) : null;
  const body = rows.map((row) => {
    const cells = layoutCells(row).map((cell, i) => (baseCells && !row.failure && cell !== baseCells[i] ? `${cell} *` : cell));
    const result = row.failure ? `${row.failure.code}: ${row.failure.message.split('\n')[0]!.slice(0, 80)}` : 'ok';
    const c = row.combo;
    return [String(c.index + 1), c.xenLabel, c.memory, c.dom0Mem, c.xenArgs || '-', ...cells, result];
  });
  return `${renderTable(DRIFT_HEADER, body)}\n(* differs from row ${base ? base.combo.index + 1 : '-'})\n`;
}
