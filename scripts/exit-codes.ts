/**
 * The README's "### Exit codes" section, rendered from the code table in src/base/errors.ts (the
 * one source of truth): one row per code, in the table's order (by exit code).
 *
 *   node --import tsx scripts/exit-codes.ts           prints the section
 *   node --import tsx scripts/exit-codes.ts --write   rewrites it in README.md (npm run docs:exit-codes)
 *   node --import tsx scripts/exit-codes.ts --check   exits 1 when README.md's section is out of date
 *
 * The table is padded the way Prettier pads markdown tables, so `prettier --check` keeps passing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codeRows } from '../src/base/errors.js';

export const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
export const HEADING = '### Exit codes';

const INTRO = [
  'Each code means one thing; `report.json` carries the code, its exit code and the stage.',
  'This table is generated from `src/base/errors.ts` (`npm run docs:exit-codes`).',
].join('\n');

/** A markdown table with every column padded to its widest cell, as Prettier writes it. */
export function markdownTable(header: string[], rows: string[][]): string {
  for (const cell of [...header, ...rows.flat()]) {
    if (cell.includes('|') || cell.includes('\n')) throw new Error(`a table cell cannot hold "|" or a line break: ${cell}`);
  }
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The exit-code table: the success row, then one row per failure code. */
export function renderExitCodeTable(): string {
  const rows = codeRows().map(({ code, exit, meaning }) => [String(exit), code === 'OK' ? '' : `\`${code}\``, meaning]);
  return markdownTable(['exit', 'code', 'meaning'], rows);
}

/** The whole section, heading included, up to (not including) the next heading. */
export function renderSection(): string {
  return `${HEADING}\n\n${INTRO}\n\n${renderExitCodeTable()}\n\n`;
}

/** Where the section is in `readme`: from its heading to the next heading of any level (or the end). */
function sectionBounds(readme: string): { start: number; end: number } {
  const start = readme.indexOf(`\n${HEADING}\n`);
  if (start === -1) throw new Error(`README.md has no "${HEADING}" section`);
  const from = start + 1;
  const next = readme.slice(from + HEADING.length).search(/^#{1,6} /m);
  return { start: from, end: next === -1 ? readme.length : from + HEADING.length + next };
}

/** The section as `readme` has it now. */
export function readmeSection(readme: string): string {
  const { start, end } = sectionBounds(readme);
  return readme.slice(start, end);
}

/** `readme` with its section replaced by the rendered one; everything else byte for byte as it was. */
export function withSection(readme: string, section = renderSection()): string {
  const { start, end } = sectionBounds(readme);
  return readme.slice(0, start) + section + readme.slice(end);
}

function main(args: string[]): number {
  const readme = readFileSync(README, 'utf8');
  if (args.includes('--write')) {
    const next = withSection(readme);
    if (next !== readme) writeFileSync(README, next);
    process.stdout.write(next === readme ? 'README.md: exit codes up to date\n' : 'README.md: exit codes rewritten\n');
    return 0;
  }
  if (args.includes('--check')) {
    if (readmeSection(readme) === renderSection()) return 0;
    process.stderr.write('README.md: the exit-code table is out of date: run npm run docs:exit-codes\n');
    return 1;
  }
  process.stdout.write(renderSection());
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
