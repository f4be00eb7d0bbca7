/** `drift` and `check` end to end on real Xen 4.17 and 4.20 (npm run setup -- --xen 4.20). */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readReport, runCli } from '../helpers/cli.js';
import { assertReportFolder } from '../helpers/schema.js';
import { processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';
import type { DriftRow } from '../../src/report/drift-records.js';

describe('drift over two Xen builds, memory and dom0_mem', () => {
  it('boots 12 combinations; the layouts really differ, failures are rows', async () => {
    const out = path.join(tempDir('drift'), 'run');
    const run = await runCli(['drift', '--xen', '4.17,4.20', '--memory', '2G,6G', '--dom0-mem', '256M,1G,3G', '--jobs', '2', '--out', out]);
    // 2G with dom0_mem=3G fails on both Xen builds: rows of the table, and exit 17 (a nightly job must not go green).
    assert.equal(run.exitCode, 17, run.stderr);
    assert.match(
      run.stderr,
      /2 of 12 combinations failed: #3 xen 4\.17, -m 2G, dom0_mem=3G: DOM0_NOT_BUILT; #9 xen 4\.20, -m 2G, dom0_mem=3G: DOM0_NOT_BUILT \[COMBOS_FAILED\]/,
    );
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

  it('names a Xen version that setup does not fetch, and where the value came from', async () => {
    const run = await runCli(['drift', '--xen', '9.99']);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /--xen 9\.99: no Xen 9\.99 at .*9\.99\/xen: setup fetches 4\.17 and 4\.20/);
    const config = path.join(tempDir('drift-config'), 'nightly.json');
    writeFileSync(config, JSON.stringify({ drift: { xen: ['4.17', '9.98'] } }));
    const fromFile = await runCli(['drift', '--config', config]);
    assert.equal(fromFile.exitCode, 2);
    assert.match(fromFile.stderr, /config file .*nightly\.json: field "drift\.xen" 9\.98: no Xen 9\.98/);
  });

  it('a dead matrix exits 17, not 0 (every combination failed); --fail-on never lets the job go green', async () => {
    const out = path.join(tempDir('drift-dead'), 'run');
    const dead = await runCli(['drift', '--memory', '1M', '--out', out, '--jobs', '1']);
    assert.equal(dead.exitCode, 17, dead.stderr);
    assert.match(dead.stderr, /1 of 1 combinations failed: #1 xen 4\.17, -m 1M, dom0_mem=256M: [A-Z_]+ \[COMBOS_FAILED\]/);
    assert.equal(readReport(out).failure?.code, 'COMBOS_FAILED');
    const never = await runCli(['drift', '--memory', '1M', '--fail-on', 'never', '--out', `${out}-never`, '--jobs', '1']);
    assert.equal(never.exitCode, 0, never.stderr);
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
    const junit = path.join(dir, 'check.xml');
    const drift = await runCli(['check', '--dom0-mem', '1G', '--junit', junit, ...args]);
    assert.equal(drift.exitCode, 16);
    assert.match(drift.stdout, /field +lock +now\n-+ +-+ +-+\ndom0Banks\[0\] +0x50000000-0x60000000 +0xc0000000-0x100000000/);
    // One error line on stderr (the table is in the summary); the failure sits on the boot that saw the drift.
    const errors = drift.stderr.split('\n').filter((line) => / \[[A-Z_]+\]$/.test(line));
    assert.deepEqual(errors, [
      `xen-dom0-boot: drift: Xen's layout drifted from the lock file ${args[1]}.lock.json: (the rest is in the summary and report.json) [DRIFT]`,
    ]);
    // The input that moved it is named: the lock says what it was learned with.
    // (The summary wraps at 80 columns: its continuation lines are indented by two.)
    assert.match(
      drift.stdout.replace(/\n {2}/g, ' '),
      /the lock was learned with other inputs: dom0_mem 256M -> 1G; Xen's command line .*dom0_mem=256M.* -> .*dom0_mem=1G/,
    );
    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<testcase classname="xen-dom0-boot check" name="pass 1 boot" time="[\d.]+">\s*<failure type="DRIFT"/);
    assert.equal((xml.match(/<failure /g) ?? []).length, 1);
    const fixed = await runCli(['check', '--fix', '--json', '--start-layout', 'probe', '--dom0-mem', '1G', ...args]);
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    const fixedReport = JSON.parse(fixed.stdout);
    assert.equal(fixedReport.start.from, 'probe boot', 'check --fix learns the new layout before it builds');
    assert.equal(fixedReport.passes.length, 1);
    const again = await runCli(['check', '--json', '--dom0-mem', '1G', ...args]);
    assert.equal(again.exitCode, 0);
    assert.equal(JSON.parse(again.stdout).passes.length, 1);
    assert.deepEqual(JSON.parse(again.stdout).start.lockChanges, []);
  });

  it('passes with a warning naming the input when the lock was learned with other inputs but the layout held', async () => {
    const run = await runCli(['check', '--json', '--dom0-mem', '1G', '--dom0-args', 'console=hvc0 loglevel=7', ...args]);
    assert.equal(run.exitCode, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.start.lockChanges, [{ input: 'dom0Bootargs', lock: 'console=hvc0', now: 'console=hvc0 loglevel=7' }]);
    assert.ok(
      report.warnings.includes(
        "the lock was learned with other inputs: Dom0's command line console=hvc0 -> console=hvc0 loglevel=7; Xen's layout did not move",
      ),
      report.warnings.join('\n'),
    );
    assert.equal(
      JSON.parse(readFileSync(path.join(dir, 'app.overlay.lock.json'), 'utf8')).learnedWith.dom0Bootargs,
      'console=hvc0',
      'check writes nothing',
    );
  });
});
