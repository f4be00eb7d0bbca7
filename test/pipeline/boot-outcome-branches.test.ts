/**
 * bootFailure on every way a boot can end: each failure branch (code, stage, the words a person
 * reads, the details the report keeps) and the success path, fed from the real captured Xen logs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/base/errors.js';
import type { ExitInfo, WaitResult } from '../../src/serial/expect.js';
import { bootFailure, qemuExitedError, type BootFacts, type BootSignal } from '../../src/pipeline/boot-outcome.js';
import type { XenEvent } from '../../src/xen/events.js';
import { parseXenLog, xenMessage } from '../../src/xen/parse.js';
import { fixtureLines } from '../helpers/fixtures.js';

const TAIL = 20;
const HANDED_OVER: WaitResult<BootSignal> = { status: 'matched', value: { kind: 'handed-over' }, atMs: 1234 };
const TIMEOUT: WaitResult<BootSignal> = { status: 'timeout', waitedMs: 60_000 };
const exited = (exit: ExitInfo): WaitResult<BootSignal> => ({ status: 'exited', exit });

const log = (name: string): string[] => fixtureLines(`xen/${name}`);

/** The facts bootOnce would hand over after reading `lines` (parsed as the boot's parser would). */
function factsFrom(lines: string[], wait: WaitResult<BootSignal>, over: Partial<BootFacts> = {}): BootFacts {
  const parsed = parseXenLog(lines);
  const xenLines = lines.filter((line) => xenMessage(line) !== null);
  return {
    wait,
    layout: parsed.layout,
    events: parsed.events,
    anomalies: parsed.anomalies,
    xenLineCount: parsed.xenLineCount,
    lastXenLine: xenLines.at(-1) ?? null,
    serialTail: lines.slice(-TAIL),
    timeoutMs: 60_000,
    xenTimeoutMs: 15_000,
    imageIsArm64: true,
    ...over,
  };
}

/** The wait of a boot whose parser saw a fatal event: the first one, as bootOnce keeps it. */
function fatalWait(events: XenEvent[]): WaitResult<BootSignal> {
  const event = events.find((e) => e.kind === 'panic' || e.kind.startsWith('dom0-'));
  assert.ok(event, 'the log must hold a fatal event');
  return { status: 'matched', value: { kind: 'fatal', event }, atMs: 99 };
}

/** Lines of a log up to (not including) the first that contains `marker`. */
function upTo(lines: string[], marker: string): string[] {
  const at = lines.findIndex((line) => line.includes(marker));
  assert.ok(at > 0, `marker ${marker} must be in the log`);
  return lines.slice(0, at);
}

describe('bootFailure: success', () => {
  for (const name of [
    'xen417-6G-256M.log',
    'xen417-6G-256M-timestamps.log',
    'xen417-2G-256M.log',
    'xen417-6G-1G.log',
    'xen417-6G-3G-two-banks.log',
    'xen420-6G-256M.log',
    'xen420-6G-3G-two-banks.log',
  ]) {
    it(`is null for the real boot ${name}: hand-over with a complete layout`, () => {
      assert.equal(bootFailure(factsFrom(log(name), HANDED_OVER)), null);
    });
  }
});

describe('bootFailure: Xen failed (a fatal event matched)', () => {
  it('DOM0_NOT_BUILT when Dom0 memory was short, naming the unallocated MB and both options (beats the bare panic)', () => {
    const lines = log('xen417-dom0-mem-too-big.log');
    const facts = factsFrom(lines, HANDED_OVER);
    assert.ok(
      facts.events.some((e) => e.kind === 'panic'),
      'the real log also holds the panic',
    );
    const failure = bootFailure({ ...facts, wait: fatalWait(facts.events) })!;
    assert.equal(failure.code, 'DOM0_NOT_BUILT');
    assert.equal(failure.stage, 'xen-boot');
    assert.match(failure.message, /could not give Dom0 its memory: 1344MB unallocated/);
    assert.match(failure.message, /lower --dom0-mem or raise --memory/);
    assert.deepEqual(failure.details, { serialTail: lines.slice(-TAIL) });
    assert.equal(failure.exitCode, EXIT_CODES.DOM0_NOT_BUILT);
  });

  it("DOM0_NOT_BUILT quoting Xen's reason, with the arm64 hint when the image has no Image header", () => {
    const lines = log('xen417-bad-image-panic.log');
    const facts = factsFrom(lines, HANDED_OVER, { imageIsArm64: false });
    const failure = bootFailure({ ...facts, wait: fatalWait(facts.events) })!;
    assert.deepEqual([failure.code, failure.stage], ['DOM0_NOT_BUILT', 'xen-boot']);
    assert.equal(failure.message, 'Xen could not build Dom0: "Could not set up DOM0 guest OS" (the image has no arm64 Image header)');
    const tail = failure.details.serialTail as string[];
    assert.deepEqual(tail, lines.slice(-TAIL));
    assert.ok(tail.includes('(XEN) Could not set up DOM0 guest OS'), 'the tail shows the panic');
  });

  it('DOM0_NOT_BUILT without the hint when the image is an arm64 Image (noreboot log)', () => {
    const facts = factsFrom(log('xen417-bad-image-noreboot.log'), HANDED_OVER, { imageIsArm64: true });
    const failure = bootFailure({ ...facts, wait: fatalWait(facts.events) })!;
    assert.equal(failure.code, 'DOM0_NOT_BUILT');
    assert.equal(failure.message, 'Xen could not build Dom0: "Could not set up DOM0 guest OS"');
    assert.doesNotMatch(failure.message, /arm64/);
  });

  it('XEN_PANIC for any other panic, with the CPU and the whole panic message', () => {
    const lines = [
      ...upTo(log('xen417-6G-256M.log'), '*** LOADING DOMAIN 0'),
      '(XEN) ',
      '(XEN) ****************************************',
      '(XEN) Panic on CPU 1:',
      '(XEN) Assertion failed at common/page_alloc.c:123',
      '(XEN) second line of the message',
      '(XEN) ****************************************',
      '(XEN) ',
      '(XEN) Reboot in five seconds...',
    ];
    const facts = factsFrom(lines, HANDED_OVER);
    const failure = bootFailure({ ...facts, wait: fatalWait(facts.events) })!;
    assert.deepEqual([failure.code, failure.stage], ['XEN_PANIC', 'xen-boot']);
    assert.equal(failure.message, 'Xen panicked on CPU 1: Assertion failed at common/page_alloc.c:123 second line of the message');
    assert.deepEqual(failure.details, { serialTail: lines.slice(-TAIL) });
    assert.equal(failure.exitCode, EXIT_CODES.XEN_PANIC);
  });

  it("DOM0_CRASHED at the hand-over stage with Xen's reason, even after a complete layout", () => {
    const lines = [...log('xen417-6G-256M.log'), '(XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.'];
    const facts = factsFrom(lines, HANDED_OVER);
    assert.equal(facts.layout.dom0Banks.length, 1, 'the layout itself is complete');
    const failure = bootFailure({ ...facts, wait: fatalWait(facts.events) })!;
    assert.deepEqual([failure.code, failure.stage], ['DOM0_CRASHED', 'handover']);
    assert.equal(failure.message, 'Dom0 crashed: rebooting machine in 5 seconds.');
    assert.deepEqual(failure.details, { serialTail: lines.slice(-TAIL) });
  });

  it('DOM0_CRASHED saying "halted" (not "crashed") when Dom0 halted', () => {
    const lines = [...log('xen420-6G-256M.log'), '(XEN) Hardware Dom0 halted: halting machine'];
    const facts = factsFrom(lines, HANDED_OVER);
    const failure = bootFailure({ ...facts, wait: fatalWait(facts.events) })!;
    assert.deepEqual([failure.code, failure.stage, failure.message], ['DOM0_CRASHED', 'handover', 'Dom0 halted']);
    assert.equal(failure.exitCode, EXIT_CODES.DOM0_CRASHED);
  });

  it('prefers the memory reason over "not built" and the panic when all are in the events', () => {
    const events: XenEvent[] = [
      { kind: 'panic', line: 3, cpu: 0, message: 'x' },
      { kind: 'dom0-not-built', line: 3, reason: 'Could not set up DOM0 guest OS', rc: null },
      { kind: 'dom0-memory-short', line: 3, unallocatedMB: 7 },
    ];
    const facts = factsFrom([], HANDED_OVER, { events, xenLineCount: 5 });
    const failure = bootFailure({ ...facts, wait: fatalWait(events) })!;
    assert.equal(failure.code, 'DOM0_NOT_BUILT');
    assert.match(failure.message, /7MB unallocated/);
  });
});

describe('bootFailure: hand-over with a layout that cannot be used', () => {
  it('LAYOUT_INCOMPLETE listing anomalies (before checking completeness), with anomalies and missing in the details', () => {
    const lines = [...log('xen417-6G-256M.log'), '(XEN) Grant table range: 0x00000040240000-0x00000040200000'];
    const facts = factsFrom(lines, HANDED_OVER);
    assert.equal(facts.anomalies.length, 1);
    const failure = bootFailure(facts)!;
    assert.deepEqual([failure.code, failure.stage], ['LAYOUT_INCOMPLETE', 'layout']);
    assert.match(failure.message, /^Xen's layout lines cannot all be true: range ends before it starts: "Grant table range: /);
    assert.deepEqual(failure.details, { serialTail: lines.slice(-TAIL), anomalies: facts.anomalies, missing: [] });
    assert.equal(failure.exitCode, EXIT_CODES.LAYOUT_INCOMPLETE);
  });

  it('joins several anomalies with "; " and still names the fields that are missing', () => {
    const facts = factsFrom(upTo(log('xen417-6G-256M.log'), 'Allocating PPI'), HANDED_OVER, {
      anomalies: ['first thing', 'second thing'],
    });
    const failure = bootFailure(facts)!;
    assert.equal(failure.message, "Xen's layout lines cannot all be true: first thing; second thing");
    assert.deepEqual(failure.details.missing, ['extendedRegions', 'eventChannelPpi']);
    assert.deepEqual(failure.details.anomalies, ['first thing', 'second thing']);
  });

  it('LAYOUT_INCOMPLETE naming the fields Xen never printed', () => {
    const full = log('xen417-6G-256M.log');
    const lines = full.filter((line) => !/Allocating PPI|extended region/.test(line));
    const facts = factsFrom(lines, HANDED_OVER);
    const failure = bootFailure(facts)!;
    assert.deepEqual([failure.code, failure.stage], ['LAYOUT_INCOMPLETE', 'layout']);
    assert.equal(failure.message, 'Xen handed over to Dom0 but never printed: extendedRegions, eventChannelPpi');
    assert.deepEqual(failure.details, { serialTail: lines.slice(-TAIL), missing: ['extendedRegions', 'eventChannelPpi'] });
  });

  it('names every required field when Xen printed none of them', () => {
    const lines = upTo(log('xen417-6G-256M.log'), '*** LOADING DOMAIN 0');
    const failure = bootFailure(factsFrom(lines, HANDED_OVER))!;
    assert.equal(failure.message, 'Xen handed over to Dom0 but never printed: dom0Banks, grantTable, extendedRegions, eventChannelPpi');
  });
});

describe('bootFailure: QEMU exited on its own', () => {
  const stderrTail = ['warn 1', 'warn 2', 'qemu: a', 'qemu: b', 'qemu: c'];

  it('QEMU_EXITED at qemu-start when Xen printed nothing, quoting the last three stderr lines', () => {
    const facts = factsFrom([], exited({ exitCode: 1, signal: null, stderrTail }), { serialTail: ['firmware noise'] });
    const failure = bootFailure(facts)!;
    assert.deepEqual([failure.code, failure.stage], ['QEMU_EXITED', 'qemu-start']);
    assert.equal(failure.message, 'QEMU exited with code 1 before Xen printed anything: qemu: a | qemu: b | qemu: c');
    assert.deepEqual(failure.details, { serialTail: ['firmware noise'], stderrTail });
    assert.equal(failure.exitCode, EXIT_CODES.QEMU_EXITED);
  });

  it('QEMU_EXITED at the hand-over stage when Xen had spoken, naming the signal', () => {
    const lines = upTo(log('xen420-6G-256M.log'), '*** LOADING DOMAIN 0');
    const facts = factsFrom(lines, exited({ exitCode: null, signal: 'SIGSEGV', stderrTail: [] }));
    const failure = bootFailure(facts)!;
    assert.deepEqual([failure.code, failure.stage], ['QEMU_EXITED', 'handover']);
    assert.equal(failure.message, 'QEMU was killed by SIGSEGV before Xen handed over to Dom0');
    assert.deepEqual(failure.details, { serialTail: lines.slice(-TAIL), stderrTail: [] });
  });
});

describe('bootFailure: a deadline passed', () => {
  it('XEN_SILENT when Xen printed nothing, defaulting to --xen-timeout and asking about the Xen image', () => {
    const facts = factsFrom(['U-Boot? no', 'garbage'], TIMEOUT, { xenTimeoutMs: 2500 });
    delete facts.xenTimeoutOption;
    const failure = bootFailure(facts)!;
    assert.deepEqual([failure.code, failure.stage], ['XEN_SILENT', 'xen-boot']);
    assert.equal(failure.message, 'no Xen output before the Xen start deadline (--xen-timeout 2.5 s); is --xen an arm64 Xen image?');
    assert.deepEqual(failure.details, { serialTail: ['U-Boot? no', 'garbage'] });
    assert.equal(failure.exitCode, EXIT_CODES.XEN_SILENT);
  });

  it('HANDOVER_TIMEOUT naming the boot deadline and the last Xen line (a Dom0 line after it does not count)', () => {
    const lines = [...upTo(log('xen417-6G-256M.log'), 'Allocating 1:1 mappings'), 'not a Xen line'];
    const facts = factsFrom(lines, TIMEOUT, { timeoutMs: 8000 });
    assert.equal(facts.lastXenLine, '(XEN) Loading d0 kernel from boot module @ 0000000040600000');
    const failure = bootFailure(facts)!;
    assert.deepEqual([failure.code, failure.stage], ['HANDOVER_TIMEOUT', 'handover']);
    assert.equal(
      failure.message,
      'Xen did not hand over to Dom0 before the boot deadline (--timeout 8 s); last Xen line: (XEN) Loading d0 kernel from boot module @ 0000000040600000',
    );
    assert.deepEqual(failure.details, { serialTail: lines.slice(-TAIL) });
    assert.equal(failure.exitCode, EXIT_CODES.HANDOVER_TIMEOUT);
  });

  it('HANDOVER_TIMEOUT saying the hand-over began when Xen printed its hand-over line', () => {
    const lines = upTo(log('xen417-6G-256M.log'), 'Freed');
    const facts = factsFrom(lines, TIMEOUT);
    assert.ok(facts.events.some((e) => e.kind === 'handover'));
    const failure = bootFailure(facts)!;
    assert.equal(failure.code, 'HANDOVER_TIMEOUT');
    assert.match(failure.message, /^Xen began the hand-over but never finished it before the boot deadline \(--timeout 60 s\)/);
    assert.match(failure.message, /last Xen line: \(XEN\) \*\*\* Serial input to DOM0/);
  });

  it('says "(none)" when no last Xen line is known', () => {
    const failure = bootFailure(factsFrom([], TIMEOUT, { xenLineCount: 2, lastXenLine: null }))!;
    assert.equal(failure.code, 'HANDOVER_TIMEOUT');
    assert.match(failure.message, /last Xen line: \(none\)$/);
  });
});

describe('qemuExitedError', () => {
  it('keeps every stderr line in the details but quotes only the last three, and none when there are none', () => {
    const many = qemuExitedError({ exitCode: 3, signal: null, stderrTail: ['1', '2', '3', '4'] }, 'qemu-start', 'at once', {});
    assert.equal(many.message, 'QEMU exited with code 3 at once: 2 | 3 | 4');
    assert.deepEqual(many.details, { stderrTail: ['1', '2', '3', '4'] });
    const none = qemuExitedError({ exitCode: 0, signal: null, stderrTail: [] }, 'dom0', 'while Dom0 was watched', {});
    assert.equal(none.message, 'QEMU exited with code 0 while Dom0 was watched');
  });
});
