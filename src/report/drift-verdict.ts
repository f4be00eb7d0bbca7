/** Pure: which drift rows failed and which layout cells moved, against the first row or a baseline's same combination. */
import { ToolError } from '../base/errors.js';
import type { FailOn } from '../config/drift-plan.js';
import type { LayoutJson, RangeJson } from '../xen/layout-json.js';
import type { ComboJson, DriftRow } from './drift-records.js';

/** The layout columns of the table, in order (the picture and the exit code read the same cells). */
export const LAYOUT_COLUMNS = ['dom0 banks', 'grant table', 'extended regions', 'ppi', 'version'] as const;

const r = (x: RangeJson | null | undefined): string => (x ? `${x.start}-${x.end}` : '-');

/** One layout as the table's cells. */
export function layoutCells(layout: LayoutJson | null): string[] {
  if (!layout) return ['-', '-', '-', '-', '-'];
  return [
    layout.dom0Banks.map(r).join(' '),
    r(layout.grantTable),
    layout.extendedRegions.map(r).join(' '),
    layout.eventChannelPpi === null ? '-' : String(layout.eventChannelPpi),
    layout.xenVersion ?? '-',
  ];
}

/** A combination's identity across runs and shards: what it boots, not where it ran. */
export const comboKey = (c: ComboJson): string => JSON.stringify([c.xenLabel, c.memory, c.dom0Mem, c.xenArgs]);

/** How the table and the exit code name a combination. */
export const comboName = (c: ComboJson): string =>
  `#${c.index + 1} xen ${c.xenLabel}, -m ${c.memory}, dom0_mem=${c.dom0Mem}${c.xenArgs ? `, ${c.xenArgs}` : ''}`;

export interface Reference {
  /** What a row is compared with: "row N" or "the baseline". */
  name: string;
  cells(row: DriftRow): string[] | null;
}

/** Each row against the first successful row; the version column is not drift (it names the build). */
export function firstRowReference(rows: DriftRow[]): Reference {
  const base = rows.find((row) => !row.failure);
  const cells = base ? layoutCells(base.layout) : null;
  return { name: base ? `row ${base.combo.index + 1}` : 'row -', cells: () => cells };
}

/** Each row against the baseline drift.json's row of the same combination (none: not compared). */
export function baselineReference(baseline: DriftRow[], file: string): Reference {
  const byKey = new Map(baseline.filter((row) => !row.failure).map((row) => [comboKey(row.combo), layoutCells(row.layout)]));
  return { name: `the baseline ${file}`, cells: (row) => byKey.get(comboKey(row.combo)) ?? null };
}

/** Indexes of the layout columns of `row` that differ from its reference (none for a failed row). */
export function movedColumns(row: DriftRow, reference: Reference): number[] {
  const ref = reference.cells(row);
  if (!ref || row.failure) return [];
  const cells = layoutCells(row.layout);
  return cells.flatMap((cell, i) => (LAYOUT_COLUMNS[i] !== 'version' && cell !== ref[i] ? [i] : []));
}

export interface Verdict {
  failed: string[];
  drifted: string[];
}

/** The failed combinations and the ones whose layout moved, named for the exit code's message. */
export function verdict(rows: DriftRow[], reference: Reference): Verdict {
  return {
    failed: rows.filter((row) => row.failure).map((row) => `${comboName(row.combo)}: ${row.failure!.code}`),
    drifted: rows.flatMap((row) => {
      const moved = movedColumns(row, reference);
      return moved.length ? [`${comboName(row.combo)}: ${moved.map((i) => LAYOUT_COLUMNS[i]).join(', ')}`] : [];
    }),
  };
}

/** The run's failure for `failOn`: COMBOS_FAILED before MATRIX_DRIFT; null when the nightly job may go green. */
export function verdictFailure(v: Verdict, failOn: FailOn, reference: Reference, total: number): ToolError | null {
  if (failOn === 'never') return null;
  if (v.failed.length > 0) {
    return new ToolError('COMBOS_FAILED', 'drift', `${v.failed.length} of ${total} combinations failed: ${v.failed.join('; ')}`, {
      details: { combinations: v.failed },
    });
  }
  if (failOn === 'drift' && v.drifted.length > 0) {
    return new ToolError(
      'MATRIX_DRIFT',
      'drift',
      `${v.drifted.length} of ${total} combinations moved against ${reference.name}: ${v.drifted.join('; ')}`,
      { details: { combinations: v.drifted } },
    );
  }
  return null;
}
