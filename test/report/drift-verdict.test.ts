/** Which rows failed and which layouts moved, against the first row or a baseline; the exit code and the table. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderDriftMatrix } from '../../src/report/drift-report.js';
import type { DriftRow } from '../../src/report/drift-records.js';
import { baselineReference, firstRowReference, movedColumns, verdict, verdictFailure } from '../../src/report/drift-verdict.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { layoutToJson } from '../../src/xen/layout-json.js';
import { FIXTURES } from '../helpers/fixtures.js';

const layoutOf = (log: string) => layoutToJson(parseXenLog(readFileSync(path.join(FIXTURES, 'xen', log), 'latin1').split('\n')).layout);

function row(index: number, memory: string, dom0Mem: string, log: string | null, failure: DriftRow['failure'] = null): DriftRow {
  return {
    combo: { index, xenLabel: '4.17', xen: '/x', memory, dom0Mem, xenArgs: '' },
    layout: log ? layoutOf(log) : null,
    failure,
    runDir: `/r/combo-${index + 1}`,
    bootMs: 500,
    handoverMs: 400,
  };
}

const rows = [
  row(0, '6G', '256M', 'xen417-6G-256M.log'),
  row(1, '6G', '1G', 'xen417-6G-1G.log'),
  row(2, '2G', '256M', 'xen417-2G-256M.log'),
  row(3, '2G', '3G', null, {
    code: 'DOM0_NOT_BUILT',
    stage: 'xen-boot',
    message: 'Xen could not give Dom0 its memory: 1344MB unallocated (lower --dom0-mem or raise --memory), a long message that must wrap',
    serialTail: ['(XEN) Panic'],
  }),
];

describe('drift verdict', () => {
  it('against the first row: the moved columns are the ones whose cells differ (never the version)', () => {
    const ref = firstRowReference(rows);
    assert.deepEqual(movedColumns(rows[0]!, ref), []);
    assert.deepEqual(movedColumns(rows[1]!, ref), [0, 2], 'dom0_mem=1G moves bank 0 and the extended regions');
    assert.deepEqual(movedColumns(rows[2]!, ref), [2], '-m 2G moves only the last extended region');
    assert.deepEqual(movedColumns(rows[3]!, ref), [], 'a failed row is not compared');
    const v = verdict(rows, ref);
    assert.deepEqual(v.failed, ['#4 xen 4.17, -m 2G, dom0_mem=3G: DOM0_NOT_BUILT']);
    assert.deepEqual(v.drifted, [
      '#2 xen 4.17, -m 6G, dom0_mem=1G: dom0 banks, extended regions',
      '#3 xen 4.17, -m 2G, dom0_mem=256M: extended regions',
    ]);
  });

  it('against a baseline: each row against the same combination there; a combination the baseline lacks is not compared', () => {
    const baseline = [rows[0]!, { ...rows[1]!, layout: layoutOf('xen417-6G-256M.log') }];
    const ref = baselineReference(baseline, 'base.json');
    assert.equal(ref.name, 'the baseline base.json');
    assert.deepEqual(movedColumns(rows[0]!, ref), []);
    assert.deepEqual(movedColumns(rows[1]!, ref), [0, 2]);
    assert.deepEqual(movedColumns(rows[2]!, ref), [], '2G is not in the baseline');
  });

  it('turns into the exit code: failures first (17), drift only with --fail-on drift (18), never nothing', () => {
    const ref = firstRowReference(rows);
    const v = verdict(rows, ref);
    assert.equal(verdictFailure(v, 'failure', ref, 4)?.code, 'COMBOS_FAILED');
    assert.equal(verdictFailure(v, 'failure', ref, 4)?.exitCode, 17);
    assert.equal(verdictFailure(v, 'drift', ref, 4)?.code, 'COMBOS_FAILED');
    assert.equal(verdictFailure(v, 'never', ref, 4), null);
    const ok = rows.slice(0, 3);
    const drift = verdictFailure(verdict(ok, firstRowReference(ok)), 'drift', firstRowReference(ok), 3);
    assert.equal(drift?.code, 'MATRIX_DRIFT');
    assert.equal(drift?.exitCode, 18);
    assert.match(drift!.message, /^2 of 3 combinations moved against row 1: #2 .*; #3 /);
    assert.deepEqual(drift?.details.combinations?.length, 2);
    assert.equal(verdictFailure(verdict(ok, firstRowReference(ok)), 'failure', firstRowReference(ok), 3), null);
  });

  it('the table marks moved cells and wraps a failure whole, never cut mid-word', () => {
    const table = renderDriftMatrix(rows);
    assert.match(table, /0xc0000000-0x100000000 \*/);
    assert.match(table, /\(\* differs from row 1\)/);
    const words = rows[3]!.failure!.message.split(' ');
    const text = table.split('\n').join(' ');
    for (const word of words) assert.ok(text.includes(word), `"${word}" is in the table`);
    assert.ok(
      table.split('\n').some((line) => line.trimEnd().endsWith('must wrap')),
      'the message ends on a continuation line',
    );
    for (const line of table.split('\n')) assert.ok(!/…/.test(line));
  });
});
