/** drift sharded over N processes (as N CI runners would), merged: exactly the rows of the unsharded run (real Xen, real QEMU). */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { DriftJson } from '../../src/report/drift-records.js';
import { runCli } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/procs.js';
import { assertReportFolder } from '../helpers/schema.js';
import { tempDir } from '../helpers/tmp.js';

const MATRIX = ['--memory', '2G,6G', '--dom0-mem', '256M,1G,3G'];
const comparable = (json: DriftJson) =>
  json.rows.map((r) => ({ combo: { ...r.combo }, layout: r.layout, failure: r.failure?.code ?? null }));

describe('drift --shard and drift merge on real Xen under real QEMU', () => {
  it('3 shards run as 3 processes, merged, give the rows of the unsharded run, with one exit code (17: 2G with 3G fails)', async () => {
    const dir = tempDir('shard-e2e');
    const whole = path.join(dir, 'whole');
    const [unsharded, ...shards] = await Promise.all([
      runCli(['drift', ...MATRIX, '--jobs', '1', '--out', whole]),
      runCli(['drift', ...MATRIX, '--jobs', '1', '--shard', '1/3', '--out', path.join(dir, 's1')]),
      runCli(['drift', ...MATRIX, '--jobs', '1', '--shard', '2/3', '--out', path.join(dir, 's2')]),
      // GitLab's parallel: sets these.
      runCli(['drift', ...MATRIX, '--jobs', '1', '--shard', 'auto', '--out', path.join(dir, 's3')], {
        env: { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '3' },
      }),
    ]);
    assert.equal(unsharded!.exitCode, 17, unsharded!.stderr);
    const shardRows = [1, 2, 3].map((k) => (assertReportFolder(path.join(dir, `s${k}`)).drift as unknown as DriftJson).rows.length);
    assert.deepEqual(shardRows, [2, 2, 2], 'six combinations, two per shard');
    // A shard exits on its own rows: 17 only for the one holding 2G with 3G.
    assert.deepEqual(shards.map((s) => s.exitCode).sort(), [0, 0, 17]);
    const merged = path.join(dir, 'merged');
    const junit = path.join(dir, 'merged.xml');
    const merge = await runCli([
      'drift',
      'merge',
      path.join(dir, 's3'),
      path.join(dir, 's1'),
      path.join(dir, 's2'),
      '--out',
      merged,
      '--junit',
      junit,
    ]);
    assert.equal(merge.exitCode, 17, merge.stderr);
    assert.match(
      merge.stderr,
      /^xen-dom0-boot: drift: 1 of 6 combinations failed: #3 xen 4\.17, -m 2G, dom0_mem=3G: DOM0_NOT_BUILT \[COMBOS_FAILED\]$/m,
    );
    const a = assertReportFolder(whole).drift as unknown as DriftJson;
    const b = assertReportFolder(merged, { junit }).drift as unknown as DriftJson;
    assert.deepEqual(comparable(b), comparable(a));
    assert.match(merge.stdout, /6 combinations, 1 failed/);
    assert.deepEqual(processesMentioning(dir), []);
  });
});
