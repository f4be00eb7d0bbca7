/** drift merge: shards' run folders into one drift.json, report, JUnit and exit code; shards that are not one matrix refused. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TOOL } from '../../src/base/version.js';
import { judgeDrift } from '../../src/commands/drift.js';
import { assertOutApart, mergeDrift } from '../../src/commands/drift-merge.js';
import { readDriftFile } from '../../src/report/drift-file.js';
import { expandMatrix, shardOf } from '../../src/pipeline/drift-matrix.js';
import type { DriftJson, DriftRow } from '../../src/report/drift-records.js';
import { runCommand } from '../../src/run/run.js';
import { layoutToJson } from '../../src/xen/layout-json.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { assertReportFolder } from '../helpers/schema.js';
import { tempDir } from '../helpers/tmp.js';

const matrix = { xen: ['4.17'], memory: ['2G', '6G'], dom0Mem: ['256M', '1G'], xenArgs: [''] };
const LOGS: Record<string, string> = { '6G|256M': 'xen417-6G-256M.log', '6G|1G': 'xen417-6G-1G.log', '2G|256M': 'xen417-2G-256M.log' };
const layoutOf = (log: string) => layoutToJson(parseXenLog(readFileSync(path.join(FIXTURES, 'xen', log), 'latin1').split('\n')).layout);

/** A shard's run folder as `drift --shard K/N` leaves it (rows from real logs; 2G with 1G fails). */
function shardFolder(dir: string, index: number, total: number, edit: (json: DriftJson) => DriftJson = (j) => j): string {
  const out = path.join(dir, `shard-${index}`);
  mkdirSync(out, { recursive: true });
  const rows: DriftRow[] = shardOf(expandMatrix(matrix), { index, total }).map((combo) => {
    const log = LOGS[`${combo.memory}|${combo.dom0Mem}`];
    return {
      combo,
      layout: log ? layoutOf(log) : null,
      failure: log ? null : { code: 'DOM0_NOT_BUILT', stage: 'xen-boot', message: 'Xen could not build Dom0', serialTail: ['(XEN) no'] },
      runDir: `/builds/runner-${index}/drift-shard-${index}/combo-0${combo.index + 1}`,
      bootMs: 500,
      handoverMs: 400,
    };
  });
  const json: DriftJson = {
    $schema: 'https://xen-dom0-boot.invalid/schema/drift.schema.json',
    schemaVersion: 1,
    tool: TOOL,
    command: 'drift',
    startedAt: new Date().toISOString(),
    runDir: `/builds/runner-${index}/drift-shard-${index}`,
    image: '/cache/test-image.bin',
    jobs: 2,
    wallMs: 1000 * index,
    matrix,
    shard: { index, total },
    rows,
  };
  writeFileSync(path.join(out, 'drift.json'), JSON.stringify(edit(json)));
  return out;
}

async function merge(dirs: string[], options: { failOn?: 'failure' | 'drift' | 'never'; baseline?: string } = {}) {
  const out = path.join(tempDir('merge'), 'merged');
  const junit = `${out}.xml`;
  const judging = { failOn: options.failOn ?? 'failure', baseline: options.baseline ?? null };
  const result = await runCommand({ command: 'drift', out, junit }, async (run) => {
    await run.openFolder(out, 'info');
    await judgeDrift(run, await mergeDrift(run, dirs, judging), judging);
  });
  return { out, junit, result };
}

describe('drift merge', () => {
  it('joins 3 shards into the rows of the whole matrix, in order, with one report, JUnit and exit code 17 for the failed one', async () => {
    const dir = tempDir('shards');
    const shards = [3, 1, 2].map((k) => shardFolder(dir, k, 3));
    const { out, junit, result } = await merge(shards);
    assert.equal(result.failure?.code, 'COMBOS_FAILED');
    assert.equal(result.failure?.exitCode, 17);
    const { report, drift, junit: counts } = assertReportFolder(out, { junit });
    const rows = (drift as unknown as DriftJson).rows;
    assert.deepEqual(
      rows.map((r) => r.combo.index),
      [0, 1, 2, 3],
    );
    assert.equal(rows[1]!.failure?.code, 'DOM0_NOT_BUILT');
    const holder = [1, 2, 3].find((k) => shardOf(expandMatrix(matrix), { index: k, total: 3 }).some((c) => c.index === 0));
    assert.equal(rows[0]!.runDir, path.join(dir, `shard-${holder}`, 'combo-01'), "a row's folder is in its shard's folder here");
    assert.deepEqual(
      (drift as unknown as DriftJson).mergedFrom,
      [1, 2, 3].map((k) => path.join(dir, `shard-${k}`)),
    );
    assert.deepEqual(report.drift, { file: 'drift.json', combinations: 4, failed: 1 });
    // outputs, config and run folder (not run here: skipped), read shards, the 4 combinations, the verdict.
    assert.deepEqual(counts, { tests: 9, failures: 2 });
    assert.match(readFileSync(junit, 'utf8'), /name="#2 xen 4\.17, -m 2G, dom0_mem=1G" time="0\.500">\s*<failure type="DOM0_NOT_BUILT"/);
    assert.match(readFileSync(junit, 'utf8'), /name="verdict" time="[\d.]+">\s*<failure type="COMBOS_FAILED"/);
    assert.match(readFileSync(junit, 'utf8'), /--- last lines ---\n\(XEN\) no/);
  });

  it('--fail-on never exits 0; --fail-on drift against a baseline with a moved bank exits 18 naming it', async () => {
    const dir = tempDir('shards');
    // Every combination booted: the failed one gets 6G's 1G layout.
    const ok = (json: DriftJson) => ({
      ...json,
      rows: json.rows.map((r) => (r.failure ? { ...r, failure: null, layout: layoutOf('xen417-6G-1G.log') } : r)),
    });
    const shards = [1, 2].map((k) => shardFolder(dir, k, 2, ok));
    assert.equal((await merge(shards, { failOn: 'never' })).result.failure, null);
    const baselineDir = path.join(dir, 'baseline');
    mkdirSync(baselineDir);
    const first = (await merge(shards, { failOn: 'failure' })).out;
    const base = JSON.parse(readFileSync(path.join(first, 'drift.json'), 'utf8')) as DriftJson;
    base.rows[0]!.layout!.dom0Banks[0]!.start = '0x48000000';
    const baseline = path.join(baselineDir, 'drift.json');
    writeFileSync(baseline, JSON.stringify(base));
    const { result } = await merge(shards, { failOn: 'drift', baseline });
    assert.equal(result.failure?.code, 'MATRIX_DRIFT');
    assert.equal(result.failure?.exitCode, 18);
    assert.match(
      result.failure!.message,
      /^1 of 4 combinations moved against the baseline .*drift\.json: #1 xen 4\.17, -m 2G, dom0_mem=256M: dom0 banks$/,
    );
  });

  it('refuses shards that are not one matrix: missing, twice, another matrix, another tool, not a shard', async () => {
    const dir = tempDir('shards');
    const [s1, s2, s3] = [1, 2, 3].map((k) => shardFolder(dir, k, 3));
    const refused = async (dirs: string[], pattern: RegExp) => {
      const { result } = await merge(dirs);
      assert.equal(result.failure?.code, 'SHARDS_MISMATCH', result.failure?.message);
      assert.match(result.failure!.message, pattern);
    };
    await refused([s1!, s3!], /shard 2\/3 missing/);
    await refused([s1!, s2!, s2!, s3!], /shard 2\/3 given twice/);
    const other = shardFolder(path.join(dir, 'other'), 2, 3, (j) => ({ ...j, matrix: { ...j.matrix, memory: ['2G', '4G'] } }));
    await refused([s1!, other, s3!], /ran different matrices/);
    const older = shardFolder(path.join(dir, 'older'), 2, 3, (j) => ({ ...j, tool: { name: TOOL.name, version: '0.0.1' } }));
    await refused([s1!, older, s3!], /was made by xen-dom0-boot 0\.0\.1/);
    const whole = shardFolder(path.join(dir, 'whole'), 1, 1, (j) => ({ ...j, shard: null }));
    await refused([whole], /is not a shard/);
    const extra = shardFolder(path.join(dir, 'extra'), 3, 3, (j) => ({ ...j, shard: { index: 4, total: 3 }, rows: [] }));
    await refused([s1!, s2!, s3!, extra], /says it is shard 4\/3/);
    const moved = shardFolder(path.join(dir, 'moved'), 2, 3, (j) => ({ ...j, rows: j.rows.slice(1) }));
    await refused([s1!, moved, s3!], /its rows are not shard 2\/3 of its matrix/);
    const renamed = shardFolder(path.join(dir, 'renamed'), 2, 3, (j) => ({
      ...j,
      rows: j.rows.map((r, i) => (i === 0 ? { ...r, combo: { ...r.combo, memory: '4G' } } : r)),
    }));
    await refused([s1!, renamed, s3!], /its rows are not shard 2\/3/);
    const { result } = await merge([path.join(dir, 'nope')]);
    assert.equal(result.failure?.code, 'INPUT_NOT_FOUND');
  });

  it("refuses an --out that is, holds or sits in a shard's folder (it would overwrite what it reads), also through a link", () => {
    const dir = tempDir('shards');
    const s1 = shardFolder(dir, 1, 2);
    symlinkSync(s1, path.join(dir, 'link'));
    for (const out of [s1, path.join(s1, 'merged'), dir, path.join(dir, 'link')]) {
      assert.throws(() => assertOutApart(out, [s1]), /drift merge: --out .* is or overlaps the shard folder/, out);
    }
    assertOutApart(path.join(dir, 'merged'), [s1]);
  });

  it('refuses a --baseline that is a FIFO or a device, instead of hanging on it', async () => {
    const dir = tempDir('shards');
    const fifo = path.join(dir, 'base.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const file of [fifo, '/dev/zero']) {
      await assert.rejects(readDriftFile(file, '--baseline'), /--baseline .*: not a regular file/);
    }
  });
});
