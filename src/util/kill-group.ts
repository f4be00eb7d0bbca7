/** Stops a child and everything it started: the process group when the child leads one, else tree-kill. */
import treeKill from 'tree-kill';

/** Signals `pid`'s process group (children spawned `detached` lead their own); falls back to tree-kill. */
export function killGroup(pid: number, signal: NodeJS.Signals): Promise<void> {
  try {
    process.kill(-pid, signal);
    return Promise.resolve();
  } catch {
    return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
  }
}
