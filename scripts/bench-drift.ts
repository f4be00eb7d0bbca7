/**
 * Drift at scale, for `npm run bench` (and alone: `npm run bench:drift`): a 48-combination matrix
 * with --jobs 2 in one process, and as 4 shards run as 4 processes then merged, against the sum of
 * the combinations' raw boots (each combination's qemu-cmd.sh started directly, killed at Xen's
 * hand-over line); and `drift merge` of 1,000 rows.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expandMatrix, shardOf } from '../src/pipeline/drift-matrix.js';
import type { DriftJson } from '../src/report/drift-records.js';
import { killGroup } from '../src/util/kill-group.js';

import type { Figure } from './bench-tools.js';

export interface BenchTools {
  cli(argv: string[]): Promise<{ ms: number; stdout: string }>;
  fresh(name: string): string;
  settle(): Promise<void>;
}

/** 2 Xen builds x 4 memory sizes x 3 dom0_mem x 2 Xen argument sets = 48 combinations, all of which boot. */
export const MATRIX_48 = [
  '--xen',
  '4.17,4.20',
  '--memory',
  '3G,4G,5G,6G',
  '--dom0-mem',
  '256M,512M,1G',
  '--xen-args',
  '',
  '--xen-args',
  'console_timestamps=boot',
];

const fmt = (ms: number): string => `${Math.round(ms)} ms`;

/** One combination's boot with nothing of the tool: its qemu-cmd.sh, to Xen's hand-over line. */
async function rawBoot(script: string): Promise<number> {
  const child = execa('sh', [script], { reject: false, buffer: false, stdin: 'ignore', detached: true });
  const t0 = performance.now();
  let rest = '';
  const ms = await new Promise<number>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      rest = (rest + chunk.toString('latin1')).slice(-400);
      // With console_timestamps=boot the line is "(XEN) [    0.512] *** Serial input to DOM0".
      if (rest.includes('*** Serial input to DOM0')) resolve(performance.now() - t0);
    });
    void child.then(() => resolve(Number.NaN));
    setTimeout(() => resolve(Number.NaN), 60_000).unref();
  });
  await killGroup(child.pid!, 'SIGKILL');
  await child;
  if (Number.isNaN(ms)) throw new Error(`${script}: no hand-over within 60 s`);
  return ms;
}

/** A merge input of `rows` rows in `shards` shard folders (each exactly its slice, as --shard makes it), made from one real row. */
function syntheticShards(dir: string, sample: DriftJson, rows: number, shards: number): string[] {
  const xen = Array.from({ length: 5 }, (_, i) => `/xen/${i}`);
  const memory = Array.from({ length: 10 }, (_, i) => `${i + 1}G`);
  const dom0Mem = Array.from({ length: rows / 50 }, (_, i) => `${(i + 1) * 16}M`);
  const matrix = { xen, memory, dom0Mem, xenArgs: [''] };
  const all = expandMatrix(matrix);
  return Array.from({ length: shards }, (_, s) => {
    const out = path.join(dir, `shard-${s + 1}`);
    mkdirSync(out, { recursive: true });
    const shard = { index: s + 1, total: shards };
    const mine = shardOf(all, shard).map((combo) => ({ ...sample.rows[0]!, combo, runDir: `${out}/combo-${combo.index + 1}` }));
    writeFileSync(path.join(out, 'drift.json'), JSON.stringify({ ...sample, matrix, shard, rows: mine }));
    return out;
  });
}

export async function benchDrift(tools: BenchTools): Promise<{ figures: Figure[]; raw: Record<string, number> }> {
  const { cli, fresh, settle } = tools;
  await settle();
  const whole = fresh('drift48');
  const jobs2 = (await cli(['drift', ...MATRIX_48, '--jobs', '2', '--out', whole])).ms;
  const wholeJson = JSON.parse(readFileSync(path.join(whole, 'drift.json'), 'utf8')) as DriftJson;
  await settle();
  const shardDirs = [1, 2, 3, 4].map(() => fresh('shard'));
  const t0 = performance.now();
  await Promise.all(shardDirs.map((out, i) => cli(['drift', ...MATRIX_48, '--jobs', '1', '--shard', `${i + 1}/4`, '--out', out])));
  const shardsMs = performance.now() - t0;
  const merge48 = (await cli(['drift', 'merge', ...shardDirs, '--out', fresh('merged')])).ms;
  // The raw boots, one at a time, and the tool's own boot of each (QEMU's lifetime, from drift.json).
  const raws: number[] = [];
  for (const row of wholeJson.rows) {
    await settle();
    raws.push(await rawBoot(path.join(row.runDir, 'qemu-cmd.sh')));
  }
  const rawSum = raws.reduce((a, b) => a + b, 0);
  await settle();
  const jobs1 = (await cli(['drift', ...MATRIX_48, '--jobs', '1', '--out', fresh('drift48-1')])).ms;
  const overheadPct = ((jobs1 - rawSum) / 48 / (rawSum / 48)) * 100;
  // drift merge of 1,000 rows in 4 shards.
  const big = syntheticShards(fresh('merge1000'), wholeJson, 1000, 4);
  const merge1000 = (await cli(['drift', 'merge', ...big, '--fail-on', 'never', '--out', fresh('merged1000')])).ms;
  const figures: Figure[] = [
    {
      name: 'drift 48 combinations, jobs 2 / raw boots',
      value: `${(jobs2 / rawSum).toFixed(2)}x`,
      target: '-',
      met: null,
      detail: `jobs 2 ${fmt(jobs2)}; 4 shards as 4 processes ${fmt(shardsMs)} + merge ${fmt(merge48)}; sum of 48 raw boots ${fmt(rawSum)}`,
    },
    {
      name: 'drift overhead per combination (jobs 1)',
      value: `${overheadPct.toFixed(1)}%`,
      target: '< 5%',
      met: overheadPct < 5,
      detail: `jobs 1 ${fmt(jobs1)} against 48 raw boots ${fmt(rawSum)} (${fmt((jobs1 - rawSum) / 48)} each)`,
    },
    {
      name: 'drift merge, 1,000 rows in 4 shards',
      value: fmt(merge1000),
      target: '< 1000 ms',
      met: merge1000 < 1000,
      detail: 'wall of the CLI',
    },
  ];
  return { figures, raw: { jobs2, shardsMs, merge48, rawSum, jobs1, overheadPct, merge1000 } };
}
