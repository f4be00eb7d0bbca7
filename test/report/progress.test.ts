import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgress, LiveProgress, PlainProgress } from '../../src/report/progress.js';

class Sink {
  text = '';
  isTTY = false;
  columns = 80;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('progress', () => {
  it('prints one plain line per finished step for CI and pipes', () => {
    const sink = new Sink();
    const p = new PlainProgress(sink as unknown as NodeJS.WritableStream);
    p.start('pass 1 build');
    p.serial('(XEN) not shown in plain mode');
    p.done('pass 1 build', '4264 bytes');
    p.start('pass 1 boot');
    p.fail('pass 1 boot', 'XEN_PANIC');
    const lines = sink.text.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^xen-dom0-boot: pass 1 build: ok \(\d+ ms\) 4264 bytes$/);
    assert.match(lines[1]!, /^xen-dom0-boot: pass 1 boot: FAILED \(\d+ ms\) XEN_PANIC$/);
  });

  it('redraws a live step list with the latest serial line in a terminal', () => {
    const sink = new Sink();
    const p = new LiveProgress(sink as unknown as NodeJS.WriteStream);
    p.start('pass 1 boot');
    p.serial('(XEN) Freed 348kB init memory.');
    p.start('pass 2 boot');
    p.serial('dom0-demo: match');
    p.done('pass 2 boot', 'Dom0 up');
    p.close();
    const cursorUp = new RegExp(String.raw`\u001b\[\d+A`);
    assert.match(sink.text, cursorUp, 'moves the cursor up to redraw');
    const last = sink.text.split(cursorUp).at(-1)!;
    assert.match(last, /… pass 1 boot/);
    assert.match(last, /✔ pass 2 boot +\d+\.\d s Dom0 up/);
  });

  it('is live only in a terminal outside CI', () => {
    const tty = Object.assign(new Sink(), { isTTY: true }) as unknown as NodeJS.WriteStream;
    const live = createProgress(tty, {});
    assert.ok(live instanceof LiveProgress);
    live.close();
    assert.ok(createProgress(tty, { CI: 'true' }) instanceof PlainProgress);
    assert.ok(createProgress(new Sink() as unknown as NodeJS.WriteStream, {}) instanceof PlainProgress);
  });
});
