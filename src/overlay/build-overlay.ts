/** The overlay a build reads: one stable path per build folder, rewritten only when its text changes,
 *  so an incremental Zephyr build sees neither a new EXTRA_DTC_OVERLAY_FILE nor a new mtime. */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-write.js';
import { assertOwned } from './write.js';

/** `<build-dir>.overlay`: beside the build folder, so a pristine build cannot wipe it. */
export const buildOverlayPath = (buildDir: string): string => `${buildDir.replace(/\/+$/, '')}.overlay`;

/** `<build-dir>.conf`: the Kconfig fragment that goes with the build's overlay (EXTRA_CONF_FILE), beside it. */
export const buildConfPath = (buildDir: string): string => `${buildDir.replace(/\/+$/, '')}.conf`;

/** Writes `text` unless the file already holds it; never over a file the tool did not write. Returns whether it changed. */
export async function writeIfChanged(file: string, text: string, kind: 'overlay' | 'conf'): Promise<boolean> {
  await assertOwned(file, kind);
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === text) return false;
  await writeFileAtomic(file, text);
  return true;
}
