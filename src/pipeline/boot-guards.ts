/** What `boot` and `check` refuse before anything is built: paths that are not the tool's, and a check with nothing to check. */
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { buildConfPath, buildOverlayPath } from '../overlay/build-overlay.js';
import { parseLock, type LockFile } from '../overlay/lock.js';
import { assertOwned, lockPathFor } from '../overlay/write.js';
import { readRegularFile } from '../util/read-regular.js';

/**
 * The build's own overlay and fragment beside the build folder must be the tool's (never a file of
 * yours at `<build-dir>.overlay` or `<build-dir>.conf`) and must not be the committed overlay; a
 * pristine build must not wipe a folder that holds the overlay or its lock.
 */
export async function assertBuildPaths(overlay: string, buildDir: string, pristine: boolean): Promise<void> {
  await assertOwned(overlay, 'overlay');
  await assertOwned(lockPathFor(overlay), 'lock');
  const buildOverlay = path.resolve(buildOverlayPath(buildDir));
  const confFile = path.resolve(buildConfPath(buildDir));
  if ([buildOverlay, confFile].includes(path.resolve(overlay))) {
    throw new ToolError(
      'USAGE',
      'config',
      `--overlay ${overlay} is the build's own copy beside --build-dir ${buildDir}: name another overlay or build folder`,
    );
  }
  const inside = path.relative(path.resolve(buildDir), path.resolve(overlay));
  if (pristine && !inside.startsWith('..') && !path.isAbsolute(inside)) {
    throw new ToolError(
      'USAGE',
      'config',
      `--pristine would empty --build-dir ${buildDir}, which holds the overlay ${overlay} and its lock: keep them outside the build folder`,
    );
  }
  await assertOwned(buildOverlay, 'overlay');
  await assertOwned(confFile, 'conf');
}

export interface LockState {
  file: string;
  /** The text as read: compared again before the lock is rewritten (compare-and-swap). */
  text: string | null;
  lock: LockFile | null;
}

/** Reads the lock once; `check` (without --fix) needs one, and the overlay it was written with. */
export async function readLockState(overlay: string, checking: boolean, fixing: boolean): Promise<LockState> {
  const file = lockPathFor(overlay);
  // assertBuildPaths has made sure it is absent or one of ours (a regular file: a FIFO would block the read).
  const text = await readRegularFile(file).catch(() => null);
  const lock = text === null ? null : parseLock(file, text);
  if (checking && !lock && !fixing) {
    throw new ToolError(
      'INPUT_NOT_FOUND',
      'config',
      `check: no lock file at ${file}; run \`xen-dom0-boot boot\` (or \`check --fix\`) first and commit the overlay and lock`,
    );
  }
  if (checking && !fixing && lock && (await readRegularFile(overlay).catch(() => null)) === null) {
    throw new ToolError(
      'OVERLAY_MISMATCH',
      'config',
      `check: the lock ${file} has no overlay beside it (${overlay} is missing); check builds with the committed overlay: restore it, or run \`xen-dom0-boot check --fix\` to regenerate both`,
    );
  }
  return { file, text, lock };
}
