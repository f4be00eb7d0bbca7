/** `drift`: boot one image once per combination (or this shard's) of Xen, memory, dom0_mem and Xen args; tabulate and judge the layouts. */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { TOOL } from '../base/version.js';
import type { Config } from '../config/load.js';
import type { DriftPlan, Judging } from '../config/drift-plan.js';
import { resolveXenChoice } from '../config/xen-choice.js';
import { inspectImage } from '../image/inspect.js';
import { ensureTestImage } from '../image/test-image.js';
import { bootCombo } from '../pipeline/drift-boot.js';
import { costliestFirst, expandMatrix, pool, shardOf } from '../pipeline/drift-matrix.js';
import { resolveMachine } from '../pipeline/inputs.js';
import { readDriftFile } from '../report/drift-file.js';
import { DRIFT_SCHEMA_ID, DRIFT_SCHEMA_VERSION, type DriftJson, type DriftRow } from '../report/drift-records.js';
import {
  baselineReference,
  comboKey,
  comboName,
  firstRowReference,
  verdict,
  verdictFailure,
  type Reference,
} from '../report/drift-verdict.js';
import { renderDriftHtml } from '../report/drift-html.js';
import { renderDriftMatrix } from '../report/drift-report.js';
import { probeVersions } from '../report/versions.js';
import type { Run } from '../run/run.js';
import { writeFileAtomic } from '../util/atomic-write.js';

export interface DriftResult {
  /** drift.json's text, as written. */
  text: string;
  rows: DriftRow[];
  jobs: number;
  wallMs: number;
  /** What moved cells are marked against (the first row, or the baseline). */
  reference: Reference;
}

export const defaultJobs = (): number => availableParallelism();

export async function runDrift(run: Run, config: Config, plan: DriftPlan): Promise<DriftResult> {
  const matrix = expandMatrix(plan.matrix);
  const combos = plan.shard ? shardOf(matrix, plan.shard) : matrix;
  run.steps.plan(driftSteps(combos.map(comboName)));
  const { machine, image, baseline } = await run.setup('inputs', 'config', async () => {
    for (const combo of combos) resolveXenChoice(combo.xenLabel, plan.xenFrom);
    const machine = await resolveMachine({ ...config, xen: (combos[0] ?? matrix[0]!).xen });
    const image = await inspectImage(config.image ?? (await ensureTestImage()));
    const baseline = plan.judging.baseline ? await readDriftFile(plan.judging.baseline, '--baseline') : null;
    return { machine, image, baseline };
  });
  const runDir = run.runDir!;
  const jobs = Math.max(1, plan.jobs ?? defaultJobs());
  run.record.inputs = {
    image: image.path,
    qemu: machine.qemu.path,
    qemuSource: machine.qemu.source,
    jobs,
    matrix: plan.matrix,
    shard: plan.shard,
  };
  run.probe = probeVersions(machine.qemu.path, machine.xen);
  run.log.info({ combos: combos.length, of: matrix.length, shard: plan.shard, jobs, image: image.path }, 'drift: starting');
  const t0 = performance.now();
  const started = await pool(costliestFirst(combos), jobs, (combo) =>
    run.step(
      comboName(combo),
      'xen-boot',
      () => bootCombo(combo, { config, machine, image, runDir, log: run.log }),
      (row) => (row.failure ? { failed: row.failure.code } : {}),
    ),
  );
  const rows = started.sort((a, b) => a.combo.index - b.combo.index);
  const json: DriftJson = {
    ...driftHeader(run),
    image: image.path,
    jobs,
    wallMs: Math.round(performance.now() - t0),
    matrix: plan.matrix,
    shard: plan.shard,
    rows,
  };
  const reference = baseline ? baselineReference(baseline.rows, plan.judging.baseline!) : firstRowReference(rows);
  return finishDrift(run, json, reference, baseline);
}

/** What every drift.json starts with: its schema, the tool, when and where it ran. */
export function driftHeader(run: Run): Pick<DriftJson, '$schema' | 'schemaVersion' | 'tool' | 'command' | 'startedAt' | 'runDir'> {
  return {
    $schema: DRIFT_SCHEMA_ID,
    schemaVersion: DRIFT_SCHEMA_VERSION,
    tool: TOOL,
    command: 'drift',
    startedAt: run.startedAt.toISOString(),
    runDir: run.runDir!,
  };
}

/** drift.json, the report's drift summary and JUnit (one case per combination), for a run or a merge. */
export async function finishDrift(
  run: Run,
  json: DriftJson,
  reference: Reference,
  baseline: DriftJson | null = null,
): Promise<DriftResult> {
  const text = `${JSON.stringify(json, null, 2)}\n`;
  await writeFileAtomic(path.join(run.runDir!, 'drift.json'), text);
  // The picture: one lane per combination, moved spans outlined against the first row or the baseline.
  const against = baseline
    ? new Map(baseline.rows.filter((r) => !r.failure && r.layout).map((r) => [comboKey(r.combo), r.layout!]))
    : undefined;
  await writeFileAtomic(path.join(run.runDir!, 'drift.html'), renderDriftHtml(json.rows, { baseline: against }));
  const { rows } = json;
  run.record.drift = { file: 'drift.json', combinations: rows.length, failed: rows.filter((r) => r.failure).length };
  // JUnit: each failed combination's own message and Xen's last lines; the suite's output is the table.
  for (const row of rows) {
    const f = row.failure;
    if (f) run.stepFailures.set(comboName(row.combo), { type: f.code, message: f.message, tail: f.serialTail });
  }
  run.junitExtras.systemOut = renderDriftMatrix(rows, reference);
  return { text, rows, jobs: json.jobs, wallMs: json.wallMs, reference };
}

/** drift's steps: one per combination it boots (named as the table names them), then the verdict. */
export const driftSteps = (combos: string[]): string[] => ['outputs', 'config', 'run folder', 'inputs', ...combos, 'verdict'];

/** The exit code a nightly job can trust: failed combinations, or (--fail-on drift) moved layouts; a step of its own. */
export async function judgeDrift(run: Run, result: DriftResult, judging: Judging): Promise<void> {
  await run.setup('verdict', 'drift', async () => {
    const failure = verdictFailure(verdict(result.rows, result.reference), judging.failOn, result.reference, result.rows.length);
    if (failure) throw failure;
  });
}
