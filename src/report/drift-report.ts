/** Pure: drift rows to the table people read (moved cells marked with *, failures wrapped whole). */
import type { DriftRow } from './drift-records.js';
import { renderTable, wrapWords } from './drift-table.js';
import { firstRowReference, layoutCells, LAYOUT_COLUMNS, movedColumns, type Reference } from './drift-verdict.js';

export const DRIFT_HEADER = ['#', 'xen', 'memory', 'dom0_mem', 'xen args', ...LAYOUT_COLUMNS, 'result'];

/** Width of the result column: a failure's message wraps between words, never cut. */
const RESULT_WIDTH = 60;

/** One line per combination (more when its failure wraps); moved layout cells end in " *". */
export function renderDriftMatrix(rows: DriftRow[], reference: Reference = firstRowReference(rows)): string {
  const body = rows.map((row) => {
    const moved = new Set(movedColumns(row, reference));
    const cells = row.failure ? layoutCells(null) : layoutCells(row.layout).map((cell, i) => (moved.has(i) ? `${cell} *` : cell));
    const result = row.failure ? wrapWords(`${row.failure.code}: ${row.failure.message}`, RESULT_WIDTH).join('\n') : 'ok';
    const c = row.combo;
    return [String(c.index + 1), c.xenLabel, c.memory, c.dom0Mem, c.xenArgs || '-', ...cells, result];
  });
  return `${renderTable(DRIFT_HEADER, body)}\n(* differs from ${reference.name})\n`;
}
