/** `drift`: boot one image once per combination of Xen, memory, dom0_mem and Xen args; tabulate the layouts. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Config } from '../config/load.js';
import { ToolError, toToolError } from '../base/errors.js';
import { inspectImage } from '../image/inspect.js';
import { ensureTestImage } from '../image/test-image.js';
import { createLogger } from '../util/log.js';
import { layoutToJson } from '../xen/layout-json.js';
import type { DriftRow } from '../report/drift-report.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { TOOL } from '../base/version.js';
import { NO_PROGRESS, type Progress } from '../report/progress.js';
import { bootWithRetry } from './boot-retry.js';
import { costliestFirst, expandMatrix, pool, type DriftMatrix } from './drift-matrix.js';
import { resolveMachine } from './inputs.js';
import { bootOptions, prepareBoot } from './prepare-boot.js';
import { prepareRunDir } from './run-dir.js';

export interface DriftResult {
  startedAt: string;
  rows: DriftRow[];
  runDir: string;
  jobs: number;
  wallMs: number;
}

export const defaultJobs = (): number => availableParallelism();

export async function runDrift(
  config: Config,
  matrix: DriftMatrix,
  options: { jobs?: number; verbose?: boolean; progress?: Progress } = {},
): Promise<DriftResult> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const combos = expandMatrix(matrix);
  for (const combo of combos) {
    if (!existsSync(combo.xen)) {
      const hint = /^\d+\.\d+$/.test(combo.xenLabel) ? `; run npm run setup -- --xen ${combo.xenLabel}` : '';
      throw new ToolError('INPUT_NOT_FOUND', 'config', `--xen ${combo.xenLabel}: no Xen at ${combo.xen}${hint}`);
    }
  }
  const machine = await resolveMachine({ ...config, xen: combos[0]!.xen });
  const image = await inspectImage(config.image ?? (await ensureTestImage()));
  const runDir = await prepareRunDir('drift', config.out);
  const log = createLogger({ level: config.logLevel, file: path.join(runDir, 'tool.log'), verbose: options.verbose });
  const jobs = Math.max(1, options.jobs ?? defaultJobs());
  log.info({ combos: combos.length, jobs, image: image.path }, 'drift: starting');
  const progress = options.progress ?? NO_PROGRESS;
  const bootCombo = async (combo: (typeof combos)[number]): Promise<DriftRow> => {
    const dir = path.join(runDir, `combo-${String(combo.index + 1).padStart(2, '0')}`);
    try {
      await mkdir(dir, { recursive: true });
      const comboConfig = { ...config, dom0Mem: combo.dom0Mem, xenArgs: [config.xenArgs, combo.xenArgs].filter(Boolean).join(' ') };
      const prepared = await prepareBoot({ ...machine, xen: combo.xen, memory: combo.memory }, comboConfig, image, dir);
      const record = await bootWithRetry(
        bootOptions({ ...machine, xen: combo.xen, memory: combo.memory }, config, prepared, image, dir),
        log,
      );
      const failure = record.failure;
      return {
        combo,
        layout: layoutToJson(record.layout),
        failure: failure ? { code: failure.code, stage: failure.stage, message: failure.message } : null,
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
  };
  const started = await pool(costliestFirst(combos), jobs, async (combo) => {
    const step = `combination ${combo.index + 1}/${combos.length} (xen ${combo.xenLabel}, -m ${combo.memory}, dom0_mem=${combo.dom0Mem})`;
    progress.start(step);
    const row = await bootCombo(combo);
    if (row.failure) progress.fail(step, row.failure.code);
    else progress.done(step);
    return row;
  });
  const rows = started.sort((a, b) => a.combo.index - b.combo.index);
  const wallMs = Math.round(performance.now() - t0);
  const json = { tool: TOOL, command: 'drift', runDir, image: image.path, jobs, wallMs, matrix, rows };
  await writeFileAtomic(path.join(runDir, 'drift.json'), `${JSON.stringify(json, null, 2)}\n`);
  return { startedAt, rows, runDir, jobs, wallMs };
}
