/** One pass's boot: Xen's device tree for the built image, QEMU, and Dom0 watched when the layout matched the build. */
import { ToolError } from '../base/errors.js';
import type { Config } from '../config/load.js';
import { inspectImage } from '../image/inspect.js';
import type { BootJson } from '../report/report.js';
import type { LinePattern } from '../serial/line-pattern.js';
import type { Logger } from '../util/log.js';
import { diffLayouts } from '../xen/layout-diff.js';
import type { Layout } from '../xen/layout.js';
import type { BootRecord } from './boot.js';
import { preparedBootJson } from './boot-json.js';
import { bootWithRetry } from './boot-retry.js';
import type { Machine } from './inputs.js';
import { bootOptions, prepareBoot } from './prepare-boot.js';

export interface PassBootContext {
  config: Config;
  machine: Machine;
  log: Logger;
  success: LinePattern[];
  failure: LinePattern | null;
  onLine: (line: string) => void;
}

/** Boots `image` in the pass folder `dir`; Dom0 is watched only when Xen's layout is the one it was built with (or --observe-dom0). */
export async function bootPass(
  ctx: PassBootContext,
  imagePath: string,
  built: Layout,
  dir: string,
): Promise<{ record: BootRecord & { attempts: number }; json: BootJson; bootargs: string }> {
  const { config, machine } = ctx;
  // A build that left no image (or an empty one) failed, whatever its exit status said.
  const image = await inspectImage(imagePath, 'the built image').catch((error: unknown) => {
    if (!(error instanceof ToolError)) throw error;
    throw new ToolError('BUILD_FAILED', 'build', error.message, { cause: error });
  });
  const prepared = await prepareBoot(machine, config, image, dir);
  const spec = { success: ctx.success, failure: ctx.failure, timeoutMs: config.dom0Timeout * 1000 };
  const record = await bootWithRetry(
    {
      ...bootOptions(machine, config, prepared, image, dir),
      onLine: ctx.onLine,
      atHandover: (learned) => (diffLayouts(built, learned).length === 0 || config.observeDom0 ? spec : null),
    },
    ctx.log,
  );
  const json = preparedBootJson(prepared, record);
  ctx.log.info({ dir, stopReason: record.stopReason, dom0: record.dom0.status }, 'boot: pass booted');
  return { record, json, bootargs: prepared.bootargs };
}
