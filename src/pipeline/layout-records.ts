/**
 * Layouts earlier boots of the same Xen build learned, remembered in the cache per deciding inputs
 * (Xen's hash, QEMU, memory, dom0_mem, options): a first layout without a probe boot. Records are
 * lock files; the confirming boot still decides.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { LAYOUTS_DIR } from '../base/paths.js';
import { TOOL } from '../base/version.js';
import { decidingKey, type LearnedWith } from '../overlay/lock-inputs.js';
import { layoutFromLock, lockFor, parseLock, type LockFile } from '../overlay/lock.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readRegularFile } from '../util/read-regular.js';
import { missingFields, type Layout } from '../xen/layout.js';

/** Where the record for these inputs lives. */
export function recordFile(inputs: LearnedWith, dir = LAYOUTS_DIR): string {
  const key = createHash('sha256').update(decidingKey(inputs)).digest('hex').slice(0, 32);
  return path.join(dir, `${key}.json`);
}

/** The layout recorded for these inputs; null when none is, or the record is unreadable or for other inputs. */
export async function recallLayout(file: string, inputs: LearnedWith): Promise<{ layout: Layout; record: LockFile } | null> {
  try {
    // A FIFO or a device in the cache is no record: never read (it would block the run).
    const text = await readRegularFile(file);
    if (text === null) return null;
    const record = parseLock(file, text);
    if (!record.learnedWith || decidingKey(record.learnedWith) !== decidingKey(inputs)) return null;
    return { layout: layoutFromLock(record), record };
  } catch {
    return null;
  }
}

/** Remembers a complete layout for these inputs; a cache that cannot be written is no failure. */
export async function rememberLayout(file: string, inputs: LearnedWith, layout: Layout, run: string): Promise<void> {
  if (missingFields(layout).length > 0) return;
  const record = lockFor(layout, { toolVersion: TOOL.version, learnedAt: new Date().toISOString(), run, overlay: '', learnedWith: inputs });
  await mkdir(path.dirname(file), { recursive: true })
    .then(() => writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`))
    .catch(() => undefined);
}
