/** A real tmpfs for tests of full and read-only disks (mount needs root); `withTmpfs` always unmounts. */
import { closeSync, mkdirSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { tempDir } from './tmp.js';

const PAGE = 4096;

/** Fills the file system of `dir` to the last byte with `dir/filler`, then frees exactly `pages` pages. */
export function fillLeaving(dir: string, pages: number): void {
  const file = path.join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(PAGE, 0x5a);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  const size = statSync(file).size;
  truncateSync(file, Math.max(0, size - (size % PAGE) - pages * PAGE));
}

/** Runs `body` on a fresh tmpfs of `kb` KiB; `readOnly()` remounts it read-only. Unmounted after, whatever happens. */
export async function withTmpfs<T>(kb: number, body: (dir: string, readOnly: () => Promise<void>) => Promise<T>): Promise<T> {
  const dir = path.join(tempDir('tmpfs'), 'fs');
  mkdirSync(dir);
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir]);
  try {
    return await body(dir, async () => void (await execa('mount', ['-o', 'remount,ro', dir])));
  } finally {
    await execa('umount', [dir]).catch(() => execa('umount', ['-l', dir]));
  }
}
