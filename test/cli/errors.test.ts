/** Bad input and faults: one-line errors naming the problem, the right exit codes, no process left. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readReport, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { isAlive, processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';

const fake = (name: string): string => path.join(FIXTURES, 'fake-qemu', name);
const userDts = path.join(FIXTURES, 'dtb', 'xen-virt-6G.dts');

describe('usage and config errors (exit 2, one line)', () => {
  it('names a bogus --xen path', async () => {
    const run = await runCli(['learn', '--xen', '/nonexistent/xen']);
    assert.equal(run.exitCode, 2);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /--xen \/nonexistent\/xen: no such file/);
    assert.equal(run.stdout, '');
  });

  it('with a bad --xen and a bad --image, names --xen every time (the checks run side by side)', async () => {
    for (let i = 0; i < 3; i += 1) {
      const run = await runCli(['learn', '--xen', '/nonexistent/xen', '--image', '/nonexistent/image']);
      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, /--xen \/nonexistent\/xen: no such file/);
    }
  });

  it('names the config file and field of an invalid config', async () => {
    const file = path.join(tempDir('cfg'), 'bad.json');
    writeFileSync(file, JSON.stringify({ memory: 'lots', timeout: -1 }));
    const run = await runCli(['learn', '--config', file]);
    assert.equal(run.exitCode, 2);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /config file .*bad\.json: field "memory": .*field "timeout"/);
  });

  it('rejects unknown options and commands', async () => {
    assert.equal((await runCli(['learn', '--memroy', '2G'])).exitCode, 2);
    const run = await runCli(['lern']);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /unknown command "lern"/);
  });

  it('refuses an --out folder holding files it did not write, and keeps them', async () => {
    const dir = tempDir('out');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const run = await runCli(['learn', '--out', dir]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /holds files this tool did not write/);
    assert.equal(readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'mine');
  });

  it('refuses a user dtb whose module address disagrees with --load-addr', async () => {
    const dir = path.join(tempDir('out'), 'run');
    const run = await runCli(['learn', '--dtb', userDts, '--load-addr', '0x48000000', '--out', dir]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /module@40600000 is at 0x40600000 but the loader puts the image at 0x48000000/);
  });
});

describe('more bad input', () => {
  it('names an --out path that cannot be a folder', async () => {
    const file = path.join(tempDir('out'), 'afile');
    writeFileSync(file, 'x');
    const run = await runCli(['learn', '--out', path.join(file, 'run')]);
    assert.equal(run.exitCode, 2, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(
      run.stderr,
      /--out .*afile\/run: cannot write: a part of its path is a file, not a folder \(ENOTDIR\); .*\[OUTPUT_WRITE_FAILED\]$/m,
    );
  });

  it('refuses a --dtb the run would overwrite, and leaves it as it was', async () => {
    const dir = tempDir('out');
    writeFileSync(path.join(dir, '.xen-dom0-boot-run'), 'learn\n');
    const mine = path.join(dir, 'xen.dts');
    const text = `/* my edits */\n${readFileSync(userDts, 'utf8')}`;
    writeFileSync(mine, text);
    const run = await runCli(['learn', '--print-qemu-cmd', '--dtb', mine, '--out', dir]);
    assert.equal(run.exitCode, 2, run.stderr);
    assert.match(run.stderr, /one the run writes/);
    assert.equal(readFileSync(mine, 'utf8'), text);
  });

  it('names a --dtb that is a folder', async () => {
    const run = await runCli(['learn', '--dtb', tempDir('dir')]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /--dtb .*: not a regular file \(expected a .dts or .dtb for Xen\)/);
  });
});

describe('faults with fake QEMUs', () => {
  it('does not wait on a pipe a descendant of a dead QEMU holds, and stops that descendant', async () => {
    const dir = path.join(tempDir('pipe'), 'run');
    const run = await runCli(['learn', '--qemu', fake('exits-holding-pipe.sh'), '--dtb', userDts, '--timeout', '20', '--out', dir]);
    assert.equal(run.exitCode, 5, run.stderr);
    assert.match(readReport(dir).failure!.message, /fake failure with a helper left behind/);
    assert.ok(run.ms < 8_000, `took ${run.ms} ms`);
    assert.deepEqual(processesMentioning('sleep 3003'), []);
  });

  it('stops a QEMU that hangs silently at the deadline, with its children, stage xen-boot', async () => {
    const dir = path.join(tempDir('hang'), 'run');
    const run = await runCli(['learn', '--qemu', fake('hang.sh'), '--dtb', userDts, '--timeout', '2', '--out', dir]);
    assert.equal(run.exitCode, 6, run.stderr);
    const report = readReport(dir);
    assert.equal(report.failure!.code, 'XEN_SILENT');
    assert.equal(report.failure!.stage, 'xen-boot');
    // --timeout 2 is shorter than --xen-timeout (15 s): it is the deadline that ended the wait, so it is named
    assert.match(report.failure!.message, /Xen start deadline \(--timeout 2 s\)/);
    const child = Number(readFileSync(path.join(dir, 'fake-child.pid'), 'utf8'));
    assert.equal(isAlive(child), false, `child ${child} of the fake QEMU still runs`);
    assert.deepEqual(processesMentioning(dir), []);
    assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
  });

  it('says where Xen went silent when it stalls before the hand-over', async () => {
    const dir = path.join(tempDir('stall'), 'run');
    const run = await runCli(['learn', '--qemu', fake('xen-stalls.sh'), '--dtb', userDts, '--timeout', '2', '--out', dir]);
    assert.equal(run.exitCode, 10, run.stderr);
    const report = readReport(dir);
    assert.equal(report.failure!.code, 'HANDOVER_TIMEOUT');
    assert.match(report.failure!.message, /last Xen line: \(XEN\) Allocating 1:1 mappings/);
    assert.deepEqual(processesMentioning(dir), []);
  });

  it('reports a QEMU that exits at once with its stderr', async () => {
    const dir = path.join(tempDir('exit'), 'run');
    const run = await runCli(['learn', '--qemu', fake('exits.sh'), '--dtb', userDts, '--out', dir]);
    assert.equal(run.exitCode, 5, run.stderr);
    const report = readReport(dir);
    assert.equal(report.failure!.code, 'QEMU_EXITED');
    assert.equal(report.failure!.stage, 'qemu-start');
    assert.match(report.failure!.message, /exited with code 1 before Xen printed anything: .*could not load kernel/);
  });
});
