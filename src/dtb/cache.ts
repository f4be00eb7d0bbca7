/**
 * Cache of device trees in .cache/dtb/: QEMU's dumped tree per QEMU binary and machine arguments,
 * and the finished xen.dtb (with its .dts) per tree and /chosen spec. A boot then copies files
 * instead of starting QEMU to dump its tree and running fdtput and dtc again.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR } from '../base/paths.js';
import { tempNameFor } from '../util/atomic-write.js';
import { copyFresh } from '../util/fresh-file.js';

export const DTB_CACHE = path.join(CACHE_DIR, 'dtb');

/** Keys that change when the QEMU binary (path, size, mtime) or anything in their `parts` does; one stat for all. */
export async function cacheKeys(qemu: string, parts: unknown[]): Promise<string[]> {
  const info = await stat(qemu);
  const identity = { qemu: path.resolve(qemu), size: info.size, mtime: info.mtimeMs };
  return parts.map((part) =>
    createHash('sha256')
      .update(JSON.stringify({ ...identity, parts: part }, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v)))
      .digest('hex')
      .slice(0, 32),
  );
}

/** Copies the cached `name` for `key` to `dest` as a new file (a link at `dest` is replaced, never followed); false on a miss. */
export async function fromCache(key: string, name: string, dest: string): Promise<boolean> {
  try {
    await copyFresh(path.join(DTB_CACHE, key, name), dest);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stores `file` as `name` under `key`, atomically: parallel boots may store the same entry. The
 * cache only saves time, so a failure to store is not the run's failure: it returns false.
 */
export async function toCache(key: string, name: string, file: string): Promise<boolean> {
  const target = path.join(DTB_CACHE, key, name);
  const tmp = tempNameFor(target);
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(file, tmp);
    await rename(tmp, target);
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
    return false;
  }
}
