/** Pure: per-field layout changes as a readable table (old value, new value), one row per element. */
import type { RangeJson } from '../xen/layout-json.js';
import type { FieldChange } from '../xen/layout-diff.js';

const fmt = (v: unknown): string => {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'object' && 'start' in (v as object)) return `${(v as RangeJson).start}-${(v as RangeJson).end}`;
  return String(v);
};

/** Rows of [field, old, new], arrays expanded to one row per index (a bank added shows as "-" -> value). */
export function driftRows(changes: FieldChange[]): string[][] {
  const rows: string[][] = [];
  for (const change of changes) {
    if (Array.isArray(change.from) || Array.isArray(change.to)) {
      const from = (change.from as unknown[] | null) ?? [];
      const to = (change.to as unknown[] | null) ?? [];
      for (let i = 0; i < Math.max(from.length, to.length); i += 1) {
        if (fmt(from[i]) !== fmt(to[i])) rows.push([`${change.field}[${i}]`, fmt(from[i]), fmt(to[i])]);
      }
    } else {
      rows.push([change.field, fmt(change.from), fmt(change.to)]);
    }
  }
  return rows;
}

/** Renders rows as an aligned text table with a header. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderDriftTable(changes: FieldChange[]): string {
  return renderTable(['field', 'lock', 'now'], driftRows(changes));
}
