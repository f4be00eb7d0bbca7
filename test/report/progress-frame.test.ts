/** The live view's frame and the final view: bounded to the terminal's rows and columns whatever the steps. */
/* eslint-disable no-control-regex -- these tests look for escape codes in terminal output */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINAL_ROWS, finalFrame, liveFrame, type StepView } from '../../src/report/progress/frame.js';

const plain = (line: string): string => line.replace(/\u001b\[[0-9;]*m/g, '');

/** `n` steps named like drift's combinations; `running` of them (the last ones) still running, every 5th failed. */
function steps(n: number, running = 0): StepView[] {
  return Array.from({ length: n }, (_, i) => {
    const done = i < n - running;
    return {
      name: `#${i + 1} xen 4.17, -m ${2 + (i % 6)}G, dom0_mem=${128 * (1 + Math.floor(i / 6))}M`,
      state: !done ? 'running' : i % 5 === 4 ? 'failed' : 'done',
      startedMs: i * 100,
      endedMs: done ? i * 100 + 900 : null,
      detail: done && i % 5 === 4 ? 'DOM0_NOT_BUILT' : '',
    } satisfies StepView;
  });
}

/** The step names a frame shows (each line's text after the mark, up to the time). */
const namesIn = (lines: string[]): string[] =>
  lines.map((l) => /^[✔✖…] (#\d+ [^]*?) {2,}/.exec(plain(l))?.[1]?.trim() ?? '').filter(Boolean);

describe('liveFrame', () => {
  it('never holds more than rows - 1 lines or a line wider than columns - 1, for any number of steps and terminal size', () => {
    let frames = 0;
    for (const n of [1, 2, 5, 23, 24, 36, 100]) {
      for (const running of [0, 1, 2, Math.min(n, 8)]) {
        for (const [rows, columns] of [
          [24, 80],
          [10, 40],
          [3, 20],
          [50, 200],
          [2, 12],
          [1, 80],
        ] as const) {
          const lines = liveFrame(steps(n, running), '(XEN) a serial line\twith a tab', 5000, { rows, columns, colour: frames % 2 === 0 });
          frames += 1;
          assert.ok(lines.length <= Math.max(0, rows - 1), `${n} steps, ${rows} rows: ${lines.length} lines`);
          for (const line of lines) assert.ok(plain(line).length <= columns - 1, `${columns} columns: "${plain(line)}"`);
          const names = namesIn(lines);
          assert.equal(new Set(names).size, names.length, 'no step twice');
          // Every step is either on a line or counted on the top one.
          const onLines = lines.filter((l) => /^[✔✖…]/.test(plain(l))).length;
          const counted = Number(/^\+ (\d+) more/.exec(plain(lines[0] ?? ''))?.[1] ?? 0);
          if (rows > 1) assert.equal(onLines + counted, n, `${n} steps, ${rows} rows: ${onLines} shown, ${counted} counted`);
        }
      }
    }
    assert.equal(frames, 7 * 4 * 6);
  });

  it('shows every step when they fit, with times and details, and the running boot serial line last', () => {
    const lines = liveFrame(steps(3, 1), '(XEN) Freed 348kB init memory.', 5000, { rows: 24, columns: 80, colour: false });
    assert.deepEqual(lines, [
      '✔ #1 xen 4.17, -m 2G, dom0_mem=128M    0.9 s',
      '✔ #2 xen 4.17, -m 3G, dom0_mem=128M    0.9 s',
      '… #3 xen 4.17, -m 4G, dom0_mem=128M    4.8 s',
      '  | (XEN) Freed 348kB init memory.',
    ]);
  });

  it('when they do not fit: a count of the others on top, the running steps, then the latest finished', () => {
    const lines = liveFrame(steps(36, 1), '', 5000, { rows: 8, columns: 80, colour: false });
    assert.equal(lines.length, 7);
    // 36 steps, 6 shown: 30 hidden, of which every 5th failed (#5, #10, ... #30: 6) and none running.
    assert.equal(lines[0], '+ 30 more steps: 24 ok, 6 failed');
    assert.deepEqual(
      namesIn(lines).map((n) => n.split(' ')[0]),
      ['#31', '#32', '#33', '#34', '#35', '#36'],
    );
    assert.match(lines.at(-1)!, /^… #36 /);
    assert.match(lines.at(-2)!, /^✖ #35 .* DOM0_NOT_BUILT$/);
  });

  it('keeps the running steps before the finished ones when even they do not fit, and counts the rest', () => {
    const lines = liveFrame(steps(10, 6), 'serial', 5000, { rows: 5, columns: 60, colour: false });
    // 4 lines: the count, 2 running steps, the serial line; the 4 finished and 4 more running are counted.
    assert.equal(lines.length, 4);
    assert.equal(lines[0], '+ 8 more steps: 4 ok, 4 running');
    assert.deepEqual(
      namesIn(lines).map((n) => n.split(' ')[0]),
      ['#5', '#6'],
    );
    assert.equal(lines[3], '  | serial');
  });

  it('cuts long names, details and serial lines to the width, and shows no control characters', () => {
    const long: StepView[] = [{ name: 'x'.repeat(200), state: 'running', startedMs: 0, endedMs: null, detail: 'd'.repeat(100) }];
    const lines = liveFrame(long, `\u001b[1;31m${'z'.repeat(300)}\u0007é`, 1000, { rows: 24, columns: 40, colour: false });
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => l.length === 39 && l.endsWith('…')));
    assert.doesNotMatch(lines.join(''), /[\u0000-\u001f]/);
  });

  it('colours the marks, and only the marks and the dim lines, when asked', () => {
    const [ok, failed, running] = liveFrame(
      steps(3, 1).map((s, i) => (i === 1 ? { ...s, state: 'failed' } : s)),
      '',
      5000,
      {
        rows: 24,
        columns: 80,
        colour: true,
      },
    );
    assert.match(ok!, /^\u001b\[32m✔\u001b\[39m #1/);
    assert.match(failed!, /^\u001b\[31m✖\u001b\[39m #2/);
    assert.match(running!, /^\u001b\[36m…\u001b\[39m #3/);
    assert.deepEqual(
      liveFrame(steps(3, 1), '', 5000, { rows: 24, columns: 80, colour: false }).map((l) => l.includes('\u001b')),
      [false, false, false],
    );
  });
});

describe('finalFrame', () => {
  it('keeps the failures first, then the latest steps, within FINAL_ROWS lines and the terminal', () => {
    const all = steps(36);
    const lines = finalFrame(all, 9999, { rows: 24, columns: 80, colour: false });
    assert.equal(lines.length, FINAL_ROWS);
    const shown = namesIn(lines).map((n) => n.split(' ')[0]);
    // The 7 failures (#5 ... #35) all kept, then the latest ok ones, in the order they ran.
    for (const failed of ['#5', '#10', '#15', '#20', '#25', '#30', '#35']) assert.ok(shown.includes(failed), failed);
    assert.deepEqual(shown, ['#5', '#10', '#15', '#20', '#25', '#30', '#32', '#33', '#34', '#35', '#36']);
    assert.equal(lines[0], '+ 25 more steps: 25 ok');
    assert.ok(finalFrame(all, 9999, { rows: 6, columns: 30, colour: false }).every((l) => l.length <= 29));
    assert.equal(finalFrame(all, 9999, { rows: 6, columns: 30, colour: false }).length, 5);
  });

  it('is the whole list when it fits, and nothing without steps', () => {
    const lines = finalFrame(steps(4), 9999, { rows: 24, columns: 80, colour: false });
    assert.deepEqual(
      namesIn(lines).map((n) => n.split(' ')[0]),
      ['#1', '#2', '#3', '#4'],
    );
    assert.deepEqual(finalFrame([], 0, { rows: 24, columns: 80, colour: false }), []);
  });
});
