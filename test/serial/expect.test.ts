import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LineListener } from '../../src/serial/capture.js';
import { waitFor, type ExitInfo } from '../../src/serial/expect.js';

class FakeSource {
  private listeners = new Set<LineListener>();
  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(line: string): void {
    for (const l of this.listeners) l(line, 0);
  }
  get count(): number {
    return this.listeners.size;
  }
}

const never = new Promise<ExitInfo>(() => undefined);

describe('waitFor', () => {
  it('resolves with the matched value and unsubscribes', async () => {
    const source = new FakeSource();
    const wait = waitFor(source, (l) => (l.startsWith('(XEN) Freed') ? l : undefined), { timeoutMs: 1000, exited: never });
    source.emit('(XEN) other');
    source.emit('(XEN) Freed 348kB init memory.');
    const result = await wait;
    assert.deepEqual(result, { status: 'matched', value: '(XEN) Freed 348kB init memory.', atMs: 0 });
    assert.equal(source.count, 0);
  });

  it('ends at the deadline when nothing matches', async () => {
    const source = new FakeSource();
    const result = await waitFor(source, () => undefined, { timeoutMs: 50, exited: never });
    assert.equal(result.status, 'timeout');
    assert.ok(result.status === 'timeout' && result.waitedMs >= 45);
  });

  it('ends with the exit code and stderr tail when the process exits first', async () => {
    const source = new FakeSource();
    const exit: ExitInfo = { exitCode: 1, signal: null, stderrTail: ['qemu: could not load kernel'] };
    const result = await waitFor(source, () => undefined, { timeoutMs: 5000, exited: Promise.resolve(exit) });
    assert.deepEqual(result, { status: 'exited', exit });
  });
});
