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

/** `text` as lines of at most `width` characters, broken between words (a word longer than `width` stands alone, whole). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line || lines.length === 0 ? [...lines, line] : lines;
}

/** Renders rows as an aligned text table with a header; a cell holding newlines spans as many lines, the others blank. */
export function renderTable(header: string[], rows: string[][]): string {
  const split = rows.map((r) => r.map((cell) => cell.split('\n')));
  const widths = header.map((h, i) => Math.max(h.length, ...split.flatMap((r) => (r[i] ?? ['']).map((l) => l.length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const body = split.flatMap((cells) => {
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => line(cells.map((c) => c[k] ?? '')));
  });
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body].join('\n');
}

export function renderDriftTable(changes: FieldChange[]): string {
  return renderTable(['field', 'lock', 'now'], driftRows(changes));
}
