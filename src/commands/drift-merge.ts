/** `drift merge DIR...`: the shards' run folders joined into one drift.json, table, JUnit, report and exit code. */
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { TOOL } from '../base/version.js';
import type { Judging } from '../config/drift-plan.js';
import { expandMatrix, shardOf } from '../pipeline/drift-matrix.js';
import { readDriftFile } from '../report/drift-file.js';
import type { ComboJson, DriftJson } from '../report/drift-records.js';
import { baselineReference, comboKey, comboName, firstRowReference } from '../report/drift-verdict.js';
import type { DriftInputs, ReportJson } from '../report/report.js';
import type { Run } from '../run/run.js';
import { driftHeader, finishDrift, type DriftResult } from './drift.js';

/** The shards must make one matrix: same tool and matrix, each shard once, none missing. */
function checkShards(shards: { dir: string; json: DriftJson }[]): void {
  const first = shards[0]!;
  const mismatch = (why: string): never => {
    throw new ToolError('SHARDS_MISMATCH', 'config', `drift merge: ${why}`);
  };
  for (const { dir, json } of shards) {
    if (!json.shard) mismatch(`${dir} is not a shard (its drift.json has no "shard": run drift with --shard K/N)`);
    const tool = `${json.tool.name} ${json.tool.version}`;
    if (tool !== `${first.json.tool.name} ${first.json.tool.version}`)
      mismatch(`${dir} was made by ${tool}, ${first.dir} by ${first.json.tool.name} ${first.json.tool.version}`);
    if (!isDeepStrictEqual(json.matrix, first.json.matrix))
      mismatch(`${dir} and ${first.dir} ran different matrices: ${JSON.stringify(json.matrix)} and ${JSON.stringify(first.json.matrix)}`);
    if (json.shard!.total !== first.json.shard!.total)
      mismatch(
        `${dir} is shard ${json.shard!.index}/${json.shard!.total}, ${first.dir} ${first.json.shard!.index}/${first.json.shard!.total}`,
      );
  }
  const total = first.json.shard!.total;
  for (const { dir, json } of shards) {
    const tool = `${json.tool.name} ${json.tool.version}`;
    if (tool !== `${TOOL.name} ${TOOL.version}`)
      mismatch(`${dir} was made by ${tool}; this is ${TOOL.name} ${TOOL.version}: merge with the tool that ran the shards`);
    if (json.shard!.index > total) mismatch(`${dir} says it is shard ${json.shard!.index}/${total}`);
    // A shard holds exactly its slice of the matrix, each combination as the matrix names it.
    const mine = shardOf(expandMatrix(json.matrix), json.shard!);
    const same = (a: ComboJson, b: ComboJson) => comboKey(a) === comboKey(b) && a.index === b.index;
    if (json.rows.length !== mine.length || json.rows.some((row, i) => !same(row.combo, mine[i]!))) {
      mismatch(
        `${dir}: its rows are not shard ${json.shard!.index}/${total} of its matrix (${json.rows.length} rows, ${mine.length} expected, in matrix order)`,
      );
    }
  }
  const seen = new Map<number, string>();
  for (const { dir, json } of shards) {
    const other = seen.get(json.shard!.index);
    if (other) mismatch(`shard ${json.shard!.index}/${total} given twice: ${other} and ${dir}`);
    seen.set(json.shard!.index, dir);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length)
    mismatch(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${total}`).join(', ')} missing (give every shard's run folder)`,
    );
}

/** The merge's own folder may not be (or be inside, or hold) a shard's: it would overwrite what it reads. */
export function assertOutApart(out: string, dirs: string[]): void {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const mine = real(out);
  for (const dir of dirs) {
    const shard = real(dir);
    const rel = path.relative(shard, mine);
    const back = path.relative(mine, shard);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)) || (!back.startsWith('..') && !path.isAbsolute(back))) {
      throw new ToolError('USAGE', 'config', `drift merge: --out ${out} is or overlaps the shard folder ${dir}: name a folder of its own`);
    }
  }
}

export async function mergeDrift(run: Run, dirs: string[], judging: Judging): Promise<DriftResult> {
  if (dirs.length === 0) throw new ToolError('USAGE', 'config', 'drift merge: give the run folders of the shards (drift merge DIR...)');
  dirs = dirs.map((dir) => path.resolve(dir));
  run.steps.plan(['outputs', 'config', 'run folder', 'read shards', ...(judging.baseline ? ['baseline'] : []), 'verdict']);
  const shards = await run.setup('read shards', 'config', async () => {
    const read = await Promise.all(
      dirs.map(async (dir) => ({ dir, json: await readDriftFile(path.join(dir, 'drift.json'), 'drift merge') })),
    );
    checkShards(read);
    return read;
  });
  shards.sort((a, b) => a.json.shard!.index - b.json.shard!.index);
  const first = shards[0]!.json;
  // A shard's row folders are where its runner put them; here they sit in the shard's folder.
  const rows = shards
    .flatMap(({ dir, json }) =>
      json.rows.map((row) => ({ ...row, runDir: path.join(dir, `combo-${String(row.combo.index + 1).padStart(2, '0')}`) })),
    )
    .sort((a, b) => a.combo.index - b.combo.index);
  const expected = expandMatrix(first.matrix).length;
  const indexes = rows.map((row) => row.combo.index);
  if (rows.length !== expected || new Set(indexes).size !== rows.length || indexes.some((i) => i < 0 || i >= expected)) {
    run.steps.fail('read shards', 'SHARDS_MISMATCH');
    throw new ToolError(
      'SHARDS_MISMATCH',
      'config',
      `drift merge: the shards hold ${rows.length} rows (${new Set(indexes).size} distinct) for a matrix of ${expected} combinations`,
    );
  }
  // Each combination as its shard ran it: JUnit has the same cases as an unsharded run's.
  const names = rows.map((row) => comboName(row.combo));
  run.steps.plan(['outputs', 'config', 'run folder', 'read shards', ...names, ...(judging.baseline ? ['baseline'] : []), 'verdict']);
  rows.forEach((row, i) =>
    run.steps.record(names[i]!, 'xen-boot', row.failure ? 'failed' : 'ok', row.bootMs ?? 0, row.failure?.code ?? null),
  );
  const baseline = judging.baseline ? await run.setup('baseline', 'config', () => readDriftFile(judging.baseline!, '--baseline')) : null;
  // The QEMU the shards booted with, as shard 1's report says.
  const shardReport = await readFile(path.join(shards[0]!.dir, 'report.json'), 'utf8')
    .then((text) => (JSON.parse(text) as ReportJson).inputs as DriftInputs | null)
    .catch(() => null);
  run.record.inputs = {
    image: first.image,
    qemu: shardReport?.qemu ?? 'unknown (shard 1 has no report.json)',
    qemuSource: shardReport?.qemuSource ?? 'path',
    jobs: first.jobs,
    matrix: first.matrix,
    shard: null,
    mergedFrom: shards.map((s) => s.dir),
  };
  const json: DriftJson = {
    ...driftHeader(run),
    image: first.image,
    jobs: first.jobs,
    wallMs: Math.max(...shards.map((s) => s.json.wallMs)),
    matrix: first.matrix,
    shard: null,
    mergedFrom: shards.map((s) => s.dir),
    rows,
  };
  return finishDrift(run, json, baseline ? baselineReference(baseline.rows, judging.baseline!) : firstRowReference(rows), baseline);
}
