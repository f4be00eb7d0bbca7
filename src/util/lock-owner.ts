/**
 * Who holds a run lock, and whether that run is still alive: exactly where its process can be
 * seen (the same pid namespace: its pid with the start time it recorded), by the lock's heartbeat
 * where it cannot (another container or machine).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** A lock from another pid namespace or machine not refreshed for this long is a dead run's. */
export const STALE_MS = 30_000;

/** Who holds a lock: enough to tell, from any process, whether that run is still alive. */
export interface Owner {
  pid: number;
  /** `/proc/self/ns/pid` (e.g. `pid:[4026531836]`): pids compare only within one namespace. */
  pidNs: string | null;
  /** The kernel's boot id: the same namespace id after a reboot is another namespace. */
  bootId: string | null;
  /** The process's start time in clock ticks (`/proc/<pid>/stat` field 22): a reused pid is another process. */
  start: string | null;
  host: string;
  /** Tells this holder's lock from any other, even one of the same pid. */
  token: string;
}

/** A lock (or claim) folder as found on disk. */
export interface Seen {
  /** The owner file's text (new format), or the legacy `pid` file's; '' when neither was written yet. */
  text: string;
  owner: Partial<Owner>;
  /** Time since the owner file (or the folder) was last refreshed. */
  ageMs: number;
  ino: number;
}

/** A small /proc file's text, trimmed; null when it cannot be read. */
const readText = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};

/** The start time of process `pid` as the kernel counts it, or null when there is no such process (or no /proc). */
export function processStart(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  // Field 22; the command name (field 2) may hold spaces and parentheses, so count after its last ')'.
  return stat ? (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null) : null;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let me: Owner | null = null;
/** This process as a lock owner. */
export function self(): Owner {
  if (me) return me;
  let pidNs: string | null = null;
  try {
    pidNs = readlinkSync('/proc/self/ns/pid');
  } catch {
    pidNs = null;
  }
  me = {
    pid: process.pid,
    pidNs,
    bootId: readText('/proc/sys/kernel/random/boot_id'),
    start: processStart(process.pid),
    host: hostname(),
    token: randomBytes(8).toString('hex'),
  };
  return me;
}

/** How judge() looks at a process: injected, so its rules are tested without real processes. */
export interface Probe {
  exists(pid: number): boolean;
  start(pid: number): string | null;
}

const SYSTEM: Probe = { exists: pidExists, start: processStart };

/**
 * Pure given `probe`: whether the run that holds a lock is alive, and why not. In this pid
 * namespace (same boot) the answer is exact: its pid exists with the start time it recorded. A
 * lock from another namespace or machine is alive while its heartbeat is younger than STALE_MS. A
 * lock of an older version (only a `pid` file) is alive while that pid exists, is not ours, and
 * the lock is younger than STALE_MS (it had no heartbeat).
 */
export function judge(seen: Seen, me: Owner, probe: Probe = SYSTEM): { alive: boolean; why: string } {
  const { owner, ageMs } = seen;
  const pid = owner.pid;
  const age = `${Math.round(ageMs / 1000)} s`;
  if (!owner.token) {
    if (!pid) return ageMs < STALE_MS ? { alive: true, why: 'being taken' } : { alive: false, why: `empty for ${age}` };
    if (pid === me.pid) return { alive: false, why: `its pid ${pid} is this run's: left by a run in another pid namespace` };
    if (!probe.exists(pid)) return { alive: false, why: `pid ${pid} is gone` };
    return ageMs < STALE_MS
      ? { alive: true, why: `pid ${pid}` }
      : { alive: false, why: `pid ${pid} wrote it ${age} ago without refreshing it (an older version, or another pid namespace)` };
  }
  const here = me.pidNs !== null && owner.pidNs === me.pidNs && owner.bootId === me.bootId && owner.host === me.host;
  if (here && pid) {
    if (pid === me.pid && owner.token !== me.token) return { alive: false, why: `its pid ${pid} is this run's` };
    const start = probe.exists(pid) ? probe.start(pid) : null;
    if (start !== null && (owner.start === null || start === owner.start)) return { alive: true, why: `pid ${pid}` };
    return { alive: false, why: start === null ? `pid ${pid} is gone` : `pid ${pid} is another process now` };
  }
  const where = owner.host === me.host ? 'in another pid namespace' : `on ${owner.host}`;
  return ageMs < STALE_MS
    ? { alive: true, why: `pid ${pid} ${where}, refreshed ${age} ago; taken over when not refreshed for ${STALE_MS / 1000} s` }
    : { alive: false, why: `pid ${pid} ${where} stopped refreshing it ${age} ago` };
}
