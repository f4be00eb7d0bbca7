/** How a boot ended, as a failure: QEMU's exits and the deadlines, each naming the option that ended it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import { bootFailure, qemuExitedError, type BootFacts } from '../../src/pipeline/boot-outcome.js';

function facts(over: Partial<BootFacts>): BootFacts {
  return {
    wait: { status: 'timeout', waitedMs: 1 },
    layout: placeholderLayout(),
    events: [],
    anomalies: [],
    xenLineCount: 0,
    lastXenLine: null,
    serialTail: [],
    timeoutMs: 60_000,
    xenTimeoutMs: 15_000,
    imageIsArm64: true,
    ...over,
  };
}

describe('bootFailure', () => {
  it('names --xen-timeout with its value when that deadline ended the wait for Xen', () => {
    const failure = bootFailure(facts({ xenTimeoutOption: '--xen-timeout' }))!;
    assert.equal(failure.code, 'XEN_SILENT');
    assert.match(failure.message, /\(--xen-timeout 15 s\)/);
  });

  it('names --timeout when the boot deadline was the shorter one (--timeout 0.001)', () => {
    const failure = bootFailure(facts({ timeoutMs: 1, xenTimeoutMs: 1, xenTimeoutOption: '--timeout' }))!;
    assert.equal(failure.code, 'XEN_SILENT');
    assert.match(failure.message, /\(--timeout 0\.001 s\)/);
    assert.doesNotMatch(failure.message, /--xen-timeout/);
  });

  it('says how QEMU ended, with its last stderr lines, when it exits before the hand-over', () => {
    const exit = { exitCode: 1, signal: null, stderrTail: ['qemu: boom'] };
    const failure = bootFailure(facts({ wait: { status: 'exited', exit }, xenLineCount: 3 }))!;
    assert.deepEqual([failure.code, failure.stage], ['QEMU_EXITED', 'handover']);
    assert.equal(failure.message, 'QEMU exited with code 1 before Xen handed over to Dom0: qemu: boom');
  });
});

describe('qemuExitedError', () => {
  it('names the signal that killed QEMU and when', () => {
    const failure = qemuExitedError({ exitCode: null, signal: 'SIGKILL', stderrTail: [] }, 'dom0', 'while Dom0 was watched', {
      dom0Lines: ['Booting Zephyr'],
    });
    assert.deepEqual(
      [failure.code, failure.stage, failure.message],
      ['QEMU_EXITED', 'dom0', 'QEMU was killed by SIGKILL while Dom0 was watched'],
    );
    assert.deepEqual(failure.details, { dom0Lines: ['Booting Zephyr'], stderrTail: [] });
  });
});
