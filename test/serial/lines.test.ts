import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, Tail, cleanLine, safeCut } from '../../src/serial/lines.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { layoutToJson } from '../../src/xen/layout-json.js';
import { fixtureBytes, fixtureLines } from '../helpers/fixtures.js';

function splitAll(chunks: Uint8Array[], maxLineLength?: number): string[] {
  const splitter = new LineSplitter({ maxLineLength });
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()];
}

describe('LineSplitter', () => {
  it('drops CR and strips ANSI escapes', () => {
    const lines = splitAll([Buffer.from('\x1b[1;32m(XEN) hello\x1b[0m\r\nplain\r\n')]);
    assert.deepEqual(lines, ['(XEN) hello', 'plain']);
  });

  it('keeps a UTF-8 character split across chunks', () => {
    const bytes = Buffer.from('größe\n');
    assert.deepEqual(splitAll([bytes.subarray(0, 3), bytes.subarray(3)]), ['größe']);
  });

  it('tolerates invalid UTF-8 and NUL bytes', () => {
    const lines = splitAll([Buffer.from([0x28, 0x58, 0x45, 0x4e, 0x29, 0x20, 0xff, 0xfe, 0x00, 0x41, 0x0a])]);
    assert.deepEqual(lines, ['(XEN) \ufffd\ufffdA']);
  });

  it('emits the last line without a newline at the end', () => {
    assert.deepEqual(splitAll([Buffer.from('a\nb')]), ['a', 'b']);
  });

  it('bounds memory: a line without newlines is cut into pieces', () => {
    const splitter = new LineSplitter({ maxLineLength: 100 });
    let emitted = 0;
    for (let i = 0; i < 1000; i += 1) emitted += splitter.push(Buffer.alloc(1000, 0x61)).length;
    // 1,000,000 characters: 9,999 full pieces out, the last 100 held until end().
    assert.equal(emitted, 9_999);
    assert.deepEqual(splitter.end(), ['a'.repeat(100)]);
  });

  it('yields the same layout from a real log dirtied with ANSI, NUL, bad bytes and 7-byte chunks', () => {
    const clean = fixtureBytes('xen/xen417-6G-3G-two-banks.log').toString('latin1');
    const dirty = clean
      .split('\n')
      .map((line, i) => (i % 3 === 0 ? `\x1b[0;3${i % 8}m${line}\x1b[0m` : line))
      .join('\n')
      .replace(/Grant table/, 'Grant\x00 table')
      .concat('\xff\xfe\x1b[2J garbage without newline');
    const bytes = Buffer.from(dirty, 'latin1');
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 7) chunks.push(bytes.subarray(at, at + 7));
    const noisy = parseXenLog(splitAll(chunks)).layout;
    assert.deepEqual(layoutToJson(noisy), layoutToJson(parseXenLog(fixtureLines('xen/xen417-6G-3G-two-banks.log')).layout));
    assert.equal(noisy.dom0Banks.length, 2);
  });
});

describe('cutting long lines', () => {
  it('never cuts inside an ANSI escape or a surrogate pair', () => {
    assert.deepEqual(splitAll([Buffer.from('123456789\x1b[31mred\x1b[0m\n')], 10), ['123456789', 'red']);
    const emoji = splitAll([Buffer.from('123456789\u{1F600}x\n')], 10);
    assert.deepEqual(emoji, ['123456789', '\u{1F600}x']);
    assert.equal(safeCut('abcdef', 4), 4);
  });
});

describe('cleanLine and Tail', () => {
  it('removes control characters but keeps tabs', () => {
    assert.equal(cleanLine('a\tb\x07c\x7f'), 'a\tbc');
  });
  it('keeps only the last N items', () => {
    const tail = new Tail<number>(3);
    for (let i = 0; i < 10; i += 1) tail.push(i);
    assert.deepEqual(tail.values(), [7, 8, 9]);
  });
});
