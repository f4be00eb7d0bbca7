/** End to end on the real Xen 4.17 and the real QEMU: the layout learned must match the serial log. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readReport, runCli, type CliResult } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/procs.js';
import { grepLayout } from '../helpers/serial-truth.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';
import { machineOf, type ReportJson } from '../../src/report/report.js';

async function learnJson(...args: string[]): Promise<{ run: CliResult; report: ReportJson; dir: string }> {
  const dir = path.join(tempDir('learn'), 'run');
  const run = await runCli(['learn', '--json', '--out', dir, ...args]);
  return { run, report: JSON.parse(run.stdout) as ReportJson, dir };
}

function assertMatchesSerial(report: ReportJson): void {
  const truth = grepLayout(report.boots[0]!.serialLog);
  const layout = report.layout!;
  assert.deepEqual(
    layout.dom0Banks.map((b) => [b.start, b.end]),
    truth.banks,
  );
  assert.deepEqual([layout.grantTable!.start, layout.grantTable!.end], truth.grant);
  assert.deepEqual(
    layout.extendedRegions.map((r) => [r.start, r.end]),
    truth.regions,
  );
  assert.equal(layout.eventChannelPpi, truth.ppi);
}

describe('learn on real Xen under real QEMU', () => {
  it('learns the default layout, stops at the hand-over and leaves no QEMU behind', async () => {
    const { run, report, dir } = await learnJson();
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(report.result, 'ok');
    assert.equal(report.failure, null);
    assert.equal(report.layout!.xenVersion, '4.17.7');
    assert.deepEqual(report.layout!.dom0Banks, [{ start: '0x50000000', end: '0x60000000' }]);
    assertMatchesSerial(report);
    const boot = report.boots[0]!;
    assert.equal(boot.stopReason, 'handed-over');
    assert.ok(boot.durations!.qemuStartToHandoverMs! > 0);
    assert.deepEqual(readReport(dir), report);
    assert.ok(!existsSync(path.join(dir, 'qemu.pid')), 'pidfile removed');
    assert.deepEqual(processesMentioning(dir), []);
  });

  it('reports two Dom0 banks with --memory 6G --dom0-mem 3G', async () => {
    const { run, report } = await learnJson('--memory', '6G', '--dom0-mem', '3G');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(report.layout!.dom0Banks, [
      { start: '0x50000000', end: '0x100000000' },
      { start: '0x1a0000000', end: '0x1b0000000' },
    ]);
    assertMatchesSerial(report);
  });

  it('sees --memory 2G move the last extended region', async () => {
    const small = await learnJson('--memory', '2G');
    assert.equal(small.run.exitCode, 0, small.run.stderr);
    assertMatchesSerial(small.report);
    assert.equal(small.report.layout!.extendedRegions.at(-1)!.end, '0xc0000000');
    assert.deepEqual(small.report.layout!.dom0Banks, [{ start: '0x50000000', end: '0x60000000' }]);
  });

  it('passes --xen-args to Xen (timestamps) and still parses', async () => {
    const { run, report } = await learnJson('--xen-args', 'console_timestamps=boot');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(machineOf(report)!.xenBootargs, /console_timestamps=boot$/);
    assertMatchesSerial(report);
  });

  it('prints a human summary by default', async () => {
    const dir = path.join(tempDir('learn'), 'run');
    const run = await runCli(['learn', '--out', dir]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /memory bank 0 +0x50000000-0x60000000 \(256 MiB\)/);
    assert.match(run.stdout, /Result: ok/);
  });

  it('--print-qemu-cmd prints the command and boots nothing', async () => {
    const dir = path.join(tempDir('learn'), 'run');
    const run = await runCli(['learn', '--print-qemu-cmd', '--out', dir]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(
      run.stdout,
      /qemu-system-aarch64 -cpu cortex-a53 -m 6G .*-device loader,file=\S+,addr=0x40600000 -dtb \S+xen\.dtb -kernel \S+/,
    );
    assert.ok(!existsSync(path.join(dir, 'serial.log')));
    // Every run reports: the boot is a skipped step, and nothing was learned.
    const report = readReport(dir);
    assert.equal(report.result, 'ok');
    assert.equal(report.layout, null);
    assert.deepEqual(
      report.steps.map((s) => [s.name, s.status]),
      [
        ['outputs', 'ok'],
        ['config', 'ok'],
        ['run folder', 'ok'],
        ['inputs', 'ok'],
        ['device tree', 'ok'],
        ['boot', 'skipped'],
      ],
    );
  });
});

describe('learn when Xen cannot start Dom0 (real Xen)', () => {
  it('names the memory shortfall and stops at the panic, not after a timeout', async () => {
    const { run, report } = await learnJson('--memory', '2G', '--dom0-mem', '3G', '--timeout', '30');
    assert.equal(run.exitCode, 8);
    assert.equal(report.failure!.code, 'DOM0_NOT_BUILT');
    assert.match(report.failure!.message, /MB unallocated/);
    assert.equal(report.boots[0]!.stopReason, 'xen-failure');
    assert.ok(run.ms < 15_000, `took ${run.ms} ms`);
  });
});

describe('learn stops at the hand-over line itself', () => {
  it('succeeds from a log that ends at "*** Serial input to DOM0", without waiting for the "Freed" line', async () => {
    const dir = tempDir('learn-handover');
    const real = readFileSync(path.join(FIXTURES, 'xen', 'xen417-6G-256M.log'), 'latin1');
    const cut = real.indexOf('\n', real.indexOf('*** Serial input to DOM0')) + 1;
    assert.ok(cut > 0 && !real.slice(0, cut).includes('Freed'), 'the fixture is cut before the Freed line');
    writeFileSync(path.join(dir, 'serial-in.log'), real.slice(0, cut), 'latin1');
    const run = await runCli(
      [
        'learn',
        '--json',
        '--out',
        path.join(dir, 'run'),
        '--qemu',
        path.join(FIXTURES, 'fake-qemu', 'replay.sh'),
        '--dtb',
        path.join(FIXTURES, 'dtb', 'xen-virt-6G.dts'),
        '--timeout',
        '8',
      ],
      { env: { FAKE_SERIAL: path.join(dir, 'serial-in.log') } },
    );
    assert.equal(run.exitCode, 0, run.stderr);
    const report = JSON.parse(run.stdout) as ReportJson;
    assert.equal(report.boots[0]!.stopReason, 'handed-over');
    assert.deepEqual(report.layout!.dom0Banks, [{ start: '0x50000000', end: '0x60000000' }]);
    assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
  });
});

describe('--xen 4.17|4.20 in every command, from the option or a config file', () => {
  it('learn --xen 4.20 and a config file\'s "xen": "4.20" boot setup\'s Xen 4.20', async () => {
    const dir = tempDir('xen-label');
    const config = path.join(dir, 'x.json');
    writeFileSync(config, JSON.stringify({ xen: '4.20' }));
    for (const args of [
      ['--xen', '4.20'],
      ['--config', config],
    ]) {
      const out = path.join(dir, `run-${args[0]!.slice(2)}`);
      const run = await runCli(['learn', ...args, '--out', out]);
      assert.equal(run.exitCode, 0, run.stderr);
      const report = readReport(out);
      assert.match(report.layout!.xenVersion!, /^4\.20\./);
      assert.match(machineOf(report)!.xen, /\.cache\/xen\/4\.20\/xen$/);
    }
  });

  it('names where a Xen that is not there came from: the option, or the config file and field (boot, check too)', async () => {
    const dir = tempDir('xen-label');
    const config = path.join(dir, 'nightly.json');
    writeFileSync(config, JSON.stringify({ xen: '4.33' }));
    const ws = ['--overlay', path.join(dir, 'a.overlay'), '--build-dir', path.join(dir, 'b')];
    for (const command of ['learn', 'boot', 'check']) {
      const fromFile = await runCli([
        command,
        '--config',
        config,
        ...(command === 'learn' ? [] : ws),
        '--out',
        path.join(dir, `${command}-file`),
      ]);
      assert.equal(fromFile.exitCode, 2, fromFile.stderr);
      assert.match(fromFile.stderr, /config file .*nightly\.json: field "xen" 4\.33: no Xen 4\.33 at .*setup fetches 4\.17 and 4\.20/);
      assert.equal(readReport(path.join(dir, `${command}-file`)).failure?.code, 'INPUT_NOT_FOUND');
    }
    const option = await runCli(['boot', '--xen', '/nonexistent/xen', ...ws]);
    assert.match(option.stderr, /^xen-dom0-boot: config: --xen \/nonexistent\/xen: no such file/m);
  });
});
