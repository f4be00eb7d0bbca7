/** SerialCapture: lines reach listeners at once; serial.log gets every byte, written in batches. */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
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

  it('hands each line to listeners as its chunk arrives, before anything is written to the log', async () => {
    const log = path.join(tempDir('capture'), 'serial.log');
    const stream = new PassThrough();
    const capture = new SerialCapture(stream, log);
    const lines: string[] = [];
    capture.onLine((line) => lines.push(line));
    dribble(stream, text);
    await tick();
    assert.equal(lines.length, 60);
    assert.equal(lines[59], '(XEN) line 59  with some text');
    assert.equal(statSync(log).size, 0, 'the chunks wait for one batched write');
    stream.end();
    await capture.closed;
  });

  it('writes every byte within a flush interval while the stream is still open, and the rest at the end', async () => {
    const log = path.join(tempDir('capture'), 'serial.log');
    const stream = new PassThrough();
    const capture = new SerialCapture(stream, log);
    dribble(stream, text);
    await sleep(FLUSH_MS * 5);
    assert.equal(readFileSync(log, 'latin1'), text, 'flushed without the stream ending');
    dribble(stream, 'tail without a newline');
    stream.end();
    await capture.closed;
    assert.equal(readFileSync(log, 'latin1'), `${text}tail without a newline`);
    assert.equal(capture.byteCount, text.length + 'tail without a newline'.length);
  });
});
