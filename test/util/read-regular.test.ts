/** Reading a file that should be regular: never blocks on a FIFO, refuses folders, devices and huge files. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { NotARegularFile, readRegularFile } from '../../src/util/read-regular.js';
import { tempDir } from '../helpers/tmp.js';

describe('readRegularFile', () => {
  it('reads a regular file, and gives null for a missing one', async () => {
    const dir = tempDir('regular');
    writeFileSync(path.join(dir, 'a.json'), '{"a": 1}\n');
    assert.equal(await readRegularFile(path.join(dir, 'a.json')), '{"a": 1}\n');
    assert.equal(await readRegularFile(path.join(dir, 'none.json')), null);
  });

  it('refuses a FIFO with no writer at once instead of waiting for one', async () => {
    const fifo = path.join(tempDir('regular'), 'lock.json');
    execFileSync('mkfifo', [fifo]);
    const t0 = performance.now();
    await assert.rejects(readRegularFile(fifo), (e: unknown) => e instanceof NotARegularFile && /not a regular file/.test(e.message));
    assert.ok(performance.now() - t0 < 2000, 'did not wait for a writer');
  });

  it('refuses a folder, a device and a file over the size given', async () => {
    const dir = tempDir('regular');
    mkdirSync(path.join(dir, 'sub'));
    await assert.rejects(readRegularFile(path.join(dir, 'sub')), NotARegularFile);
    await assert.rejects(readRegularFile('/dev/zero'), NotARegularFile);
    writeFileSync(path.join(dir, 'big'), Buffer.alloc(2048));
    await assert.rejects(readRegularFile(path.join(dir, 'big'), 1024), /is 2048 bytes, more than the 1024/);
  });
});
