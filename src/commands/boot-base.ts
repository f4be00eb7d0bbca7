/** The base devicetree (for Zephyr a CMake configure without the overlay) read beside the first layout and pass 1's build, never outliving the run. */
import path from 'node:path';
import type { BuildSetup } from '../build/select.js';
import { devicetreeTargets } from '../build/targets.js';
import type { Config } from '../config/load.js';
import type { DtTargets } from '../devicetree/targets.js';
import type { Run } from '../run/run.js';
import { stopAllChildren } from '../util/children.js';
import { clearName } from '../util/fresh-file.js';

/** The base devicetree's targets, read in the background from now (its log: `<run>/base-devicetree.log`); timed in durations. */
export function baseTargets(run: Run, config: Config, setup: BuildSetup): Promise<DtTargets> {
  const t0 = performance.now();
  const logFile = path.join(run.runDir!, 'base-devicetree.log');
  // A new file: an earlier run's in a reused --out folder (or a link in its place) is removed, not appended to.
  const pending = clearName(logFile, { stage: 'build' })
    .then(() => devicetreeTargets(setup.builder, { buildDir: setup.buildDir, logFile, timeoutMs: config.buildTimeout * 1000 }))
    .then((targets) => {
      run.record.durations.baseDevicetreeMs = Math.round(performance.now() - t0);
      return targets;
    });
  // Awaited by pass 1's build, where a failure is reported; until then it must not count as unhandled.
  pending.catch(() => undefined);
  return pending;
}

/** Runs `work`; when it throws, the base devicetree's configure (still running beside it) is stopped first: it must not outlive the run. */
export async function stopBaseOnError<T>(pending: Promise<unknown>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await stopAllChildren();
    await pending.catch(() => undefined);
    throw error;
  }
}
