/** SerialCapture: lines reach listeners at once; serial.log gets every byte, written in batches. */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, WriteStream } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import { FLUSH_MS, SerialCapture } from '../../src/serial/capture.js';
import { tempDir } from '../helpers/tmp.js';

/** A Xen-like log sent as QEMU sends it: a few bytes per chunk. */
function dribble(stream: PassThrough, text: string, size = 7): void {
  for (let i = 0; i < text.length; i += size) stream.write(Buffer.from(text.slice(i, i + size), 'latin1'));
}

describe('SerialCapture', () => {
  const text = Array.from({ length: 60 }, (_, i) => `(XEN) line ${i} \x1b[0m with some text\r\n`).join('');

  it('hands each line to listeners as its chunk arrives, and writes the log in a few batched writes', async () => {
    const log = path.join(tempDir('capture'), 'serial.log');
    const writes: number[] = [];
    const original = WriteStream.prototype.write;
    WriteStream.prototype.write = function (this: WriteStream, chunk: Buffer, ...rest: unknown[]) {
      writes.push(chunk.length);
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof original;
    try {
      const stream = new PassThrough();
      const capture = new SerialCapture(stream, log);
      const lines: string[] = [];
      capture.onLine((line) => lines.push(line));
      dribble(stream, text);
      await tick();
      assert.equal(lines.length, 60);
      assert.equal(lines[59], '(XEN) line 59  with some text');
      await sleep(FLUSH_MS * 3);
      stream.end();
      await capture.closed;
    } finally {
      WriteStream.prototype.write = original;
    }
    assert.ok(writes.length <= 3, `${writes.length} writes for ${Math.ceil(text.length / 7)} chunks`);
    assert.equal(
      writes.reduce((a, b) => a + b, 0),
      text.length,
    );
    assert.equal(readFileSync(log, 'latin1'), text);
  });

  it('writes every byte within a flush interval while the stream is still open, and the rest at the end', async () => {
    const log = path.join(tempDir('capture'), 'serial.log');
    const stream = new PassThrough();
    const capture = new SerialCapture(stream, log);
    dribble(stream, text);
    // The flush is due FLUSH_MS after the first chunk; the file write itself may lag on a busy machine.
    const content = (): string => (existsSync(log) ? readFileSync(log, 'latin1') : '');
    const deadline = performance.now() + 2000;
    while (content() !== text && performance.now() < deadline) await sleep(FLUSH_MS);
    assert.equal(content(), text, 'flushed without the stream ending');
    dribble(stream, 'tail without a newline');
    stream.end();
    await capture.closed;
    assert.equal(readFileSync(log, 'latin1'), `${text}tail without a newline`);
    assert.equal(capture.byteCount, text.length + 'tail without a newline'.length);
  });

  it('writes a new serial.log in place of a symbolic link (a reused run folder), never through it', async () => {
    const dir = tempDir('capture-link');
    const precious = path.join(dir, 'precious');
    writeFileSync(precious, 'mine\n');
    const log = path.join(dir, 'serial.log');
    symlinkSync(precious, log);
    const stream = new PassThrough();
    const capture = new SerialCapture(stream, log);
    dribble(stream, text);
    stream.end();
    await capture.closed;
    assert.equal(readFileSync(precious, 'utf8'), 'mine\n');
    assert.equal(lstatSync(log).isSymbolicLink(), false);
    assert.equal(readFileSync(log, 'latin1'), text);
  });

  it('a serial.log that cannot be made (a folder in its place) does not stop the lines', async () => {
    const log = path.join(tempDir('capture-dir'), 'serial.log');
    mkdirSync(log);
    const stream = new PassThrough();
    const capture = new SerialCapture(stream, log);
    const lines: string[] = [];
    capture.onLine((line) => lines.push(line));
    dribble(stream, text);
    stream.end();
    await capture.closed;
    assert.equal(lines.length, 60);
    assert.match(String(capture.logError), /EISDIR/);
  });
});
