/**
 * Pure: drift rows as people read them. The table (moved cells marked with *, failures wrapped
 * whole) for JUnit's system-out; the same rows as blocks within 80 columns for the terminal.
 */
import type { DriftRow } from './drift-records.js';
import { renderTable, wrapWords } from './drift-table.js';
import { comboName, firstRowReference, layoutCells, LAYOUT_COLUMNS, movedColumns, type Reference } from './drift-verdict.js';
import { fitLine, SUMMARY_WIDTH } from './fit.js';
import { withoutControls } from './progress/style.js';

export const DRIFT_HEADER = ['#', 'xen', 'memory', 'dom0_mem', 'xen args', ...LAYOUT_COLUMNS, 'result'];

/** Width of the result column: a failure's message wraps between words, never cut. */
const RESULT_WIDTH = 60;

/** The layout cells of `row`, moved ones ending in " *" (none for a failed row). */
function markedCells(row: DriftRow, reference: Reference): string[] {
  const moved = new Set(movedColumns(row, reference));
  return row.failure ? layoutCells(null) : layoutCells(row.layout).map((cell, i) => (moved.has(i) ? `${cell} *` : cell));
}

/** One line per combination (more when its failure wraps); moved layout cells end in " *". */
export function renderDriftMatrix(rows: DriftRow[], reference: Reference = firstRowReference(rows)): string {
  const body = rows.map((row) => {
    const result = row.failure ? wrapWords(`${row.failure.code}: ${row.failure.message}`, RESULT_WIDTH).join('\n') : 'ok';
    const c = row.combo;
    return [String(c.index + 1), c.xenLabel, c.memory, c.dom0Mem, c.xenArgs || '-', ...markedCells(row, reference), result];
  });
  return `${renderTable(DRIFT_HEADER, body)}\n(* differs from ${reference.name})\n`;
}

/** The layout lines' labels, aligned (the version is on the combination's own line). */
const LABEL_WIDTH = Math.max(...LAYOUT_COLUMNS.map((c) => c.length)) + 2;

/**
 * Each combination as a block within `width` columns: its name and result (ok and Xen's version, or
 * the failure's code and message, wrapped), then one line per layout cell; moved cells end in " *".
 */
export function renderDriftBlocks(rows: DriftRow[], reference: Reference = firstRowReference(rows), width = SUMMARY_WIDTH): string {
  const version = LAYOUT_COLUMNS.indexOf('version');
  const lines = rows.flatMap((row) => {
    const cells = markedCells(row, reference);
    if (row.failure)
      return fitLine(`${comboName(row.combo)}: ${row.failure.code}: ${withoutControls(row.failure.message.replace(/\s+/g, ' '))}`, width);
    const head = fitLine(`${comboName(row.combo)}: ok, Xen ${cells[version]}`, width);
    const body = LAYOUT_COLUMNS.flatMap((label, i) =>
      i === version ? [] : fitLine(`  ${label.padEnd(LABEL_WIDTH)}${cells[i]}`, width, ' '.repeat(LABEL_WIDTH + 2)),
    );
    return [...head, ...body];
  });
  return `${[...lines, ...fitLine(`(* differs from ${reference.name})`, width)].join('\n')}\n`;
}
