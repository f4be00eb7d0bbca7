/** Progress objects: plain lines, the live view's writes through log-update, and which one createProgress picks. */
/* eslint-disable no-control-regex -- these tests look for escape codes in terminal output */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { createProgress, LiveProgress, PlainProgress } from '../../src/report/progress.js';
import { FINAL_ROWS } from '../../src/report/progress/frame.js';

/** A terminal that records what is written to it; rows and columns can change (a resize). */
class Sink extends EventEmitter {
  text = '';
  isTTY = false;
  columns = 80;
  rows = 24;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

const visible = (text: string): string => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

describe('PlainProgress', () => {
  it('prints one plain line per finished step, no serial line and no escape codes', () => {
    const sink = new Sink();
    const p = new PlainProgress(sink);
    p.start('pass 1 build');
    p.serial('(XEN) not shown in plain mode');
    p.done('pass 1 build', '4264 bytes');
    p.start('pass 1 boot');
    p.fail('pass 1 boot', 'XEN_PANIC');
    const lines = sink.text.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^xen-dom0-boot: pass 1 build: ok \(\d+ ms\) 4264 bytes$/);
    assert.match(lines[1]!, /^xen-dom0-boot: pass 1 boot: FAILED \(\d+ ms\) XEN_PANIC$/);
    assert.doesNotMatch(sink.text, /\u001b/);
  });

  it('prints nothing for a step that ends after close (one still ending after Ctrl-C)', () => {
    const sink = new Sink();
    const p = new PlainProgress(sink, true);
    p.start('pass 1 boot');
    p.close();
    p.fail('pass 1 boot', 'QEMU_EXITED');
    assert.equal(sink.text, '');
    p.human!.write('a log line\n');
    assert.equal(sink.text, 'a log line\n', 'log lines still print');
    assert.equal(p.human!.colour, false);
    assert.equal(new PlainProgress(sink).human, undefined, 'a pipe gets JSON, not the human log');
  });
});

describe('LiveProgress', () => {
  it('redraws in place, leaves a final view of at most FINAL_ROWS lines, and writes nothing after close', () => {
    const sink = Object.assign(new Sink(), { isTTY: true, rows: 10, columns: 60 });
    let now = 0;
    const p = new LiveProgress(sink, { colour: false, now: () => now, tick: 0 });
    for (let i = 1; i <= 36; i += 1) {
      p.start(`combination ${i}/36`);
      now += 100;
      if (i % 7 === 0) p.fail(`combination ${i}/36`, 'DOM0_NOT_BUILT');
      else p.done(`combination ${i}/36`, 'ok');
    }
    assert.match(sink.text, /\u001b\[\d+A/, 'moves the cursor up to redraw');
    assert.match(sink.text, /^\u001b\[\?25l/, 'hides the cursor while it draws');
    const before = sink.text.length;
    p.close();
    const final = sink.text.slice(before);
    assert.match(final, /\u001b\[\?25h$/, 'shows the cursor again');
    const lines = visible(final).split('\n').filter(Boolean);
    assert.equal(lines.length, Math.min(FINAL_ROWS, sink.rows - 1));
    // 9 lines: the count, then every failure (#7 ... #35) and the latest ok ones, in the order they ran.
    assert.equal(lines[0], '+ 28 more steps: 28 ok');
    assert.deepEqual(
      lines.slice(1).map((l) => Number(/combination (\d+)/.exec(l)![1])),
      [7, 14, 21, 28, 33, 34, 35, 36],
    );
    assert.ok(lines.some((l) => /^✖ combination 35\/36 .*DOM0_NOT_BUILT$/.test(l)));
    assert.ok(lines.every((l) => l.length <= 59));
    p.start('late');
    p.done('combination 1/36');
    p.close();
    assert.equal(sink.text.length, before + final.length, 'nothing after close');
  });

  it('prints a log line above the view and draws the view again below it', () => {
    const sink = Object.assign(new Sink(), { isTTY: true });
    const p = new LiveProgress(sink, { colour: false, now: () => 0, tick: 0 });
    p.start('pass 1 build');
    const mark = sink.text.length;
    p.human.write('[12:00:00.000] INFO: building\n');
    const after = visible(sink.text.slice(mark));
    assert.match(after, /\[12:00:00\.000\] INFO: building\n… pass 1 build/);
    p.close();
  });

  it('draws the view at the new size as soon as the terminal is resized, the old frame erased first', () => {
    const sink = Object.assign(new Sink(), { isTTY: true, columns: 80 });
    const p = new LiveProgress(sink, { colour: false, now: () => 0, tick: 0 });
    p.start(`a step named ${'x'.repeat(50)}`);
    p.start('another');
    const mark = sink.text.length;
    sink.columns = 40;
    sink.rows = 2;
    sink.emit('resize');
    const redraw = sink.text.slice(mark);
    // log-update erases the 2 lines and the cursor's, then draws what fits 40 columns and 1 line.
    assert.match(redraw, /^(\u001b\[\?2026h)?\u001b\[2K\u001b\[1A\u001b\[2K\u001b\[1A\u001b\[2K\u001b\[G/);
    const lines = visible(redraw).split('\n').filter(Boolean);
    assert.deepEqual(lines, ['+ 2 more steps: 2 running']);
    p.close();
    assert.equal(sink.listenerCount('resize'), 0, 'close stops listening');
  });
});

describe('createProgress', () => {
  it('is live in a terminal outside CI (CI=false is not CI), plain with TERM=dumb, in CI and in a pipe', () => {
    const tty = () => Object.assign(new Sink(), { isTTY: true });
    const live = createProgress(tty() as unknown as NodeJS.WriteStream, {});
    assert.ok(live instanceof LiveProgress);
    live.close();
    const notCi = createProgress(tty() as unknown as NodeJS.WriteStream, { CI: 'false' });
    assert.ok(notCi instanceof LiveProgress);
    notCi.close();
    const dumb = createProgress(tty() as unknown as NodeJS.WriteStream, { TERM: 'dumb' });
    assert.ok(dumb instanceof PlainProgress);
    assert.deepEqual(dumb.human?.colour, false, 'a person still reads a dumb terminal');
    assert.ok(createProgress(tty() as unknown as NodeJS.WriteStream, { CI: 'true' }) instanceof PlainProgress);
    assert.ok(createProgress(tty() as unknown as NodeJS.WriteStream, { GITHUB_ACTIONS: 'true' }) instanceof PlainProgress);
    const pipe = createProgress(new Sink() as unknown as NodeJS.WriteStream, {});
    assert.ok(pipe instanceof PlainProgress);
    assert.equal(pipe.human, undefined);
  });
});
