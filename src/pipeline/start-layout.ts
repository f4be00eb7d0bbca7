/**
 * Where a boot's first layout comes from: the lock when it was learned with these inputs, else
 * what an earlier boot with the same inputs recorded (auto), else a probe boot with a stand-in
 * image, else the seed's placeholder. Any of them is only a first guess: the real image's boot decides.
 */
import type { ToolError } from '../base/errors.js';
import type { StartLayoutMode } from '../config/schema.js';
import { describeChanges, type InputChange } from '../overlay/lock-inputs.js';
import { layoutFromLock, type LockFile } from '../overlay/lock.js';
import { placeholderLayout } from '../overlay/placeholder.js';
import type { StartJson } from '../report/report.js';
import type { Layout } from '../xen/layout.js';
import type { ExpectedImage } from './stand-in.js';

export interface StartDeps {
  /** The layout recorded for these inputs, if any. */
  recall(): Promise<{ layout: Layout; record: LockFile; file: string } | null>;
  /** Boots the stand-in; `layout` is null when Xen failed with it. */
  probe(): Promise<{ layout: Layout | null; image: string; expected: ExpectedImage; boot: number | null; failure: ToolError | null }>;
}

/** The first layout and how it was obtained (report.json's `start`). */
export async function chooseStart(
  mode: StartLayoutMode,
  lock: LockFile | null,
  changes: InputChange[],
  deps: StartDeps,
): Promise<{ layout: Layout; json: StartJson }> {
  const base = { mode, lockChanges: changes, recorded: null, probe: null };
  if (lock && changes.length === 0) {
    const reason = lock.learnedWith
      ? 'the lock was learned with these inputs'
      : 'the lock does not say what it was learned with (older version)';
    return { layout: layoutFromLock(lock), json: { ...base, from: 'lock file', reason } };
  }
  const why = lock ? `the lock was learned with other inputs (${describeChanges(changes)})` : 'no lock file';
  if (mode === 'placeholder') {
    if (lock)
      return { layout: layoutFromLock(lock), json: { ...base, from: 'lock file', reason: `${why}; --start-layout placeholder keeps it` } };
    return { layout: placeholderLayout(), json: { ...base, from: 'placeholder', reason: `${why}; --start-layout placeholder` } };
  }
  if (mode === 'auto') {
    const recalled = await deps.recall();
    if (recalled) {
      const { learnedAt, run } = recalled.record;
      return {
        layout: recalled.layout,
        json: {
          ...base,
          from: 'recorded',
          reason: `${why}; a boot with the same inputs recorded it`,
          recorded: { file: recalled.file, learnedAt, run },
        },
      };
    }
  }
  const probed = await deps.probe();
  const probe = {
    image: probed.image,
    imageSize: probed.expected.size,
    sizeFrom: probed.expected.from,
    boot: probed.boot,
    failure: probed.failure ? { code: probed.failure.code, message: probed.failure.message } : null,
  };
  if (probed.layout) return { layout: probed.layout, json: { ...base, from: 'probe boot', reason: why, probe } };
  // Xen failed with the stand-in: the real image decides, from the lock or the placeholder, as without a probe.
  const fallback = `${why}; the probe boot failed (${probed.failure?.code ?? 'no layout'})`;
  if (lock) return { layout: layoutFromLock(lock), json: { ...base, from: 'lock file', reason: fallback, probe } };
  return { layout: placeholderLayout(), json: { ...base, from: 'placeholder', reason: fallback, probe } };
}
