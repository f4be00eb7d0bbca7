/** The code table is the one source of truth: README's section is what it renders, each code has a meaning and a producer. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { CODE_TABLE, codeRows, EXIT_CODES, ToolError, type DetailFields, type ErrorCode } from '../../src/base/errors.js';
import type { FieldChange } from '../../src/xen/layout-diff.js';
import type { LayoutJson } from '../../src/xen/layout-json.js';
import { HEADING, markdownTable, README, readmeSection, renderSection, withSection } from '../../scripts/exit-codes.js';

const SRC = path.resolve(path.dirname(README), 'src');
const CODES = Object.keys(CODE_TABLE).filter((code) => code !== 'OK') as ErrorCode[];

/** Every .ts/.cts file under src/, as text, keyed by its path. */
function sources(dir = SRC): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [f, text] of sources(file)) files.set(f, text);
    else if (/\.c?ts$/.test(entry.name)) files.set(file, readFileSync(file, 'utf8'));
  }
  return files;
}

/**
 * Where `code` is produced: `new ToolError('CODE'` (also with the code on the next line), a
 * `code: 'CODE'` option (runTool, the shutdown finisher), or the exit code itself
 * (`EXIT_CODES.CODE`, how the signal path ends with INTERRUPTED).
 */
const producer = (code: string): RegExp => new RegExp(`new ToolError\\(\\s*'${code}'|code: '${code}'|EXIT_CODES\\.${code}\\b`);

describe('the code table', () => {
  it("README's exit-code section is exactly what scripts/exit-codes.ts renders (run npm run docs:exit-codes)", () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(readmeSection(readme), renderSection());
    assert.equal(withSection(readme), readme);
  });

  it('renders one row per code, with its exit code, and the heading only once', () => {
    const section = renderSection();
    assert.ok(section.startsWith(`${HEADING}\n\n`));
    const rows = section.split('\n').filter((l) => /^\| \d/.test(l));
    assert.equal(rows.length, CODES.length + 1);
    for (const code of CODES) {
      const row = rows.find((r) => r.includes(`| \`${code}\` `));
      assert.ok(row, `${code} has a row`);
      assert.match(row, new RegExp(`^\\| ${EXIT_CODES[code]} +\\| `));
    }
    assert.equal(section.split(HEADING).length, 2);
  });

  it('is formatted as Prettier formats markdown, so npm run lint keeps passing', async () => {
    const options = (await prettier.resolveConfig(README)) ?? {};
    const section = renderSection();
    assert.equal(await prettier.format(section, { ...options, parser: 'markdown' }), `${section.trimEnd()}\n`);
  });

  it('swaps only the section: the rest of README stays byte for byte', () => {
    const readme = `# T\n\nintro\n\n${HEADING}\n\n| old |\n\n## Next\n\nkept ${HEADING.slice(4)}\n`;
    const next = withSection(readme, `${HEADING}\n\nnew\n\n`);
    assert.equal(next, `# T\n\nintro\n\n${HEADING}\n\nnew\n\n## Next\n\nkept ${HEADING.slice(4)}\n`);
    assert.throws(() => withSection('# no such section\n'), /no "### Exit codes" section/);
  });

  it('refuses a cell that would break the table', () => {
    assert.throws(() => markdownTable(['a'], [['x | y']]), /cannot hold "\|"/);
    assert.equal(markdownTable(['a', 'bb'], [['1', '2']]), '| a   | bb  |\n| --- | --- |\n| 1   | 2   |');
  });

  it('gives every code a one-line meaning, and EXIT_CODES its exit code', () => {
    for (const { code, exit, meaning } of codeRows()) {
      assert.ok(meaning.trim().length >= 10, `${code} has a meaning`);
      assert.doesNotMatch(meaning, /[|\n]/, `${code}'s meaning is one markdown-safe line`);
      assert.equal(EXIT_CODES[code], exit);
    }
    assert.equal(EXIT_CODES.OK, 0);
    assert.deepEqual(Object.keys(EXIT_CODES), Object.keys(CODE_TABLE));
    const exits = codeRows().map((r) => r.exit);
    assert.deepEqual(
      exits,
      [...exits].sort((a, b) => a - b),
      'the table is in exit-code order',
    );
  });

  it('has no code nobody produces: each is thrown (or exited with) somewhere in src/', () => {
    const files = sources();
    const errors = path.join(SRC, 'base', 'errors.ts');
    const unused = CODES.filter((code) => ![...files.values()].some((text) => producer(code).test(text)));
    assert.deepEqual(unused, [], `codes no file in src/ produces: ${unused.join(', ')}`);
    // INTERNAL comes from toToolError, for anything that is not a ToolError.
    assert.match(files.get(errors)!, producer('INTERNAL'));
    assert.equal(producer('DRIFT').test("failure.code === 'DRIFT'"), false, 'a comparison is not a producer');
  });

  it('types details per code and reads them without casts', () => {
    const exited = new ToolError('QEMU_EXITED', 'qemu-start', 'QEMU exited', { details: { stderrTail: ['boom'] } });
    assert.deepEqual(exited.details.stderrTail, ['boom']);
    const failure: ToolError = exited;
    assert.equal(failure.is('QEMU_EXITED') && failure.details.stderrTail[0], 'boom');
    assert.equal(failure.is('DRIFT'), false);
    assert.deepEqual(new ToolError('USAGE', 'config', 'bad').details, {});
    assert.equal(new ToolError('LOCK_CHANGED', 'overlay', 'changed').exitCode, 2);
    assert.equal(new ToolError('DT_CELLS_MISMATCH', 'overlay', 'too big').exitCode, 4);
    // @ts-expect-error a code's details cannot carry another code's facts
    void new ToolError('BUILD_FAILED', 'build', 'x', { details: { serialTail: [] } });
    // @ts-expect-error DRIFT must carry its changes
    void new ToolError('DRIFT', 'drift', 'x');
  });

  it("keeps base's layout and change facts the same shape as xen/'s LayoutJson and FieldChange (checked by tsc, both ways)", () => {
    // base/ may not import xen/ (dependency-cruiser): its copies of the shapes are held equal here instead.
    type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
    const layoutSame: Same<DetailFields['builtWith'], LayoutJson> = true;
    const changeSame: Same<DetailFields['changes'][number], FieldChange> = true;
    assert.deepEqual([layoutSame, changeSame], [true, true]);
  });
});
