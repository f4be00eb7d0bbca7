/** What a lock was learned with (Xen, QEMU, memory, dom0_mem, options, image size), and which of them changed since. */
import * as z from 'zod/mini';
import '../util/zod-locale.js';

/** 1 GiB: far above any Dom0 image, below what a stand-in could be made of. */
export const MAX_IMAGE_BYTES = 2 ** 30;

export const LearnedWithSchema = z.strictObject({
  /** sha256 of the Xen image that booted. */
  xenSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** QEMU's version line; null when it could not be read. */
  qemu: z.nullable(z.string()),
  profile: z.string(),
  memory: z.string(),
  dom0Mem: z.string(),
  /** Xen's command line built from the options (a user dtb is named by `dtbSha256`). */
  xenBootargs: z.string(),
  dom0Bootargs: z.string(),
  loadAddr: z.string(),
  /** sha256 of the user's --dtb; null: Xen's tree was made from QEMU's own. */
  dtbSha256: z.nullable(z.string()),
  /** The image's size in bytes: recorded, and the stand-in's size for a probe boot, but no reason to relearn. */
  imageSize: z.int().check(z.gte(1), z.lte(MAX_IMAGE_BYTES)),
});

export type LearnedWith = z.infer<typeof LearnedWithSchema>;

/** One input that differs between the lock and this run. */
export interface InputChange {
  input: keyof LearnedWith;
  lock: string;
  now: string;
}

/** The inputs that decide Xen's layout: all but the image size (Xen's layout does not follow it; see README). */
export const DECIDING: readonly Exclude<keyof LearnedWith, 'imageSize'>[] = [
  'xenSha256',
  'qemu',
  'profile',
  'memory',
  'dom0Mem',
  'xenBootargs',
  'dom0Bootargs',
  'loadAddr',
  'dtbSha256',
];

const LABEL: Record<keyof LearnedWith, string> = {
  xenSha256: 'Xen image (sha256)',
  qemu: 'QEMU',
  profile: 'machine profile',
  memory: 'QEMU memory',
  dom0Mem: 'dom0_mem',
  xenBootargs: "Xen's command line",
  dom0Bootargs: "Dom0's command line",
  loadAddr: 'load address',
  dtbSha256: 'user dtb (sha256)',
  imageSize: 'image size',
};

const shownValue = (value: string | number | null): string => (value === null ? '(none)' : String(value));

/** The deciding inputs that differ; none for a lock that does not say (one of an older version: trusted, as it was). */
export function inputChanges(lock: LearnedWith | undefined, now: LearnedWith): InputChange[] {
  if (!lock) return [];
  // A QEMU whose version could not be read (either time) is not known to differ.
  const unknown = (key: keyof LearnedWith) => key === 'qemu' && (lock.qemu === null || now.qemu === null);
  return DECIDING.filter((key) => lock[key] !== now[key] && !unknown(key)).map((key) => ({
    input: key,
    lock: shownValue(lock[key]),
    now: shownValue(now[key]),
  }));
}

/** "dom0_mem 256M -> 512M; QEMU memory 4G -> 2G" (hashes shortened). */
export function describeChanges(changes: readonly InputChange[]): string {
  const short = (input: InputChange['input'], value: string) =>
    input.endsWith('Sha256') && value.length === 64 ? value.slice(0, 12) : value;
  return changes.map((c) => `${LABEL[c.input]} ${short(c.input, c.lock)} -> ${short(c.input, c.now)}`).join('; ');
}

/** Stable text of the deciding inputs: the key under which Xen's layout for them is remembered. */
export function decidingKey(inputs: LearnedWith): string {
  return JSON.stringify(DECIDING.map((key) => [key, inputs[key]]));
}
