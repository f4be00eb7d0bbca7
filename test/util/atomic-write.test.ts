/** Atomic writes and the dtb cache's stores hold up when one process writes the same file many times at once. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DTB_CACHE, toCache } from '../../src/dtb/cache.js';
import { tempNameFor, writeFileAtomic } from '../../src/util/atomic-write.js';
import { tempDir } from '../helpers/tmp.js';

describe('atomic writes', () => {
  it('gives every write its own temporary name, even within one millisecond', () => {
    const names = new Set(Array.from({ length: 100 }, () => tempNameFor('/x/report.json')));
    assert.equal(names.size, 100);
    for (const name of names) assert.equal(path.dirname(name), '/x');
  });

  it('20 parallel writes of one file all succeed; the file holds one whole write and no temporaries remain', async () => {
    const dir = tempDir('atomic');
    const file = path.join(dir, 'versions.json');
    const bodies = Array.from({ length: 20 }, (_, i) => `${String(i).repeat(10_000)}\n`);
    await Promise.all(bodies.map((body) => writeFileAtomic(file, body)));
    assert.ok(bodies.includes(readFileSync(file, 'utf8')));
    assert.deepEqual(readdirSync(dir), ['versions.json']);
  });

  it('parallel stores of one dtb cache entry (drift boots sharing a machine) all succeed', async () => {
    const dir = tempDir('dtb-cache');
    const src = path.join(dir, 'virt.dtb');
    writeFileSync(src, 'a device tree');
    const key = `test-${path.basename(dir)}`;
    try {
      const stored = await Promise.all(Array.from({ length: 20 }, () => toCache(key, 'virt.dtb', src)));
      assert.deepEqual(new Set(stored), new Set([true]));
      assert.equal(readFileSync(path.join(DTB_CACHE, key, 'virt.dtb'), 'utf8'), 'a device tree');
      assert.deepEqual(readdirSync(path.join(DTB_CACHE, key)), ['virt.dtb']);
    } finally {
      rmSync(path.join(DTB_CACHE, key), { recursive: true, force: true });
    }
    assert.equal(existsSync(path.join(DTB_CACHE, key)), false);
  });

  it('a store that cannot be written is not an error: it reports false', async () => {
    const dir = tempDir('dtb-cache');
    const key = `test-${path.basename(dir)}`;
    try {
      assert.equal(await toCache(key, 'virt.dtb', path.join(dir, 'missing.dtb')), false);
    } finally {
      rmSync(path.join(DTB_CACHE, key), { recursive: true, force: true });
    }
  });
});
