/** Atomic writes and the dtb cache's stores hold up when one process writes the same file many times at once; several files change together or not at all. */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DTB_CACHE, toCache } from '../../src/dtb/cache.js';
import { ToolError } from '../../src/base/errors.js';
import { tempNameFor, writeFileAtomic, writeFilesAtomic } from '../../src/util/atomic-write.js';
import { tempDir } from '../helpers/tmp.js';
import { fillLeaving, withTmpfs } from '../helpers/tmpfs.js';

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

describe('writing files together or not at all, and clear errors', () => {
  it('writeFileAtomic replaces a symbolic link at the name, never writes its target', async () => {
    const dir = tempDir('atomic-link');
    const target = path.join(dir, 'precious.txt');
    writeFileSync(target, 'mine\n');
    symlinkSync(target, path.join(dir, 'report.json'));
    await writeFileAtomic(path.join(dir, 'report.json'), '{}\n');
    assert.equal(readFileSync(target, 'utf8'), 'mine\n');
    assert.equal(lstatSync(path.join(dir, 'report.json')).isSymbolicLink(), false);
  });

  it('a failed write is OUTPUT_WRITE_FAILED naming the file and what was expected (a folder in the way)', async () => {
    const dir = tempDir('atomic-dir');
    mkdirSync(path.join(dir, 'junit.xml'));
    await assert.rejects(writeFileAtomic(path.join(dir, 'junit.xml'), '<x/>', undefined, { what: '--junit' }), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'OUTPUT_WRITE_FAILED');
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /^--junit .*junit\.xml: cannot write: it is a folder \(EISDIR\); expected a file name, not a folder$/);
      return true;
    });
    assert.deepEqual(readdirSync(dir), ['junit.xml']);
  });

  it('writeFilesAtomic on a full disk changes neither file and leaves no temporary file', async () => {
    await withTmpfs(64, async (dir) => {
      const a = path.join(dir, 'a.overlay');
      const b = path.join(dir, 'a.overlay.lock.json');
      await writeFilesAtomic([
        { file: a, data: 'old a\n' },
        { file: b, data: 'old b\n' },
      ]);
      // One free page: the first new file fits, the second does not.
      fillLeaving(dir, 1);
      await assert.rejects(
        writeFilesAtomic([
          { file: a, data: 'new a\n' },
          { file: b, data: 'new b\n' },
        ]),
        { code: 'OUTPUT_WRITE_FAILED', message: /a\.overlay\.lock\.json: cannot write: no space left on the device \(ENOSPC\)/ },
      );
      assert.equal(readFileSync(a, 'utf8'), 'old a\n');
      assert.equal(readFileSync(b, 'utf8'), 'old b\n');
      assert.deepEqual(readdirSync(dir).sort(), ['a.overlay', 'a.overlay.lock.json', 'filler']);
    });
  });

  it('writeFilesAtomic on a read-only disk changes nothing and says EROFS', async () => {
    await withTmpfs(64, async (dir, readOnly) => {
      await readOnly();
      await assert.rejects(writeFilesAtomic([{ file: path.join(dir, 'x'), data: 'x' }], { what: '--overlay' }), {
        code: 'OUTPUT_WRITE_FAILED',
        message: /^--overlay .*\/x: cannot write: read-only file system \(EROFS\); expected a writable folder$/,
      });
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});
