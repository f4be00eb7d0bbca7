/**
 * A QEMU older than 8.2 (Debian 12's 7.2 hangs Zephyr Dom0s at random): the run warns (tool.log, report.json, summary),
 * a silent Dom0 names QEMU as a possible reason, and versions.json records which QEMU ran and where it came from.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { QEMU_CACHE_BIN } from '../../src/base/paths.js';
import { versionMemo } from '../../src/report/versions.js';
import { readReport, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';
import { machineOf } from '../../src/report/report.js';

const DEBIAN_12 = 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)';
const userDts = path.join(FIXTURES, 'dtb', 'xen-virt-6G.dts');
const realLog = path.join(FIXTURES, 'xen', 'xen417-6G-256M.log');

/** Answers --version as Debian 12's QEMU 7.2 does; otherwise replays a real Xen 4.17 log and hangs (fake-qemu/replay.sh). */
function oldFakeQemu(): string {
  const file = path.join(tempDir('old-qemu'), 'qemu-system-aarch64');
  const replay = path.join(FIXTURES, 'fake-qemu', 'replay.sh');
  writeFileSync(file, `#!/bin/sh\n[ "$1" = --version ] && { echo '${DEBIAN_12}'; exit 0; }\nexec '${replay}' "$@"\n`, { mode: 0o755 });
  return file;
}

const WARNING =
  /^QEMU 7\.2\.22 \(.*qemu-system-aarch64, from --qemu\) is older than 8\.2: .*may hang a Zephyr Dom0 at random.*run `npm run setup` to get QEMU 10 from bookworm-backports, or pass --qemu$/;

describe('a QEMU older than 8.2', () => {
  const fake = oldFakeQemu();
  after(async () => {
    const memo = await versionMemo(fake, ['--version']);
    if (memo) rmSync(memo, { force: true });
  });

  it('learn: warned about in tool.log, report.json and the summary; versions.json says which QEMU ran', async () => {
    const dir = path.join(tempDir('old-qemu-learn'), 'run');
    const run = await runCli(['learn', '--out', dir, '--qemu', fake, '--dtb', userDts], { env: { FAKE_SERIAL: realLog } });
    assert.equal(run.exitCode, 0, run.stderr);
    const report = readReport(dir);
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0]!, WARNING);
    // The summary wraps at 80 columns: the warning may go on over a line break.
    assert.match(run.stdout, /^Warning: QEMU 7\.2\.22 [^]*?\sis\s+older\s+than\s+8\.2/m);
    const warned = readFileSync(path.join(dir, 'tool.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string; qemuVersion?: string })
      .filter((entry) => entry.level === 40);
    assert.equal(warned.length, 1);
    assert.match(warned[0]!.msg, WARNING);
    assert.equal(warned[0]!.qemuVersion, DEBIAN_12);
    const versions = JSON.parse(readFileSync(path.join(dir, 'versions.json'), 'utf8')) as { qemu: unknown };
    assert.deepEqual(versions.qemu, { path: fake, version: DEBIAN_12, source: 'option' });
    assert.deepEqual(processesMentioning(dir), []);
  });

  it('boot: a silent Dom0 names QEMU < 8.2 as a possible reason and how to get QEMU 10', async () => {
    const ws = tempDir('old-qemu-boot');
    const dir = path.join(ws, 'run');
    const run = await runCli(
      [
        'boot',
        '--out',
        dir,
        '--overlay',
        path.join(ws, 'app.overlay'),
        '--build-dir',
        path.join(ws, 'build'),
        '--qemu',
        fake,
        '--dtb',
        userDts,
        '--dom0-timeout',
        '1',
      ],
      { env: { FAKE_SERIAL: realLog } },
    );
    assert.equal(run.exitCode, 13, run.stderr);
    const report = readReport(dir);
    assert.equal(report.failure!.code, 'DOM0_SILENT');
    const why =
      /QEMU 7\.2\.22 is why: QEMU before 8\.2 may hang a Zephyr Dom0 whose virtual timer compare value is ~0 \(run `npm run setup` to get QEMU 10 from bookworm-backports, or pass --qemu\)/;
    assert.match(report.failure!.message, why);
    assert.equal(report.failure!.details.qemuVersion, DEBIAN_12);
    assert.match(run.stderr, /^xen-dom0-boot: dom0: Dom0 .*QEMU 7\.2\.22 is why: .* \[DOM0_SILENT\]$/m);
    assert.match(report.warnings[0]!, WARNING);
    assert.deepEqual(processesMentioning(dir), []);
  });
});

const cached = path.join(QEMU_CACHE_BIN, 'qemu-system-aarch64');

describe("the project cache's QEMU (npm run setup)", () => {
  it('is the one learn runs when --qemu and the SDK are not given, without a warning', async () => {
    assert.ok(existsSync(cached), `${cached} not fetched: run npm run setup`);
    const dir = path.join(tempDir('cache-qemu'), 'run');
    const run = await runCli(['learn', '--out', dir], { env: { ZEPHYR_SDK_INSTALL_DIR: '' } });
    assert.equal(run.exitCode, 0, run.stderr);
    const report = readReport(dir);
    assert.equal(machineOf(report)!.qemu, cached);
    assert.equal(machineOf(report)!.qemuSource, 'project-cache');
    assert.deepEqual(report.warnings, []);
    assert.doesNotMatch(run.stdout, /Warning:/);
    const versions = JSON.parse(readFileSync(path.join(dir, 'versions.json'), 'utf8')) as {
      qemu: { path: string; version: string; source: string };
    };
    assert.equal(versions.qemu.path, cached);
    assert.equal(versions.qemu.source, 'project-cache');
    assert.match(versions.qemu.version, /^QEMU emulator version (9|[1-9]\d)\.\d+\.\d+ /);
  });
});
