/** Writes a file atomically (temp file in the same folder, then rename), so readers never see half a file. */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

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

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const tmp = tempNameFor(file);
  try {
    await writeFile(tmp, data, { mode });
    await rename(tmp, file);
  } catch (error) {
    // The write's own error is the one to report, not a failed clean-up.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}
