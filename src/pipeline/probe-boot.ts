/** A probe boot: Xen with a stand-in image, stopped at the hand-over, for the layout before anything is built. */
import type { Config } from '../config/load.js';
import type { ImageInfo } from '../image/inspect.js';
import type { BootJson } from '../report/report.js';
import type { Logger } from '../util/log.js';
import type { BootRecord } from './boot.js';
import { preparedBootJson } from './boot-json.js';
import { bootWithRetry } from './boot-retry.js';
import type { Machine } from './inputs.js';
import { bootOptions, prepareBoot } from './prepare-boot.js';

export interface ProbeContext {
  config: Config;
  machine: Machine;
  log: Logger;
  onLine: (line: string) => void;
}

/** Boots `image` in `dir` until Xen hands over to it (Dom0 is not watched); QEMU is stopped before this returns. */
export async function probeBoot(ctx: ProbeContext, image: ImageInfo, dir: string): Promise<{ record: BootRecord; json: BootJson }> {
  const prepared = await prepareBoot(ctx.machine, ctx.config, image, dir);
  const record = await bootWithRetry({ ...bootOptions(ctx.machine, ctx.config, prepared, image, dir), onLine: ctx.onLine }, ctx.log);
  const json = preparedBootJson(prepared, record);
  ctx.log.info({ dir, stopReason: record.stopReason, failure: record.failure?.code ?? null }, 'boot: probe booted');
  return { record, json };
}
