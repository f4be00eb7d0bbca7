/** The run lock: who is alive (pure), one holder among many processes on a dead run's lock, released on exit. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { ToolError } from '../../src/base/errors.js';
import { judge, self, STALE_MS, type Owner, type Seen } from '../../src/util/lock-owner.js';
import { acquireRunLock } from '../../src/util/run-lock.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const me: Owner = { pid: 500, pidNs: 'pid:[1]', bootId: 'boot', start: '777', host: 'h', token: 'mine' };
const seen = (owner: Partial<Owner>, ageMs = 1000): Seen => ({ text: JSON.stringify(owner), owner, ageMs, ino: 1 });
const probe = (live: Record<number, string>) => ({ exists: (pid: number) => pid in live, start: (pid: number) => live[pid] ?? null });

describe('judge: is the run that holds a lock alive?', () => {
  const other = { pidNs: 'pid:[1]', bootId: 'boot', host: 'h', token: 'theirs' };

  it('in this pid namespace: exactly, by pid and start time, however old the lock', () => {
    assert.equal(judge(seen({ ...other, pid: 42, start: '9' }, 10 * STALE_MS), me, probe({ 42: '9' })).alive, true);
    assert.equal(judge(seen({ ...other, pid: 42, start: '9' }), me, probe({})).alive, false, 'pid gone');
    assert.equal(judge(seen({ ...other, pid: 42, start: '9' }), me, probe({ 42: '10' })).alive, false, 'pid reused');
  });

  it('from another pid namespace (a container, pid 1) or machine: by its heartbeat', () => {
    const container = { ...other, pidNs: 'pid:[2]', pid: 1, start: '5' };
    assert.equal(judge(seen(container, STALE_MS - 1000), me, probe({ 1: '1' })).alive, true);
    const verdict = judge(seen(container, STALE_MS + 1000), me, probe({ 1: '1' }));
    assert.equal(verdict.alive, false);
    assert.match(verdict.why, /pid 1 in another pid namespace stopped refreshing it 31 s ago/);
    assert.equal(judge(seen({ ...other, host: 'elsewhere', pid: 42 }, STALE_MS + 1), me, probe({ 42: '1' })).alive, false);
  });

  it("an older version's lock (a pid file): alive while the pid exists, is not ours, and the lock is young", () => {
    const legacy = (pid: number | undefined, ageMs: number): Seen => ({
      text: String(pid ?? ''),
      owner: pid ? { pid } : {},
      ageMs,
      ino: 1,
    });
    assert.equal(judge(legacy(42, 1000), me, probe({ 42: '1' })).alive, true);
    assert.equal(judge(legacy(1, STALE_MS + 1), me, probe({ 1: '1' })).alive, false, 'pid 1 of a container, long ago');
    assert.equal(judge(legacy(500, 1000), me, probe({ 500: '777' })).alive, false, "our own pid: another namespace's run");
    assert.equal(judge(legacy(42, 1000), me, probe({})).alive, false);
    assert.equal(judge(legacy(undefined, 1000), me, probe({})).alive, true, 'being written');
    assert.equal(judge(legacy(undefined, STALE_MS + 1), me, probe({})).alive, false);
  });
});

/** A process that takes the lock, marks that it runs for 300 ms, and logs what happened. */
function holderScript(dir: string): string {
  const file = path.join(dir, 'holder.mts');
  writeFileSync(
    file,
    `import { appendFileSync, mkdirSync, rmdirSync } from 'node:fs';
import { acquireRunLock } from ${JSON.stringify(path.join(ROOT, 'src', 'util', 'run-lock.ts'))};
const [lock, inside, log] = process.argv.slice(2);
try {
  const release = await acquireRunLock(lock, 'the project');
  try { mkdirSync(inside); } catch { appendFileSync(log, 'overlap\\n'); }
  await new Promise((r) => setTimeout(r, 300));
  try { rmdirSync(inside); } catch {}
  await release();
  appendFileSync(log, 'ran\\n');
} catch (error) {
  appendFileSync(log, (error.code ?? error.message) + '\\n');
}
`,
  );
  return file;
}

async function sevenAtOnce(dir: string, lock: string): Promise<string[]> {
  const script = holderScript(dir);
  const log = path.join(dir, 'log');
  await Promise.all(
    Array.from({ length: 7 }, () =>
      execa(process.execPath, ['--import', 'tsx', script, lock, path.join(dir, 'inside'), log], { cwd: ROOT }),
    ),
  );
  return readFileSync(log, 'utf8').split('\n').filter(Boolean).sort();
}

describe('acquireRunLock', () => {
  it('refuses while another live run holds it (RUN_LOCKED), and takes it once released', async () => {
    const lock = path.join(tempDir('lock'), 'app.overlay.run-lock');
    const release = await acquireRunLock(lock, 'the project');
    const owner = JSON.parse(readFileSync(path.join(lock, 'owner.json'), 'utf8')) as Owner;
    assert.equal(owner.token, self().token);
    const child = await execa(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('${path.join(ROOT, 'src', 'util', 'run-lock.ts')}').then((m) => m.acquireRunLock(${JSON.stringify(lock)}, 'the project')).catch((e) => { console.log(e.code, e.message); })`,
      ],
      { cwd: ROOT },
    );
    assert.match(
      child.stdout,
      /^RUN_LOCKED the project is in use by another xen-dom0-boot run \(pid \d+, lock .*\); wait for it to finish/,
    );
    await release();
    assert.equal(existsSync(lock), false);
    await (
      await acquireRunLock(lock, 'the project')
    )();
  });

  it("seven processes on a dead run's lock (pid gone): exactly one runs at a time", async () => {
    const dir = tempDir('lock-stale');
    const lock = path.join(dir, 'app.overlay.run-lock');
    mkdirSync(lock);
    writeFileSync(path.join(lock, 'pid'), `${spawnSync('true').pid}\n`);
    const log = await sevenAtOnce(dir, lock);
    assert.ok(!log.includes('overlap'), log.join(' '));
    assert.ok(log.includes('ran'), log.join(' '));
    assert.deepEqual(new Set(log), new Set(log.includes('RUN_LOCKED') ? ['ran', 'RUN_LOCKED'] : ['ran']));
    assert.equal(existsSync(lock), false, 'released');
  });

  it('seven processes on a lock left by a container run (pid 1, another pid namespace, not refreshed): one runs at a time', async () => {
    const dir = tempDir('lock-ns');
    const lock = path.join(dir, 'app.overlay.run-lock');
    mkdirSync(lock);
    const owner = path.join(lock, 'owner.json');
    writeFileSync(owner, JSON.stringify({ ...self(), pid: 1, pidNs: 'pid:[4026530001]', token: 'container' }));
    const old = new Date(Date.now() - 2 * STALE_MS);
    utimesSync(owner, old, old);
    const log = await sevenAtOnce(dir, lock);
    assert.ok(!log.includes('overlap') && log.includes('ran'), log.join(' '));
    assert.ok(
      log.every((l) => l === 'ran' || l === 'RUN_LOCKED'),
      log.join(' '),
    );
  });

  it('a run that exits on SIGTERM (process.exit) leaves no lock behind', async () => {
    const lock = path.join(tempDir('lock-exit'), 'app.overlay.run-lock');
    const child = execa(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `process.on('SIGTERM', () => process.exit(130));
import('${path.join(ROOT, 'src', 'util', 'run-lock.ts')}').then((m) => m.acquireRunLock(${JSON.stringify(lock)}, 'p')).then(() => { console.log('held'); setInterval(() => {}, 1000); });`,
      ],
      { cwd: ROOT, reject: false },
    );
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    assert.ok(existsSync(lock));
    child.kill('SIGTERM');
    assert.equal((await child).exitCode, 130);
    assert.equal(existsSync(lock), false);
  });

  it('a folder it cannot write is a clear error naming the lock, not INTERNAL', async () => {
    const file = path.join(tempDir('lock-file'), 'not-a-folder');
    writeFileSync(file, '');
    await assert.rejects(acquireRunLock(path.join(file, 'x.run-lock'), 'the project'), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'OUTPUT_WRITE_FAILED');
      assert.match(error.message, /x\.run-lock: cannot write: a part of its path is a file/);
      return true;
    });
  });
});
