/** One drift combination: its own folder, Xen's device tree for its memory and dom0_mem, one boot, one row. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { toToolError } from '../base/errors.js';
import type { Config } from '../config/load.js';
import type { ImageInfo } from '../image/inspect.js';
import type { DriftRow } from '../report/drift-records.js';
import type { Logger } from '../util/log.js';
import { layoutToJson } from '../xen/layout-json.js';
import { bootWithRetry } from './boot-retry.js';
import type { Combo } from './drift-matrix.js';
import type { Machine } from './inputs.js';
import { bootOptions, prepareBoot } from './prepare-boot.js';

/** Never throws: a combination that fails is a row with its failure. */
export async function bootCombo(
  combo: Combo,
  parts: { config: Config; machine: Machine; image: ImageInfo; runDir: string; log: Logger },
): Promise<DriftRow> {
  const { config, image, log } = parts;
  const dir = path.join(parts.runDir, `combo-${String(combo.index + 1).padStart(2, '0')}`);
  const machine = { ...parts.machine, xen: combo.xen, memory: combo.memory };
  try {
    await mkdir(dir, { recursive: true });
    const comboConfig = { ...config, dom0Mem: combo.dom0Mem, xenArgs: [config.xenArgs, combo.xenArgs].filter(Boolean).join(' ') };
    const prepared = await prepareBoot(machine, comboConfig, image, dir);
    const record = await bootWithRetry(bootOptions(machine, config, prepared, image, dir), log);
    const failure = record.failure;
    return {
      combo,
      layout: layoutToJson(record.layout),
      failure: failure
        ? {
            code: failure.code,
            stage: failure.stage,
            message: failure.message,
            ...(failure.details.serialTail ? { serialTail: failure.details.serialTail } : {}),
          }
        : null,
      runDir: dir,
      bootMs: record.durations.qemuLifetimeMs,
      handoverMs: record.durations.qemuStartToHandoverMs,
    };
  } catch (error) {
    const failure = toToolError(error);
    return {
      combo,
      layout: null,
      failure: { code: failure.code, stage: failure.stage, message: failure.message },
      runDir: dir,
      bootMs: null,
      handoverMs: null,
    };
  }
}
