import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { killGroup } from '../../src/util/kill-group.js';
import { isAlive } from '../helpers/procs.js';

describe('killGroup', () => {
  it('kills a detached child and what it started', async () => {
    const child = execa('sh', ['-c', 'sleep 3010 & echo $!; wait'], { detached: true, reject: false, buffer: false });
    const grandchild = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    assert.ok(isAlive(grandchild));
    await killGroup(child.pid!, 'SIGKILL');
    await child;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(isAlive(grandchild), false);
  });

  it('does nothing, and spawns nothing, for a group that is already gone (even without ps on PATH)', async () => {
    const child = execa('true', [], { detached: true });
    await child;
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await killGroup(child.pid!, 'SIGTERM');
    } finally {
      process.env.PATH = path;
    }
  });
});
