/** collectOutput: a child's stdout and stderr kept up to a bound, the rest read and dropped. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { collectOutput } from '../../src/util/subprocess-output.js';

describe('collectOutput', () => {
  it('keeps both streams whole under the bound', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const collected = collectOutput(out, err, 1024);
    out.end('hello\nworld\n');
    err.end('warning: x\n');
    await Promise.all([once(out, 'end'), once(err, 'end')]);
    assert.equal(collected.stdout(), 'hello\nworld\n');
    assert.equal(collected.stderr(), 'warning: x\n');
  });

  it('keeps the first `max` bytes of each stream on its own, and still reads the rest to the end', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const collected = collectOutput(out, err, 5);
    out.write('abc');
    out.write('defgh');
    out.write('more and more');
    err.write('12');
    const ended = Promise.all([once(out, 'end'), once(err, 'end')]);
    out.end(Buffer.alloc(1 << 20, 0x41));
    err.end('345678');
    await ended;
    assert.equal(collected.stdout(), 'abcde');
    assert.equal(collected.stderr(), '12345');
  });

  it('decodes UTF-8 only at the end, so a character split across chunks stays whole', async () => {
    const out = new PassThrough();
    const collected = collectOutput(out, null, 100);
    const bytes = Buffer.from('Dom0 é up', 'utf8');
    const at = bytes.indexOf(0xc3) + 1;
    out.write(bytes.subarray(0, at));
    out.end(bytes.subarray(at));
    await once(out, 'end');
    assert.equal(collected.stdout(), 'Dom0 é up');
  });

  it('gives empty text for a missing stream and survives a stream error', async () => {
    const err = new PassThrough();
    const collected = collectOutput(null, err, 10);
    err.write('before');
    // events.once would reject on the 'error': wait for 'close' with a plain listener.
    const closed = new Promise((resolve) => err.once('close', resolve));
    err.destroy(new Error('EPIPE'));
    await closed;
    assert.equal(err.listenerCount('error') > 0, true, 'collectOutput listens for errors (else this one would crash the process)');
    assert.equal(collected.stdout(), '');
    assert.equal(collected.stderr(), 'before');
  });
});
