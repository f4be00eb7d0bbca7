/** Dom0Watch: Dom0's own console lines after the hand-over against its success and failure patterns. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dom0Watch, NOT_WATCHED, type ConfirmSpec } from '../../src/pipeline/dom0-watch.js';
import { compileLinePattern } from '../../src/serial/line-pattern.js';
import { xenMessage } from '../../src/xen/parse.js';
import { fixtureLines } from '../helpers/fixtures.js';

const HANDOVER_AT = 1000;

function spec(success: string[], failure: string | null = null): ConfirmSpec {
  return {
    success: success.map((s) => compileLinePattern(s, '--success')),
    failure: failure === null ? null : compileLinePattern(failure, '--failure'),
    timeoutMs: 5000,
  };
}

/** The lines the real test image printed after Xen's hand-over (what bootOnce feeds a watch). */
function dom0LinesOf(name: string): string[] {
  const lines = fixtureLines(`xen/${name}`);
  const handover = lines.findIndex((line) => line.includes('*** Serial input to DOM0'));
  assert.ok(handover > 0);
  return lines.slice(handover + 1).filter((line) => xenMessage(line) === null);
}

describe('Dom0Watch', () => {
  it('is up once the real test image prints its line, upAfterMs counted from the hand-over', () => {
    const dom0 = dom0LinesOf('xen417-6G-256M.log');
    assert.deepEqual(dom0, ['xen-dom0-boot test image: running']);
    const watch = new Dom0Watch(spec(['test image: running']), HANDOVER_AT);
    assert.equal(watch.status, 'pending');
    watch.push(dom0[0]!, 1042);
    assert.equal(watch.status, 'up');
    assert.deepEqual(watch.outcome(), {
      status: 'up',
      seen: ['test image: running'],
      missing: [],
      failureLine: null,
      lines: ['xen-dom0-boot test image: running'],
      upAfterMs: 42,
    });
  });

  it('needs every success pattern, in any order; the time is the line that completed the set', () => {
    const watch = new Dom0Watch(spec(['^booted$', 'shell ready', 'net up']), HANDOVER_AT);
    watch.push('net up on eth0', 1100);
    watch.push('booted', 1200);
    let outcome = watch.outcome();
    assert.equal(outcome.status, 'pending');
    assert.deepEqual(outcome.seen, ['^booted$', 'net up'], 'seen in the order of the spec, not of the log');
    assert.deepEqual(outcome.missing, ['shell ready']);
    assert.equal(outcome.upAfterMs, null);
    watch.push('shell ready', 1300.7);
    watch.push('shell ready again', 1900);
    outcome = watch.outcome();
    assert.equal(outcome.status, 'up');
    assert.deepEqual(outcome.missing, []);
    assert.equal(outcome.upAfterMs, 301, 'rounded, and the later match does not move it');
  });

  it('is failed on the failure pattern, keeping the first failure line, even when it was up before', () => {
    const watch = new Dom0Watch(spec(['running'], 'PANIC|fatal'), HANDOVER_AT);
    watch.push('xen-dom0-boot test image: running', 1010);
    assert.equal(watch.status, 'up');
    watch.push('*** fatal error 3 ***', 1020);
    watch.push('PANIC again', 1030);
    const outcome = watch.outcome();
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failureLine, '*** fatal error 3 ***');
    assert.equal(outcome.upAfterMs, 10, 'the up time is still reported');
    assert.deepEqual(outcome.lines, ['xen-dom0-boot test image: running', '*** fatal error 3 ***', 'PANIC again']);
  });

  it('a line can be both: the failure wins over the success it completes', () => {
    const watch = new Dom0Watch(spec(['done'], 'error'), HANDOVER_AT);
    watch.push('done with error', 1500);
    assert.equal(watch.status, 'failed');
    assert.deepEqual(watch.outcome().seen, ['done']);
  });

  it('reports silent and crashed as the caller decides, with what was seen and missing', () => {
    const watch = new Dom0Watch(spec(['first', 'second']), HANDOVER_AT);
    watch.push('first thing', 1001);
    const silent = watch.outcome('silent');
    assert.deepEqual(silent, {
      status: 'silent',
      seen: ['first'],
      missing: ['second'],
      failureLine: null,
      lines: ['first thing'],
      upAfterMs: null,
    });
    watch.push('second thing', 1002);
    const crashed = watch.outcome('crashed');
    assert.equal(crashed.status, 'crashed', 'the final status overrides even "up"');
    assert.equal(crashed.upAfterMs, 2);
    assert.equal(watch.status, 'up', 'outcome(final) does not change the watch');
  });

  it('ignores blank lines: not kept, not matched', () => {
    const watch = new Dom0Watch(spec(['^\\s*$']), HANDOVER_AT);
    watch.push('', 1001);
    watch.push('   \t', 1002);
    const outcome = watch.outcome();
    assert.equal(outcome.status, 'pending');
    assert.deepEqual(outcome.lines, []);
    assert.deepEqual(outcome.missing, ['^\\s*$']);
  });

  it('keeps only the last 30 lines Dom0 printed', () => {
    const watch = new Dom0Watch(spec(['never printed']), HANDOVER_AT);
    for (let i = 1; i <= 45; i++) watch.push(`line ${i}`, HANDOVER_AT + i);
    const { lines } = watch.outcome();
    assert.equal(lines.length, 30);
    assert.equal(lines[0], 'line 16');
    assert.equal(lines.at(-1), 'line 45');
  });

  it('hands out copies: pushing later does not change an outcome already taken', () => {
    const watch = new Dom0Watch(spec(['x']), HANDOVER_AT);
    watch.push('a', 1001);
    const before = watch.outcome();
    watch.push('x', 1002);
    assert.deepEqual(before.lines, ['a']);
    assert.equal(before.status, 'pending');
  });

  it('exposes the spec it watches (bootOnce reads its timeout)', () => {
    const s = spec(['x']);
    assert.equal(new Dom0Watch(s, 0).spec.timeoutMs, 5000);
  });
});

describe('NOT_WATCHED', () => {
  it('is the empty not-watched outcome', () => {
    assert.deepEqual(NOT_WATCHED, { status: 'not-watched', seen: [], missing: [], failureLine: null, lines: [], upAfterMs: null });
  });
});
