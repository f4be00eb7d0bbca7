/** One run at a time per project: a directory created atomically (mkdir) beside the overlay, holding the pid. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock at `dir` (stale locks of dead processes are taken over); returns the release function. */
export async function acquireRunLock(dir: string, what: string): Promise<() => Promise<void>> {
  await mkdir(path.dirname(dir), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await mkdir(dir);
      await writeFile(path.join(dir, 'pid'), `${process.pid}\n`);
      return () => rm(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path.join(dir, 'pid'), 'utf8').catch(() => '')).trim());
      if (pid > 0 && alive(pid)) {
        throw new ToolError(
          'USAGE',
          'config',
          `${what} is in use by another xen-dom0-boot run (pid ${pid}, lock ${dir}); wait for it to finish`,
        );
      }
      if (!pid) await new Promise((resolve) => setTimeout(resolve, 100));
      // A dead run's lock (or one whose pid was never written): take it over.
      if (pid > 0 || attempt > 0) await rm(dir, { recursive: true, force: true });
    }
  }
  throw new ToolError('USAGE', 'config', `${what}: cannot take the run lock ${dir}`);
}
