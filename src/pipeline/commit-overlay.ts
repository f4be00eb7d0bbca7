/** The committed overlay and lock after a converged run: rewritten only when the layout or the overlay's body changed. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TOOL } from '../base/version.js';
import type { DtTargets } from '../devicetree/targets.js';
import { layoutFromLock, lockFor } from '../overlay/lock.js';
import { overlayBody, renderOverlay } from '../overlay/render.js';
import { writeOverlayAndLock } from '../overlay/write.js';
import { diffLayouts } from '../xen/layout-diff.js';
import type { Layout } from '../xen/layout.js';
import type { LockState } from './boot-guards.js';

/**
 * A nightly run that confirms leaves the files alone (not even the dated header changes); a new
 * layout, a missing overlay or one of an older format is written with its lock, compare-and-swap
 * against the lock as first read. True when they were written.
 */
export async function commitOverlay(
  overlay: string,
  lock: LockState,
  layout: Layout,
  targets: DtTargets | undefined,
  runDir: string,
): Promise<boolean> {
  const learnedAt = new Date().toISOString();
  const text = renderOverlay(layout, { toolVersion: TOOL.version, xenVersion: layout.xenVersion, learnedAt, run: runDir }, targets);
  const current = await readFile(overlay, 'utf8').catch(() => null);
  const moved =
    !lock.lock ||
    diffLayouts(layoutFromLock(lock.lock), layout).length > 0 ||
    current === null ||
    overlayBody(current) !== overlayBody(text);
  if (!moved) return false;
  await writeOverlayAndLock(
    overlay,
    text,
    lock.text,
    lockFor(layout, { toolVersion: TOOL.version, learnedAt, run: runDir, overlay: path.basename(overlay) }),
  );
  return true;
}
