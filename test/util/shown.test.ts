/** shown(): a user's value as one short, escaped line for an error message. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shown } from '../../src/util/shown.js';

describe('shown', () => {
  it('quotes a short string as JSON does', () => {
    assert.equal(shown('virt-cortex-a53'), '"virt-cortex-a53"');
    assert.equal(shown(''), '""');
  });

  it('escapes newlines, NUL and quotes so the message stays one line', () => {
    const text = shown('a\nb\r\0"c');
    assert.equal(text, '"a\\nb\\r\\u0000\\"c"');
    assert.doesNotMatch(text, /[\n\r\0]/);
  });

  it('keeps 80 characters whole and cuts the 81st, saying how long the value was', () => {
    const eighty = 'x'.repeat(80);
    assert.equal(shown(eighty), `"${eighty}"`);
    assert.equal(shown(`${eighty}yz`), `"${eighty}..." (82 characters)`);
  });

  it('cuts before escaping: 100 newlines show as 80 escapes', () => {
    const text = shown('\n'.repeat(100));
    assert.equal(text, `"${'\\n'.repeat(80)}..." (100 characters)`);
  });

  it('shows other values as JSON, cut to 80 characters', () => {
    assert.equal(shown(5), '5');
    assert.equal(shown(null), 'null');
    assert.equal(shown(true), 'true');
    assert.equal(shown(['a', 1]), '["a",1]');
    const long = shown({ key: 'v'.repeat(200) });
    assert.equal(long.length, 80);
    assert.ok(long.startsWith('{"key":"vvv'));
  });

  it('shows undefined as the word', () => {
    assert.equal(shown(undefined), 'undefined');
  });
});
