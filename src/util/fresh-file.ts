/**
 * Files the tool (re)creates in a folder it owns: whatever is at the name (an old file, or a
 * symbolic link someone put there) is removed, never followed, and the file is created anew
 * with O_EXCL|O_NOFOLLOW, so no write lands on a link's target.
 */
import { constants, openSync, unlinkSync } from 'node:fs';
import { copyFile, mkdir, open, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Stage } from '../base/errors.js';
import { writeFailure } from './write-error.js';

/** A new file or nothing: a name that exists again (a link put back meanwhile) fails with EEXIST, never followed. */
export const FRESH_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

const gone = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** With a label, a failure is OUTPUT_WRITE_FAILED naming `file` (writeFailure); without, the raw error for the caller to name. */
type Label = { what?: string; stage?: Stage };
async function labelled(file: string, label: Label | undefined, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw label ? writeFailure(error, file, label) : error;
  }
}

/** Removes the file or link at `file` (a link's target is untouched); nothing there is fine; a folder there throws EISDIR. */
export async function clearName(file: string, label?: Label): Promise<void> {
  await labelled(file, label, () =>
    unlink(file).catch((error: unknown) => {
      if (!gone(error)) throw error;
    }),
  );
}

/** clearName, synchronously (for streams opened in a constructor). */
export function clearNameSync(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (!gone(error)) throw error;
  }
}

/** Opens `file` as a new, empty file for writing, after clearing its name. */
export function openFreshSync(file: string, mode = 0o644): number {
  clearNameSync(file);
  return openSync(file, FRESH_FLAGS, mode);
}

/** Writes `data` to `file` as a new file (not atomic: for files of the tool's own folders that readers do not poll). */
export async function writeFresh(file: string, data: string | Uint8Array, label?: Label): Promise<void> {
  await labelled(file, label, async () => {
    await clearName(file);
    const handle = await open(file, FRESH_FLAGS, 0o644);
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  });
}

/** Copies `source` to `dest` as a new file (COPYFILE_EXCL after clearing the name: a link at `dest` is replaced, not followed). */
export async function copyFresh(source: string, dest: string, label?: Label): Promise<void> {
  await labelled(dest, label, async () => {
    await clearName(dest);
    await copyFile(source, dest, constants.COPYFILE_EXCL);
  });
}

/**
 * mkdir -p whose failure is the real one: Node's recursive mkdir says ENOENT where a read-only or
 * full parent refused, and EEXIST where a part of the path is a file. Then each folder of the path
 * is made alone, so the kernel's own reason comes out (ENOTDIR for a file in the way).
 */
export async function makeDirs(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EEXIST') throw error;
    const full = path.resolve(dir);
    const parts = full.split(path.sep).filter(Boolean);
    for (let i = 1; i <= parts.length; i += 1) {
      const prefix = path.join(path.sep, ...parts.slice(0, i));
      const info = await stat(prefix).catch(() => null);
      if (!info)
        await mkdir(prefix).catch((raced: unknown) => {
          if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
        });
      else if (!info.isDirectory())
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${full}'`), { code: 'ENOTDIR', path: prefix, syscall: 'mkdir' });
    }
  }
}
