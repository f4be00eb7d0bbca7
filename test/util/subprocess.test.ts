/** The process core: one result shape, one termination reason, nothing of a child's group left behind. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopAllChildren } from '../../src/util/children.js';
import { spawnSubprocess } from '../../src/util/subprocess.js';
import { isAlive } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs `script` under sh; resolves with the pid it prints first (a background job's). */
function withJob(script: string, options: Parameters<typeof spawnSubprocess>[2] = {}) {
  const child = spawnSubprocess('sh', ['-c', script], { output: 'stream', ...options });
  const job = new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).split('\n')[0]))));
  return { child, job };
}

describe('spawnSubprocess', () => {
  it('gives one result shape for success: exited, code 0, output kept', async () => {
    const result = await spawnSubprocess('sh', ['-c', 'echo out; echo err >&2'], { output: 'buffer' }).result;
    assert.equal(result.termination, 'exited');
    assert.equal(result.exitCode, 0);
    assert.equal(result.failed, false);
    assert.deepEqual([result.stdout, result.stderr], ['out\n', 'err\n']);
    assert.deepEqual(result.command, ['sh', '-c', 'echo out; echo err >&2']);
    assert.ok(result.pid! > 0);
  });

  it('and the same shape for failure: exited with its code, failed', async () => {
    const result = await spawnSubprocess('sh', ['-c', 'echo bad >&2; exit 3'], { output: 'buffer' }).result;
    assert.deepEqual([result.termination, result.exitCode, result.failed, result.stderr], ['exited', 3, true, 'bad\n']);
  });

  it('records a child killed by a signal it did not get from us as signaled', async () => {
    const result = await spawnSubprocess('sh', ['-c', 'kill -TERM $$']).result;
    assert.deepEqual([result.termination, result.signal, result.failed], ['signaled', 'SIGTERM', true]);
  });

  it('knows a missing or non-executable command before spawning: spawn-failed with its errno', async () => {
    const missing = await spawnSubprocess('no-such-command-xdb', []).result;
    assert.deepEqual([missing.termination, missing.spawnError, missing.pid, missing.failed], ['spawn-failed', 'ENOENT', null, true]);
    const file = path.join(tempDir('core'), 'not-executable');
    writeFileSync(file, 'echo hi\n', { mode: 0o644 });
    const denied = await spawnSubprocess(file, []).result;
    assert.deepEqual([denied.termination, denied.spawnError], ['spawn-failed', 'EACCES']);
  });

  it('runs a relative command from its cwd', async () => {
    const dir = tempDir('core');
    writeFileSync(path.join(dir, 'tool.sh'), '#!/bin/sh\necho here\n', { mode: 0o755 });
    const result = await spawnSubprocess('./tool.sh', [], { cwd: dir, output: 'buffer' }).result;
    assert.deepEqual([result.termination, result.stdout], ['exited', 'here\n']);
  });

  it('stops the whole group at the deadline: timeout, even when the child ignores SIGTERM', async () => {
    const { child, job } = withJob("trap '' TERM; sleep 3101 & echo $!; wait", { timeoutMs: 300, graceMs: 200 });
    const grandchild = await job;
    const result = await child.result;
    assert.equal(result.termination, 'timeout');
    assert.ok(result.durationMs < 2000, `took ${result.durationMs} ms`);
    await sleep(50);
    assert.equal(isAlive(grandchild), false);
  });

  it("records the caller's abort as aborted, and the run's end as parent-gone", async () => {
    const controller = new AbortController();
    const a = spawnSubprocess('sleep', ['3102'], { signal: controller.signal });
    controller.abort();
    assert.equal((await a.result).termination, 'aborted');
    const b = spawnSubprocess('sleep', ['3103']);
    await sleep(50);
    await stopAllChildren();
    assert.equal((await b.result).termination, 'parent-gone');
    const c = spawnSubprocess('sleep', ['3104']);
    assert.equal((await c.stop()).termination, 'aborted');
    assert.equal(await c.stop(), await c.result, 'a second stop gives the same result');
  });

  it('kills what a successful child left in its group', async () => {
    const { child, job } = withJob('(sleep 3105) >/dev/null 2>&1 & echo $!');
    const leftover = await job;
    const result = await child.result;
    assert.deepEqual([result.termination, result.exitCode], ['exited', 0]);
    await sleep(50);
    assert.equal(isAlive(leftover), false);
  });

  it('does not wait for a descendant that holds its output (drain)', async () => {
    const { child, job } = withJob('setsid sleep 3106 & echo $!', { drainMs: 200 });
    const escaped = await job;
    const t0 = performance.now();
    const result = await child.result;
    assert.equal(result.termination, 'exited');
    assert.ok(performance.now() - t0 < 1500, `waited ${Math.round(performance.now() - t0)} ms for the pipe`);
    process.kill(escaped, 'SIGKILL'); // it left the group (setsid): only the pipe was ours to drop
  });

  it('bounds buffered output', async () => {
    const result = await spawnSubprocess('sh', ['-c', 'head -c 100000 /dev/zero'], { output: 'buffer', maxBuffer: 1000 }).result;
    assert.deepEqual([result.termination, result.stdout.length], ['exited', 1000]);
  });
});
