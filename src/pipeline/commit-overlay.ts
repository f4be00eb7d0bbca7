/** The committed overlay and lock after a converged run: rewritten only when the layout or the overlay's body changed. */
import path from 'node:path';
import { TOOL } from '../base/version.js';
import type { DtTargets } from '../devicetree/targets.js';
import { decidingKey, type LearnedWith } from '../overlay/lock-inputs.js';
import { layoutFromLock, lockFor } from '../overlay/lock.js';
import { overlayBody, renderOverlay } from '../overlay/render.js';
import { writeOverlayAndLock } from '../overlay/write.js';
import { readRegularFile } from '../util/read-regular.js';
import { diffLayouts } from '../xen/layout-diff.js';
import type { Layout } from '../xen/layout.js';
import type { LockState } from './boot-guards.js';

/**
 * A nightly run that confirms leaves the files alone (not even the dated header changes); a new
 * layout, a missing overlay or one of an older format is written with its lock, compare-and-swap
 * against the lock as first read; so is a lock learned with other deciding inputs, except by
 * `check` (which writes nothing unless the layout moved, and then only with --fix). True when written.
 */
export async function commitOverlay(
  overlay: string,
  lock: LockState,
  layout: Layout,
  targets: DtTargets | undefined,
  runDir: string,
  learned: { learnedWith: LearnedWith; checking: boolean },
): Promise<boolean> {
  const learnedAt = new Date().toISOString();
  const text = renderOverlay(layout, { toolVersion: TOOL.version, xenVersion: layout.xenVersion, learnedAt, run: runDir }, targets);
  const current = await readRegularFile(overlay).catch(() => null);
  const was = lock.lock?.learnedWith;
  const relearned = !learned.checking && (!was || decidingKey(was) !== decidingKey(learned.learnedWith));
  const moved =
    !lock.lock ||
    relearned ||
    diffLayouts(layoutFromLock(lock.lock), layout).length > 0 ||
    current === null ||
    overlayBody(current) !== overlayBody(text);
  if (!moved) return false;
  await writeOverlayAndLock(
    overlay,
    text,
    lock.text,
    lockFor(layout, {
      toolVersion: TOOL.version,
      learnedAt,
      run: runDir,
      overlay: path.basename(overlay),
      learnedWith: learned.learnedWith,
    }),
  );
  return true;
}
