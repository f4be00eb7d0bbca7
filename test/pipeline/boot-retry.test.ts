/**
 * boot-retry: which failed boots are worth a second QEMU start (pure), and bootWithRetry with fake
 * QEMUs (tiny sh scripts that replay a real Xen log): no real QEMU or Xen runs here.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import { qemuExitedError } from '../../src/pipeline/boot-outcome.js';
import type { BootOptions, BootRecord } from '../../src/pipeline/boot.js';
import { bootWithRetry, isTransientStart, TRANSIENT_QEMU } from '../../src/pipeline/boot-retry.js';
import { NOT_WATCHED } from '../../src/pipeline/dom0-watch.js';
import type { Logger } from '../../src/util/log.js';
import { emptyLayout, hex } from '../../src/xen/layout.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('boot-retry');
after(() => rmSync(root, { recursive: true, force: true }));

const BUSY = 'qemu-system-aarch64: cannot create PID file: Cannot lock pid file: Resource temporarily unavailable';
/** Unique in the process table: proves no fake QEMU outlives its boot. */
const HANG = 'sleep 7.375';

function record(failure: ToolError | null): BootRecord {
  return {
    layout: emptyLayout(),
    events: [],
    failure,
    dom0: NOT_WATCHED,
    dom0TimeoutMs: null,
    qemuExit: null,
    serialLog: '/r/serial.log',
    serialLines: 0,
    serialBytes: 0,
    stopReason: 'qemu-exited',
    durations: { qemuStartToFirstXenLineMs: null, qemuStartToHandoverMs: null, qemuStartToDom0UpMs: null, stopMs: 0, qemuLifetimeMs: 10 },
  };
}

const exitedAtStart = (stderrTail: string[]) =>
  record(qemuExitedError({ exitCode: 1, signal: null, stderrTail }, 'qemu-start', 'before Xen printed anything', { serialTail: [] }));

describe('isTransientStart', () => {
  it("is true for QEMU's words for a briefly missing resource, when QEMU exited before Xen spoke", () => {
    for (const line of [
      BUSY,
      'qemu-system-aarch64: Failed to get "write" lock',
      'qemu-system-aarch64: Could not acquire pid file: Resource busy',
      'qemu-system-aarch64: cannot set up guest memory: Cannot allocate memory',
    ]) {
      assert.equal(isTransientStart(exitedAtStart(['some warning', line])), true, line);
    }
  });

  it('is false for a lasting failure, a QEMU that exited later, other failures and success', () => {
    assert.equal(isTransientStart(exitedAtStart(['qemu-system-aarch64: -kernel /nope: could not load kernel'])), false);
    assert.equal(isTransientStart(exitedAtStart([])), false);
    const later = qemuExitedError({ exitCode: 1, signal: null, stderrTail: [BUSY] }, 'handover', 'before the hand-over', {
      serialTail: [],
    });
    assert.equal(isTransientStart(record(later)), false, 'Xen had already spoken: the boot itself ran');
    assert.equal(isTransientStart(record(new ToolError('XEN_SILENT', 'xen-boot', BUSY, { details: { serialTail: [BUSY] } }))), false);
    assert.equal(isTransientStart(record(null)), false);
  });

  it('matches case-insensitively', () => {
    assert.ok(TRANSIENT_QEMU.test('RESOURCE TEMPORARILY UNAVAILABLE'));
    assert.ok(!TRANSIENT_QEMU.test('Resource busy'));
  });
});

/** A boot folder with a fake QEMU whose script is `body`; `./tries` in the boot folder counts its starts. */
function fakeBoot(name: string, body: string): BootOptions {
  const dir = path.join(root, name);
  const qemu = path.join(root, `${name}.sh`);
  mkdirSync(dir);
  writeFileSync(qemu, `#!/bin/sh\necho start >> tries\n${body}\n`, { mode: 0o755 });
  return {
    qemu,
    argv: ['-nographic'],
    dir,
    serialLog: path.join(dir, 'serial.log'),
    pidfile: path.join(dir, 'qemu.pid'),
    timeoutMs: 10_000,
    imageIsArm64: true,
  };
}

const tries = (options: BootOptions): number => readFileSync(path.join(options.dir, 'tries'), 'utf8').split('\n').length - 1;

function recorder(): { log: Logger; warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return { log: { warn: (fields: Record<string, unknown>) => warnings.push(fields) } as unknown as Logger, warnings };
}

const replay = (log: string) => `cat '${path.join(FIXTURES, 'xen', log)}'\nexec ${HANG}`;

describe('bootWithRetry with fake QEMUs', () => {
  it('starts QEMU again after a busy pidfile, then learns the layout of the replayed real boot', async () => {
    const options = fakeBoot(
      'flaky',
      `if [ "$(wc -l < tries)" -lt 2 ]; then echo '${BUSY}' >&2; exit 1; fi\n${replay('xen417-6G-256M.log')}`,
    );
    const { log, warnings } = recorder();
    const result = await bootWithRetry(options, log);
    assert.equal(result.attempts, 2);
    assert.equal(tries(options), 2);
    assert.equal(result.failure, null);
    assert.equal(result.stopReason, 'handed-over');
    assert.deepEqual(
      result.layout.dom0Banks.map((b) => [hex(b.start), hex(b.end)]),
      [['0x50000000', '0x60000000']],
    );
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.attemptNumber, 1);
    assert.equal(warnings[0]!.retriesLeft, 2);
    assert.match(String(warnings[0]!.reason), /^QEMU exited with code 1 before Xen printed anything: .*Resource temporarily unavailable/);
    assert.deepEqual(processesMentioning(HANG), []);
  });

  it('gives up after `retries` more starts and returns the last failed boot', async () => {
    const options = fakeBoot('busy', `echo '${BUSY}' >&2; exit 1`);
    const result = await bootWithRetry(options, recorder().log, 1);
    assert.equal(result.attempts, 2);
    assert.equal(tries(options), 2);
    assert.ok(result.failure?.is('QEMU_EXITED'));
    assert.equal(result.failure.stage, 'qemu-start');
    assert.deepEqual(result.failure.details.stderrTail, [BUSY]);
  });

  it('does not retry a lasting start failure', async () => {
    const options = fakeBoot('bad-kernel', "echo 'qemu-system-aarch64: -kernel /nope: could not load kernel' >&2; exit 1");
    const { log, warnings } = recorder();
    const result = await bootWithRetry(options, log);
    assert.equal(result.attempts, 1);
    assert.equal(tries(options), 1);
    assert.equal(result.failure?.code, 'QEMU_EXITED');
    assert.match(result.failure?.message ?? '', /could not load kernel$/);
    assert.deepEqual(warnings, []);
  });

  it('does not retry a boot Xen failed (a real panic log)', async () => {
    const options = fakeBoot('panic', replay('xen417-bad-image-panic.log'));
    const result = await bootWithRetry({ ...options, imageIsArm64: false }, recorder().log);
    assert.equal(result.attempts, 1);
    assert.equal(result.failure?.code, 'DOM0_NOT_BUILT');
    assert.match(result.failure?.message ?? '', /\(the image has no arm64 Image header\)$/);
    assert.deepEqual(processesMentioning(HANG), []);
  });

  it('lets a QEMU that cannot be started at all fail at once', async () => {
    const options = fakeBoot('missing', 'exit 0');
    await assert.rejects(bootWithRetry({ ...options, qemu: path.join(root, 'no-such-qemu') }, recorder().log), (error: ToolError) => {
      assert.equal(error.code, 'QEMU_START_FAILED');
      assert.match(error.message, /no such file/);
      return true;
    });
  });
});
