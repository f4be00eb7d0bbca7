/** What a lock was learned with, and which deciding input changed since. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decidingKey, describeChanges, inputChanges, LearnedWithSchema } from '../../src/overlay/lock-inputs.js';
import { parseLock } from '../../src/overlay/lock.js';
import { learnedWith } from '../helpers/learned-with.js';

describe('inputChanges', () => {
  it('names every deciding input that differs, in a fixed order, and none for the same inputs', () => {
    const lock = learnedWith();
    assert.deepEqual(inputChanges(lock, learnedWith()), []);
    const now = learnedWith({ memory: '2G', dom0Mem: '512M', xenSha256: 'b'.repeat(64), dtbSha256: 'c'.repeat(64) });
    assert.deepEqual(inputChanges(lock, now), [
      { input: 'xenSha256', lock: 'a'.repeat(64), now: 'b'.repeat(64) },
      { input: 'memory', lock: '6G', now: '2G' },
      { input: 'dom0Mem', lock: '256M', now: '512M' },
      { input: 'dtbSha256', lock: '(none)', now: 'c'.repeat(64) },
    ]);
  });

  it('is not moved by the image size, and does not call an unreadable QEMU version a change', () => {
    assert.deepEqual(inputChanges(learnedWith(), learnedWith({ imageSize: 1 << 20 })), []);
    assert.deepEqual(inputChanges(learnedWith(), learnedWith({ qemu: null })), []);
    assert.deepEqual(inputChanges(learnedWith({ qemu: null }), learnedWith()), []);
    assert.deepEqual(inputChanges(learnedWith(), learnedWith({ qemu: 'QEMU emulator version 7.2.0' })), [
      { input: 'qemu', lock: 'QEMU emulator version 10.0.2', now: 'QEMU emulator version 7.2.0' },
    ]);
  });

  it('trusts a lock of an older version that does not say what it was learned with', () => {
    assert.deepEqual(inputChanges(undefined, learnedWith()), []);
  });
});

describe('describeChanges and decidingKey', () => {
  it('reads as "what from -> to", hashes shortened', () => {
    const changes = inputChanges(learnedWith(), learnedWith({ dom0Mem: '1G', xenSha256: 'f'.repeat(64) }));
    assert.equal(describeChanges(changes), 'Xen image (sha256) aaaaaaaaaaaa -> ffffffffffff; dom0_mem 256M -> 1G');
  });

  it('keys on the deciding inputs only', () => {
    assert.equal(decidingKey(learnedWith()), decidingKey(learnedWith({ imageSize: 99 })));
    assert.notEqual(decidingKey(learnedWith()), decidingKey(learnedWith({ loadAddr: '0x40000000' })));
  });
});

describe('the lock file with learnedWith', () => {
  const lock = (extra: object) =>
    JSON.stringify({
      generatedBy: 'xen-dom0-boot',
      toolVersion: '0.1.0',
      learnedAt: '2026-12-02T00:00:00.000Z',
      run: '/r',
      overlay: 'app.overlay',
      ...extra,
      layout: {
        xenVersion: '4.17.7',
        dom0Banks: [{ start: '0x50000000', end: '0x60000000' }],
        grantTable: { start: '0x40200000', end: '0x40240000' },
        extendedRegions: [{ start: '0x40400000', end: '0x50000000' }],
        eventChannelPpi: 16,
      },
    });

  it('reads one with and one without it', () => {
    assert.deepEqual(parseLock('a.lock.json', lock({ learnedWith: learnedWith() })).learnedWith, learnedWith());
    assert.equal(parseLock('a.lock.json', lock({})).learnedWith, undefined);
  });

  it('refuses a malformed one, naming the file and the field', () => {
    assert.throws(
      () => parseLock('a.lock.json', lock({ learnedWith: { ...learnedWith(), xenSha256: 'nothex' } })),
      /lock file a\.lock\.json: field "learnedWith\.xenSha256"/,
    );
    assert.throws(() => parseLock('a.lock.json', lock({ learnedWith: { ...learnedWith(), extra: 1 } })), /field "learnedWith"/);
    assert.equal(LearnedWithSchema.safeParse({ ...learnedWith(), imageSize: 0 }).success, false);
    // A hand-edited size no image has (a stand-in of it could not even be allocated) names the field.
    assert.throws(
      () => parseLock('a.lock.json', lock({ learnedWith: { ...learnedWith(), imageSize: 5_000_000_000 } })),
      /lock file a\.lock\.json: field "learnedWith\.imageSize"/,
    );
  });
});
