/** FATAL_KINDS: which Xen events mean Dom0 will not come up, checked against the events of the real logs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FATAL_KINDS, type XenEventKind } from '../../src/xen/events.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { fixtureLines } from '../helpers/fixtures.js';

const eventsOf = (name: string) => parseXenLog(fixtureLines(`xen/${name}`)).events;

describe('FATAL_KINDS', () => {
  it('holds the panic and Dom0 failures, not the milestones', () => {
    assert.deepEqual([...FATAL_KINDS].sort(), ['dom0-crashed', 'dom0-halted', 'dom0-not-built', 'panic']);
    const notFatal: XenEventKind[] = ['handover', 'freed-init', 'reboot', 'dom0-memory-short'];
    for (const kind of notFatal) assert.equal(FATAL_KINDS.has(kind), false, kind);
  });

  it('no event of a real successful boot is fatal', () => {
    for (const name of ['xen417-6G-256M.log', 'xen417-6G-3G-two-banks.log', 'xen420-6G-256M.log', 'xen420-6G-3G-two-banks.log']) {
      const events = eventsOf(name);
      assert.ok(
        events.some((e) => e.kind === 'handover'),
        name,
      );
      assert.deepEqual(
        events.filter((e) => FATAL_KINDS.has(e.kind)),
        [],
        name,
      );
    }
  });

  it('every real failed boot has a fatal event, even when Dom0 memory was short (its panic is the fatal one)', () => {
    for (const name of ['xen417-bad-image-panic.log', 'xen417-bad-image-noreboot.log', 'xen417-dom0-mem-too-big.log']) {
      const events = eventsOf(name);
      assert.ok(
        events.some((e) => FATAL_KINDS.has(e.kind)),
        `${name}: ${events.map((e) => e.kind).join(',')}`,
      );
      assert.ok(!events.some((e) => e.kind === 'handover'), name);
    }
    const short = eventsOf('xen417-dom0-mem-too-big.log');
    assert.deepEqual(
      short.map((e) => e.kind),
      ['dom0-memory-short', 'panic', 'reboot'],
    );
    assert.equal(short.find((e) => FATAL_KINDS.has(e.kind))?.kind, 'panic');
  });
});
