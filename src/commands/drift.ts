/** `drift`: boot one image once per combination of Xen, memory, dom0_mem and Xen args; tabulate the layouts. */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { TOOL } from '../base/version.js';
import type { Config } from '../config/load.js';
import type { DriftPlan } from '../config/drift-plan.js';
import { inspectImage } from '../image/inspect.js';
import { ensureTestImage } from '../image/test-image.js';
import { bootCombo } from '../pipeline/drift-boot.js';
import { costliestFirst, expandMatrix, pool } from '../pipeline/drift-matrix.js';
import { resolveMachine } from '../pipeline/inputs.js';
import { DRIFT_SCHEMA_ID, DRIFT_SCHEMA_VERSION, type DriftRow } from '../report/drift-report.js';
import { driftToJunit } from '../report/junit.js';
import { probeVersions } from '../report/versions.js';
import type { Run } from '../run/run.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface DriftResult {
  /** drift.json's text, as written. */
  text: string;
  rows: DriftRow[];
  jobs: number;
  wallMs: number;
}

export const defaultJobs = (): number => availableParallelism();

export async function runDrift(run: Run, config: Config, plan: DriftPlan): Promise<DriftResult> {
  const combos = expandMatrix(plan.matrix);
  const { machine, image } = await run.setup('inputs', 'config', async () => {
    for (const combo of combos) {
      if (!existsSync(combo.xen)) {
        const hint = /^\d+\.\d+$/.test(combo.xenLabel) ? `; run npm run setup -- --xen ${combo.xenLabel}` : '';
        throw new ToolError('INPUT_NOT_FOUND', 'config', `--xen ${combo.xenLabel}: no Xen at ${combo.xen}${hint}`);
      }
    }
    const machine = await resolveMachine({ ...config, xen: combos[0]!.xen });
    const image = await inspectImage(config.image ?? (await ensureTestImage()));
    return { machine, image };
  });
  const runDir = run.runDir!;
  const jobs = Math.max(1, plan.jobs ?? defaultJobs());
  run.record.inputs = { image: image.path, qemu: machine.qemu.path, qemuSource: machine.qemu.source, jobs, matrix: plan.matrix };
  run.probe = probeVersions(machine.qemu.path, machine.xen);
  run.log.info({ combos: combos.length, jobs, image: image.path }, 'drift: starting');
  const t0 = performance.now();
  const started = await pool(costliestFirst(combos), jobs, (combo) =>
    run.step(
      `combination ${combo.index + 1}/${combos.length} (xen ${combo.xenLabel}, -m ${combo.memory}, dom0_mem=${combo.dom0Mem})`,
      'xen-boot',
      () => bootCombo(combo, { config, machine, image, runDir, log: run.log }),
      (row) => (row.failure ? { failed: row.failure.code } : {}),
    ),
  );
  const rows = started.sort((a, b) => a.combo.index - b.combo.index);
  const wallMs = Math.round(performance.now() - t0);
  const json = {
    $schema: DRIFT_SCHEMA_ID,
    schemaVersion: DRIFT_SCHEMA_VERSION,
    tool: TOOL,
    command: 'drift',
    startedAt: run.startedAt.toISOString(),
    runDir,
    image: image.path,
    jobs,
    wallMs,
    matrix: plan.matrix,
    rows,
  };
  const text = `${JSON.stringify(json, null, 2)}\n`;
  await writeFileAtomic(path.join(runDir, 'drift.json'), text);
  run.record.drift = { file: 'drift.json', combinations: rows.length, failed: rows.filter((r) => r.failure).length };
  run.junitText = (report) => driftToJunit(rows, wallMs, report.startedAt);
  return { text, rows, jobs, wallMs };
}
