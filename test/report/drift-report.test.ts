/** drift's human output: one block per combination within 80 columns, moved cells marked, failures wrapped whole. */
/* eslint-disable no-control-regex -- these tests look for escape codes in terminal output */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderDriftBlocks, renderDriftMatrix } from '../../src/report/drift-report.js';
import type { DriftRow } from '../../src/report/drift-records.js';
import { baselineReference } from '../../src/report/drift-verdict.js';
import { fitLine, fitText } from '../../src/report/fit.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { layoutToJson } from '../../src/xen/layout-json.js';
import { FIXTURES } from '../helpers/fixtures.js';

const layoutOf = (log: string) => layoutToJson(parseXenLog(readFileSync(path.join(FIXTURES, 'xen', log), 'latin1').split('\n')).layout);

function row(index: number, memory: string, dom0Mem: string, log: string | null, failure: DriftRow['failure'] = null): DriftRow {
  return {
    combo: {
      index,
      xenLabel: log?.startsWith('xen420') ? '4.20' : '4.17',
      xen: '/x',
      memory,
      dom0Mem,
      xenArgs: index === 4 ? 'sched=null' : '',
    },
    layout: log ? layoutOf(log) : null,
    failure,
    runDir: `/r/combo-${index + 1}`,
    bootMs: 500,
    handoverMs: 400,
  };
}

const PANIC = `Xen could not give Dom0 its memory: 1344MB unallocated (lower --dom0-mem or raise --memory) \u001b[31mand a long tail that must wrap\u001b[0m at /a/very/long/path/${'p'.repeat(90)}/xen`;
const rows = [
  row(0, '6G', '256M', 'xen417-6G-256M.log'),
  row(1, '6G', '3G', 'xen417-6G-3G-two-banks.log'),
  row(2, '2G', '256M', 'xen417-2G-256M.log'),
  row(3, '2G', '3G', null, { code: 'DOM0_NOT_BUILT', stage: 'xen-boot', message: PANIC, serialTail: ['(XEN) Panic'] }),
  row(4, '6G', '3G', 'xen420-6G-3G-two-banks.log'),
];

describe('renderDriftBlocks', () => {
  const text = renderDriftBlocks(rows);
  const lines = text.split('\n');

  it('fits 80 columns, except a path longer than a line, which stands whole on its own', () => {
    const wide = lines.filter((l) => l.length > 80);
    assert.deepEqual(wide, [`  /a/very/long/path/${'p'.repeat(90)}/xen`]);
    assert.ok(
      renderDriftMatrix(rows)
        .split('\n')
        .some((l) => l.length > 80),
      'the table (JUnit) is wider: blocks are needed',
    );
  });

  it('gives each combination its name, result and Xen version, then one aligned line per layout cell', () => {
    assert.deepEqual(lines.slice(0, 5), [
      '#1 xen 4.17, -m 6G, dom0_mem=256M: ok, Xen 4.17.7',
      '  dom0 banks        0x50000000-0x60000000',
      '  grant table       0x40200000-0x40240000',
      '  extended regions  0x40400000-0x50000000 0x60000000-0x1c0000000',
      '  ppi               16',
    ]);
    // Two banks and three regions: the regions wrap, aligned under the first, the mark kept with the last range.
    assert.deepEqual(lines.slice(5, 11), [
      '#2 xen 4.17, -m 6G, dom0_mem=3G: ok, Xen 4.17.7',
      '  dom0 banks        0x50000000-0x100000000 0x1a0000000-0x1b0000000 *',
      '  grant table       0x40200000-0x40240000',
      '  extended regions  0x40400000-0x50000000 0x100000000-0x1a0000000',
      '                    0x1b0000000-0x1c0000000 *',
      '  ppi               16',
    ]);
    assert.ok(lines.includes('#5 xen 4.20, -m 6G, dom0_mem=3G, sched=null: ok, Xen 4.20.5-pre'), text);
    assert.equal(lines.at(-2), '(* differs from row 1)');
  });

  it('wraps a failure between words with its code, without escape codes, every word kept', () => {
    const at = lines.findIndex((l) => l.startsWith('#4 '));
    assert.equal(lines[at], '#4 xen 4.17, -m 2G, dom0_mem=3G: DOM0_NOT_BUILT: Xen could not give Dom0 its');
    assert.match(lines[at + 1]!, /^ {2}memory: 1344MB unallocated/);
    assert.doesNotMatch(text, /\u001b/);
    const joined = lines.slice(at, at + 5).join(' ');
    for (const word of ['unallocated', '--memory)', 'must', 'wrap', 'at']) assert.ok(joined.includes(word), word);
  });

  it('names the baseline when the rows are compared with one', () => {
    const ref = baselineReference([{ ...rows[0]!, layout: layoutOf('xen417-6G-1G.log') }], 'nightly/drift.json');
    const against = renderDriftBlocks(rows, ref);
    assert.match(against, /^ {2}dom0 banks {8}0x50000000-0x60000000 \*$/m);
    assert.match(against, /\(\* differs from the baseline nightly\/drift\.json\)\n$/);
  });
});

describe('fitLine and fitText', () => {
  it('leaves a line that fits alone, and breaks a longer one between words with an indented continuation', () => {
    assert.deepEqual(fitLine('short'), ['short']);
    assert.deepEqual(fitLine('aaa bbb ccc ddd', 8), ['aaa bbb', '  ccc', '  ddd']);
    assert.deepEqual(fitLine('  aaa bbb ccc', 9), ['  aaa bbb', '    ccc']);
    assert.deepEqual(fitLine('x: aaa bbb', 7, '   '), ['x: aaa', '   bbb']);
  });

  it('cuts a long word that is not a path, and keeps a path whole on its own line', () => {
    assert.deepEqual(fitLine(`| ${'z'.repeat(20)}`, 10, '|   '), ['| zzzzzzzz', '|   zzzzzz', '|   zzzzzz']);
    assert.deepEqual(fitLine('Report: /runs/a-long-run-folder/report.json', 20), ['Report:', '  /runs/a-long-run-folder/report.json']);
  });

  it('fits every line of a text and keeps its final newline', () => {
    assert.equal(fitText('aaa bbb\nccc ddd eee\n', 7), 'aaa bbb\nccc ddd\n  eee\n');
    assert.equal(fitText('no newline', 80), 'no newline');
  });
});
