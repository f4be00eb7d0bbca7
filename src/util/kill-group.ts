/** Stops a child and everything it started: the process group when the child leads one, else tree-kill. */
import treeKill from 'tree-kill';
import { which } from './which.js';

function killOne(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Signals `pid`'s process group (children spawned `detached` lead their own). A group that is
 * gone (ESRCH) needs nothing. Otherwise falls back to tree-kill, which needs `ps`; without it,
 * the process alone is signalled. Never throws, never emits an unhandled error.
 */
export function killGroup(pid: number, signal: NodeJS.Signals): Promise<void> {
  try {
    process.kill(-pid, signal);
    return Promise.resolve();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return Promise.resolve();
  }
  if (!which('ps')) {
    killOne(pid, signal);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    try {
      treeKill(pid, signal, () => resolve());
    } catch {
      killOne(pid, signal);
      resolve();
    }
  });
}
