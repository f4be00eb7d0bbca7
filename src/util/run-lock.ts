/**
 * One run at a time per project: a lock folder beside the overlay, put in place atomically
 * (rename of a folder that already holds its owner), judged stale exactly where the owner's
 * process can be seen (same pid namespace: its pid and start time) and by its heartbeat where it
 * cannot (another container or machine), and taken over by one run only. Released on every way
 * out of the process that runs 'exit' handlers, SIGINT and SIGTERM included.
 *
 * Not proper-lockfile: its stale takeover (rmdir, then mkdir) lets two runs that both saw a stale
 * lock both take it (moxystudio/node-proper-lockfile#121), which is the bug this module fixes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { judge, self, type Owner, type Seen } from './lock-owner.js';
import { makeDirs } from './fresh-file.js';
import { writeFailure } from './write-error.js';

/** How often a holder refreshes its lock's time, for runs that cannot see its process (another pid namespace). */
export const HEARTBEAT_MS = 5_000;

const OWNER = 'owner.json';
const LEGACY_PID = 'pid';
const CLAIM = 'claim';

/** The lock (or claim) folder at `dir` as it is now; null when there is none. */
export async function inspect(dir: string): Promise<Seen | null> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    return null;
  }
  const ownerFile = path.join(dir, OWNER);
  const text = await readFile(ownerFile, 'utf8').catch(() => null);
  if (text !== null) {
    let owner: Partial<Owner> = {};
    try {
      owner = JSON.parse(text) as Partial<Owner>;
    } catch {
      owner = {};
    }
    const mtime = (await stat(ownerFile).catch(() => info)).mtimeMs;
    return { text, owner, ageMs: Date.now() - mtime, ino: info.ino };
  }
  const legacy = (await readFile(path.join(dir, LEGACY_PID), 'utf8').catch(() => '')).trim();
  return { text: legacy, owner: legacy ? { pid: Number(legacy) } : {}, ageMs: Date.now() - info.mtimeMs, ino: info.ino };
}

const same = (a: Seen | null, b: Seen): boolean => a !== null && a.ino === b.ino && a.text === b.text;

/**
 * A folder at the lock's path that holds anything but a lock's own files is the user's, not a
 * dead run's lock: never taken over (which deletes it), refused.
 */
async function assertLockFolder(dir: string, what: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const foreign = entries.filter((e) => e !== OWNER && e !== LEGACY_PID && e !== CLAIM);
  if (foreign.length > 0) {
    throw new ToolError(
      'OUTPUT_NOT_OURS',
      'config',
      `${what}: ${dir} exists and is not a run lock of xen-dom0-boot (it holds ${foreign.slice(0, 3).join(', ')}); move it away`,
    );
  }
}

/** A folder beside `dir` that already holds this process's owner file, ready to be renamed into place. */
async function staged(dir: string): Promise<string> {
  const tmp = await mkdtemp(`${dir}.new-`);
  await writeFile(path.join(tmp, OWNER), `${JSON.stringify(self())}\n`, { flag: 'wx' });
  return tmp;
}

/** Puts a staged folder at `target`: true when it is now ours, false when another's is there. */
async function place(dir: string, target: string): Promise<boolean> {
  const tmp = await staged(dir);
  try {
    // rename(2) of a folder onto a non-empty folder fails: only one run can put its owner there.
    await rename(tmp, target);
    return true;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Removes the stale lock (or dead claim) `dir` that was `seen`, if this run wins the claim on it:
 * a claim folder put inside it, which only one run can place. The winner checks that `dir` is
 * still the folder it judged, then moves it aside and deletes it. Losers return 'busy' (another
 * run is taking it over); a dead claim is itself taken over first.
 */
async function takeOver(dir: string, seen: Seen, depth = 0): Promise<'removed' | 'busy' | 'changed'> {
  const claim = path.join(dir, CLAIM);
  if (!(await place(dir, claim))) {
    const claimant = await inspect(claim);
    if (claimant && !judge(claimant, self()).alive && depth < 3) await takeOver(claim, claimant, depth + 1);
    return 'busy';
  }
  if (!same(await inspect(dir), seen)) {
    // Not the folder judged stale any more: leave it (and its owner) alone, but take our claim back out.
    if ((await inspect(claim))?.owner.token === self().token) await rm(claim, { recursive: true, force: true });
    return 'changed';
  }
  const grave = `${dir}.stale-${self().token}-${randomBytes(4).toString('hex')}`;
  await rename(dir, grave);
  await rm(grave, { recursive: true, force: true });
  return 'removed';
}

interface Held {
  dir: string;
  timer: NodeJS.Timeout;
  /** Where the lock was renamed to on release, until it is removed. */
  grave?: string;
}
const held = new Set<Held>();

/** Removes every lock this process holds, synchronously: the process is exiting (a signal, process.exit). */
function releaseAllSync(): void {
  for (const lock of held) {
    clearInterval(lock.timer);
    if (lock.grave) rmSync(lock.grave, { recursive: true, force: true });
    let text = '';
    try {
      text = readFileSync(path.join(lock.dir, OWNER), 'utf8');
    } catch {
      // gone already
    }
    if (text.includes(self().token)) rmSync(lock.dir, { recursive: true, force: true });
  }
  held.clear();
}
let exitHook = false;

/** Removes `lock` if it is still this run's (after a takeover of a run judged dead, it may be another's). */
async function release(lock: Held): Promise<void> {
  clearInterval(lock.timer);
  // Held until it is gone: a process that exits mid-release (a signal) still removes it on 'exit'.
  const seen = await inspect(lock.dir);
  if (seen?.owner.token !== self().token) return void held.delete(lock);
  const grave = `${lock.dir}.released-${self().token}-${randomBytes(4).toString('hex')}`;
  lock.grave = grave;
  await rename(lock.dir, grave).catch(() => undefined);
  await rm(grave, { recursive: true, force: true });
  held.delete(lock);
}

/** Takes the lock at `dir` (a dead run's lock is taken over by one run only); returns the release function. */
export async function acquireRunLock(dir: string, what: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + 10_000;
  try {
    await makeDirs(path.dirname(dir));
    while (Date.now() < deadline) {
      if (await place(dir, dir)) {
        const lock: Held = {
          dir,
          // The heartbeat other namespaces judge this lock by; unref: it never keeps the process alive.
          timer: setInterval(() => {
            const now = new Date();
            void utimes(path.join(dir, OWNER), now, now).catch(() => undefined);
          }, HEARTBEAT_MS).unref(),
        };
        held.add(lock);
        if (!exitHook) {
          exitHook = true;
          process.once('exit', releaseAllSync);
        }
        return () => release(lock);
      }
      const seen = await inspect(dir);
      if (!seen) continue;
      await assertLockFolder(dir, what);
      const verdict = judge(seen, self());
      if (verdict.alive) {
        throw new ToolError(
          'RUN_LOCKED',
          'config',
          `${what} is in use by another xen-dom0-boot run (${verdict.why}, lock ${dir}); wait for it to finish`,
        );
      }
      // A dead run's lock: one run removes it, the others wait and look again.
      if ((await takeOver(dir, seen)) === 'busy') await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
    }
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw writeFailure(error, dir, { what: `${what}: run lock`, stage: 'config' });
  }
  throw new ToolError('RUN_LOCKED', 'config', `${what}: cannot take the run lock ${dir}: other runs kept taking it over; try again`);
}
