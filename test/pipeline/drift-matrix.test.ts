import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { costliestFirst, expandMatrix, largestSize, pool } from '../../src/pipeline/drift-matrix.js';
import { xenPathFor } from '../../src/config/xen-choice.js';
import { CACHE_DIR } from '../../src/base/paths.js';
import { renderDriftMatrix } from '../../src/report/drift-report.js';
import type { DriftRow } from '../../src/report/drift-records.js';
import { driftRows, renderDriftTable } from '../../src/report/drift-table.js';

describe('drift matrix', () => {
  it('expands every combination, Xen outermost', () => {
    const combos = expandMatrix({ xen: ['4.17', '/x/xen'], memory: ['2G', '6G'], dom0Mem: ['256M', '1G', '3G'], xenArgs: [''] });
    assert.equal(combos.length, 12);
    assert.deepEqual(
      combos.slice(0, 4).map((c) => [c.xenLabel, c.memory, c.dom0Mem]),
      [
        ['4.17', '2G', '256M'],
        ['4.17', '2G', '1G'],
        ['4.17', '2G', '3G'],
        ['4.17', '6G', '256M'],
      ],
    );
    assert.equal(combos[0]!.xen, path.join(CACHE_DIR, 'xen', '4.17', 'xen'));
    assert.equal(combos[11]!.xen, '/x/xen');
    assert.equal(xenPathFor('4.20'), path.join(CACHE_DIR, 'xen', '4.20', 'xen'));
  });

  it('reads the largest size in a dom0_mem or -m value', () => {
    assert.equal(largestSize('256M'), 256 * 2 ** 20);
    assert.equal(largestSize('3G'), 3 * 2 ** 30);
    assert.equal(largestSize('min:512M,max:1G'), 2 ** 30);
    assert.equal(largestSize('2048k'), 2048 * 2 ** 10);
    assert.equal(largestSize('512'), 512 * 2 ** 10, 'no unit is kB, as Xen reads it');
    assert.equal(largestSize('4096B'), 4096);
    assert.equal(largestSize(''), 0);
  });

  it('starts the costliest boots first (dom0_mem, then -m), ties in matrix order', () => {
    const combos = expandMatrix({ xen: ['4.17', '4.20'], memory: ['2G', '6G'], dom0Mem: ['256M', '1G', '3G'], xenArgs: [''] });
    const order = costliestFirst(combos).map((c) => `${c.xenLabel} ${c.memory} ${c.dom0Mem}`);
    assert.deepEqual(order.slice(0, 6), ['4.17 6G 3G', '4.20 6G 3G', '4.17 2G 3G', '4.20 2G 3G', '4.17 6G 1G', '4.20 6G 1G']);
    assert.deepEqual(order.slice(-2), ['4.17 2G 256M', '4.20 2G 256M']);
    assert.equal(combos[0]!.dom0Mem, '256M', 'the matrix itself is not reordered');
  });

  it('pools work with at most N at once, keeping order', async () => {
    let running = 0;
    let peak = 0;
    const out = await pool([5, 1, 3, 2], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 5));
      running -= 1;
      return n * 10;
    });
    assert.deepEqual(out, [50, 10, 30, 20]);
    assert.equal(peak, 2);
  });
});

describe('drift tables', () => {
  const layout = (bank: string) => ({
    xenVersion: '4.17.7',
    dom0Banks: [{ start: bank, end: '0x60000000' }],
    grantTable: { start: '0x40200000', end: '0x40240000' },
    extendedRegions: [{ start: '0x40400000', end: '0x50000000' }],
    eventChannelPpi: 16,
    kernel: null,
    dom0Dtb: null,
  });
  const combo = (index: number) => ({ index, xenLabel: '4.17', xen: 'x', memory: '6G', dom0Mem: '256M', xenArgs: '' });
  const row = (index: number, bank: string | null): DriftRow => ({
    combo: combo(index),
    layout: bank ? layout(bank) : null,
    failure: bank ? null : { code: 'DOM0_NOT_BUILT', stage: 'xen-boot', message: 'Xen could not give Dom0 its memory' },
    runDir: 'r',
    bootMs: 1,
    handoverMs: 1,
  });

  it('marks the cells that differ from the first row, and shows failures as rows', () => {
    const text = renderDriftMatrix([row(0, '0x50000000'), row(1, '0x40000000'), row(2, null)]);
    const lines = text.split('\n');
    assert.match(lines[2]!, /0x50000000-0x60000000 {2}/);
    assert.doesNotMatch(lines[2]!, /\*/);
    assert.match(lines[3]!, /0x40000000-0x60000000 \*/);
    assert.doesNotMatch(lines[3]!, /0x40200000-0x40240000 \*/);
    assert.match(lines[4]!, /DOM0_NOT_BUILT: Xen could not give Dom0 its memory/);
  });

  it('lists a check drift field by field, element by element', () => {
    const changes = [
      {
        field: 'dom0Banks' as const,
        from: [{ start: '0x50000000', end: '0x60000000' }],
        to: [
          { start: '0xc0000000', end: '0x100000000' },
          { start: '0x1a0000000', end: '0x1b0000000' },
        ],
      },
      { field: 'eventChannelPpi' as const, from: 16, to: 17 },
    ];
    assert.deepEqual(driftRows(changes), [
      ['dom0Banks[0]', '0x50000000-0x60000000', '0xc0000000-0x100000000'],
      ['dom0Banks[1]', '-', '0x1a0000000-0x1b0000000'],
      ['eventChannelPpi', '16', '17'],
    ]);
    assert.match(renderDriftTable(changes), /^field +lock +now\n/);
  });
});
