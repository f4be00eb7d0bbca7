/** Writes files atomically (temp file in the same folder, then rename), so readers never see half a file; and several files together or not at all. */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Stage } from '../base/errors.js';
import { writeFailure } from './write-error.js';

let written = 0;

/**
 * A temporary name beside `file` that no other write uses: a counter tells apart writes of one
 * process (drift boots in parallel, so two writes of the same file can start in the same
 * millisecond), the pid and random bytes tell processes apart (containers sharing a cache may
 * all be pid 1).
 */
export function tempNameFor(file: string): string {
  written += 1;
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${written}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `file` whole or not at all. The rename replaces whatever is at `file`, a symbolic link
 * included, and never writes through it. A failure is OUTPUT_WRITE_FAILED naming the file
 * (`label.what`, e.g. "--junit", goes before it).
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode?: number,
  label: { what?: string; stage?: Stage } = {},
): Promise<void> {
  const tmp = tempNameFor(file);
  try {
    // wx: the temporary name is new; an existing file or link there is never written through.
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await rename(tmp, file);
  } catch (error) {
    // The write's own error is the one to report, not a failed clean-up.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw writeFailure(error, file, label);
  }
}

/** The old file kept under a backup name: a hard link (no space needed), else a copy; null when there was no file. */
async function keepOld(file: string): Promise<string | null> {
  const backup = tempNameFor(file);
  try {
    await link(file, backup);
    return backup;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // A file system without hard links: a copy instead.
    await copyFile(file, backup, constants.COPYFILE_EXCL);
    return backup;
  }
}

/**
 * Writes several files so that they change together or not at all. Every new text goes to a
 * temporary file first (a full or read-only disk fails there, before anything changed); the old
 * files are kept under backup names; then each temporary file is renamed into place, and if a
 * rename fails, the files already replaced get their old text back (or are removed, where there
 * was none). A failure is OUTPUT_WRITE_FAILED naming the file that could not be written.
 */
export async function writeFilesAtomic(
  files: ReadonlyArray<{ file: string; data: string | Uint8Array }>,
  label: { what?: string; stage?: Stage } = {},
): Promise<void> {
  const temps: string[] = [];
  const backups: Array<string | null> = [];
  const replaced: number[] = [];
  let current = files[0]?.file ?? '';
  try {
    for (const { file, data } of files) {
      current = file;
      const tmp = tempNameFor(file);
      temps.push(tmp);
      await writeFile(tmp, data, { flag: 'wx' });
    }
    for (const { file } of files) {
      current = file;
      backups.push(await keepOld(file));
    }
    for (const [i, { file }] of files.entries()) {
      current = file;
      await rename(temps[i]!, file);
      replaced.push(i);
    }
  } catch (error) {
    for (const i of replaced.reverse()) {
      const { file } = files[i]!;
      const backup = backups[i];
      await (backup ? rename(backup, file) : unlink(file)).catch(() => undefined);
    }
    await Promise.all([...temps, ...backups].map((f) => (f ? rm(f, { force: true }).catch(() => undefined) : undefined)));
    throw writeFailure(error, current, label);
  }
  await Promise.all(backups.map((f) => (f ? rm(f, { force: true }).catch(() => undefined) : undefined)));
}
