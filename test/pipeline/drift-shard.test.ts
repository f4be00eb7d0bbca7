/** --shard K/N: deterministic, balanced slices of the matrix, the costliest combinations spread across shards. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseShard } from '../../src/config/drift-plan.js';
import { costliestFirst, expandMatrix, shardOf } from '../../src/pipeline/drift-matrix.js';

const matrix = expandMatrix({ xen: ['4.17', '4.20'], memory: ['2G', '4G', '6G'], dom0Mem: ['256M', '1G', '3G', '512M'], xenArgs: [''] });

describe('shardOf', () => {
  for (const total of [1, 2, 3, 4, 5, 7, 24, 30]) {
    it(`splits 24 combinations into ${total} disjoint shards that together are the matrix, sizes within one`, () => {
      const shards = Array.from({ length: total }, (_, i) => shardOf(matrix, { index: i + 1, total }));
      const all = shards.flat().map((c) => c.index);
      assert.deepEqual(
        [...all].sort((a, b) => a - b),
        matrix.map((c) => c.index),
      );
      assert.equal(new Set(all).size, all.length);
      const sizes = shards.map((s) => s.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
      for (const shard of shards)
        assert.deepEqual(
          shard,
          [...shard].sort((a, b) => a.index - b.index),
          'each shard in matrix order',
        );
    });
  }

  it('gives each of N shards one of the N costliest combinations (they are spread, not stacked)', () => {
    const total = 4;
    const costliest = costliestFirst(matrix)
      .slice(0, total)
      .map((c) => c.index);
    for (let k = 1; k <= total; k += 1) {
      const mine = shardOf(matrix, { index: k, total }).filter((c) => costliest.includes(c.index));
      assert.equal(mine.length, 1, `shard ${k} holds ${mine.length} of the 4 costliest`);
    }
  });

  it('is deterministic: the same matrix gives the same slices', () => {
    const again = expandMatrix({ xen: ['4.17', '4.20'], memory: ['2G', '4G', '6G'], dom0Mem: ['256M', '1G', '3G', '512M'], xenArgs: [''] });
    assert.deepEqual(shardOf(again, { index: 3, total: 5 }), shardOf(matrix, { index: 3, total: 5 }));
  });
});

describe('parseShard', () => {
  it('reads K/N, and auto from CI_NODE_INDEX/CI_NODE_TOTAL (GitLab parallel:)', () => {
    assert.equal(parseShard(undefined, {}), null);
    assert.deepEqual(parseShard('2/4', {}), { index: 2, total: 4 });
    assert.deepEqual(parseShard('auto', { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '5' }), { index: 3, total: 5 });
  });

  it('names what is wrong', () => {
    for (const bad of ['0/4', '5/4', '1/0', '2', '1/2/3', 'a/b', '1/1001']) {
      assert.throws(() => parseShard(bad, {}), /--shard .*: expected K\/N with 1 <= K <= N <= 1000/, bad);
    }
    assert.throws(() => parseShard('auto', {}), /--shard auto: CI_NODE_INDEX and CI_NODE_TOTAL are not set/);
    assert.throws(
      () => parseShard('auto', { CI_NODE_INDEX: '0', CI_NODE_TOTAL: '2' }),
      /CI_NODE_INDEX\/CI_NODE_TOTAL "0\/2": expected K\/N/,
    );
  });
});
