/** `drift` and `check` end to end on real Xen 4.17 and 4.20 (npm run setup -- --xen 4.20). */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { assertReportFolder } from '../helpers/schema.js';
import { processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';
import type { DriftRow } from '../../src/report/drift-report.js';

describe('drift over two Xen builds, memory and dom0_mem', () => {
  it('boots 12 combinations; the layouts really differ, failures are rows', async () => {
    const out = path.join(tempDir('drift'), 'run');
    const run = await runCli(['drift', '--xen', '4.17,4.20', '--memory', '2G,6G', '--dom0-mem', '256M,1G,3G', '--jobs', '2', '--out', out]);
    assert.equal(run.exitCode, 0, run.stderr);
    // report.json and drift.json, both valid against their schemas, and agreeing on the rows.
    const { report, drift } = assertReportFolder(out);
    const { rows } = drift as unknown as { rows: DriftRow[] };
    assert.equal(rows.length, 12);
    assert.deepEqual(report.drift, { file: 'drift.json', combinations: 12, failed: rows.filter((r) => r.failure).length });
    const at = (xen: string, memory: string, dom0Mem: string) =>
      rows.find((r) => r.combo.xenLabel === xen && r.combo.memory === memory && r.combo.dom0Mem === dom0Mem)!;
    const bank0 = (r: DriftRow) => r.layout!.dom0Banks[0]!.start;
    const lastEnd = (r: DriftRow) => r.layout!.extendedRegions.at(-1)!.end;
    // dom0_mem moves bank 0; -m moves the last extended region; 3G gives two banks with 6G and no Dom0 with 2G.
    assert.equal(bank0(at('4.17', '6G', '256M')), '0x50000000');
    assert.equal(bank0(at('4.17', '6G', '1G')), '0xc0000000');
    assert.equal(at('4.17', '6G', '3G').layout!.dom0Banks.length, 2);
    assert.equal(at('4.17', '2G', '3G').failure!.code, 'DOM0_NOT_BUILT');
    assert.equal(lastEnd(at('4.17', '2G', '256M')), '0xc0000000');
    assert.equal(lastEnd(at('4.17', '6G', '256M')), '0x1c0000000');
    // The two Xen builds place the same Dom0 memory but end their extended regions 2 MiB apart.
    assert.equal(bank0(at('4.20', '6G', '256M')), '0x50000000');
    assert.equal(lastEnd(at('4.20', '6G', '256M')), '0x1bfe00000');
    assert.equal(at('4.20', '6G', '256M').layout!.xenVersion!.startsWith('4.20'), true);
    assert.match(run.stdout, /0x1bfe00000 \*/);
    assert.match(run.stdout, /12 combinations, 2 failed, 2 at once/);
    assert.deepEqual(processesMentioning(out), []);
  });

  it('names a Xen version that setup has not fetched', async () => {
    const run = await runCli(['drift', '--xen', '9.99']);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /--xen 9\.99: no Xen at .*9\.99\/xen; run npm run setup -- --xen 9\.99/);
  });
});

describe('check', () => {
  const dir = tempDir('check');
  const args = ['--overlay', path.join(dir, 'app.overlay'), '--build-dir', path.join(dir, 'build')];

  it('refuses to run without a lock file', async () => {
    const run = await runCli(['check', ...args]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /no lock file at .*app\.overlay\.lock\.json/);
  });

  it('passes on an up-to-date lock, exits 16 with a table after drift, and --fix converges so the next check passes', async () => {
    assert.equal((await runCli(['boot', ...args])).exitCode, 0);
    const ok = await runCli(['check', '--json', ...args]);
    assert.equal(ok.exitCode, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).passes.length, 1);
    const drift = await runCli(['check', '--dom0-mem', '1G', ...args]);
    assert.equal(drift.exitCode, 16);
    assert.match(drift.stdout, /field +lock +now\n-+ +-+ +-+\ndom0Banks\[0\] +0x50000000-0x60000000 +0xc0000000-0x100000000/);
    const fixed = await runCli(['check', '--fix', '--dom0-mem', '1G', ...args]);
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    const again = await runCli(['check', '--json', '--dom0-mem', '1G', ...args]);
    assert.equal(again.exitCode, 0);
    assert.equal(JSON.parse(again.stdout).passes.length, 1);
  });
});
