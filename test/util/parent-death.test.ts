/** Nothing outlives the tool: SIGKILL of the tool (parent-death signal, group guard), SIGHUP, a closed stderr. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isAlive } from '../helpers/procs.js';

const HOST = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'core-host.ts');

/** Starts the host; resolves with it and the pids of its child (the group leader) and the child's background job. */
async function host(mode: 'quiet' | 'chatty' | 'bare'): Promise<{ tool: ChildProcess; pids: number[] }> {
  const tool = spawn(process.execPath, ['--import', 'tsx', HOST, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve) => tool.stdout!.once('data', (d: Buffer) => resolve(String(d))));
  const pids = line.trim().split(' ').map(Number);
  assert.equal(pids.length, mode === 'bare' ? 1 : 2);
  for (const pid of pids) assert.ok(isAlive(pid), `${pid} runs`);
  return { tool, pids };
}

const exit = (tool: ChildProcess): Promise<{ code: number | null; signal: string | null }> =>
  new Promise((resolve) => tool.once('exit', (code, signal) => resolve({ code, signal })));

async function allGone(pids: number[], ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (pids.some(isAlive) && Date.now() < end) await sleep(20);
  return !pids.some(isAlive);
}

describe('when the tool ends', () => {
  it("SIGKILL of the tool: the kernel's parent-death signal alone kills a child Node spawned under setpriv", async () => {
    const { tool, pids } = await host('bare');
    const ended = exit(tool);
    tool.kill('SIGKILL');
    await ended;
    assert.ok(await allGone(pids, 1000), `still running: ${pids.filter(isAlive).join(' ')}`);
  });

  it('SIGKILL of the tool: the kernel kills its child, the group guard the child’s own job', async () => {
    const { tool, pids } = await host('quiet');
    const ended = exit(tool);
    tool.kill('SIGKILL');
    assert.equal((await ended).signal, 'SIGKILL');
    assert.ok(await allGone(pids), `still running: ${pids.filter(isAlive).join(' ')}`);
  });

  it('SIGHUP: children stopped, exit 130', async () => {
    const { tool, pids } = await host('quiet');
    const ended = exit(tool);
    tool.kill('SIGHUP');
    assert.deepEqual(await ended, { code: 130, signal: null });
    assert.ok(await allGone(pids, 200));
  });

  it('a closed stderr (EPIPE): children stopped, exit 130 within a second, no spinning', async () => {
    const { tool, pids } = await host('chatty');
    const ended = exit(tool);
    await new Promise((resolve) => tool.stderr!.once('data', resolve));
    const t0 = performance.now();
    tool.stderr!.destroy();
    const result = await Promise.race([ended, sleep(3000).then(() => null)]);
    if (!result) tool.kill('SIGKILL');
    assert.deepEqual(result, { code: 130, signal: null });
    assert.ok(performance.now() - t0 < 1000, `exited ${Math.round(performance.now() - t0)} ms after the pipe closed`);
    assert.ok(await allGone(pids, 200));
  });
});
