/** Where a boot's first layout comes from: lock, record, probe boot or placeholder, as --start-layout says. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import { inputChanges } from '../../src/overlay/lock-inputs.js';
import { lockFor, type LockFile } from '../../src/overlay/lock.js';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import { chooseStart, type StartDeps } from '../../src/pipeline/start-layout.js';
import type { Layout } from '../../src/xen/layout.js';
import { learnedWith } from '../helpers/learned-with.js';

const LOCKED: Layout = { ...placeholderLayout(), dom0Banks: [{ index: 0, start: 0x50000000n, end: 0x60000000n }] };
const RECORDED: Layout = { ...placeholderLayout(), dom0Banks: [{ index: 0, start: 0x70000000n, end: 0x80000000n }] };
const PROBED: Layout = { ...placeholderLayout(), dom0Banks: [{ index: 0, start: 0x90000000n, end: 0xa0000000n }] };
const META = { toolVersion: '0.1.0', learnedAt: '2026-12-02T00:00:00.000Z', run: '/runs/old', overlay: 'app.overlay' };
const lock = (over = {}): LockFile => lockFor(LOCKED, { ...META, learnedWith: learnedWith(over) });
const EXPECTED = { size: 4488, from: 'last build' as const, header: null };

/** Deps that count their calls; `probeFails` makes Xen fail with the stand-in. */
function deps(options: { recorded?: boolean; probeFails?: boolean } = {}) {
  const calls = { recall: 0, probe: 0 };
  const d: StartDeps = {
    recall: async () => {
      calls.recall += 1;
      return options.recorded
        ? { layout: RECORDED, record: lockFor(RECORDED, { ...META, run: '/runs/rec', learnedWith: learnedWith() }), file: '/c/x.json' }
        : null;
    },
    probe: async () => {
      calls.probe += 1;
      const failure = options.probeFails ? new ToolError('XEN_PANIC', 'xen-boot', 'Xen panicked', { details: { serialTail: [] } }) : null;
      return { layout: failure ? null : PROBED, image: '/run/probe/stand-in.bin', expected: EXPECTED, boot: 0, failure };
    },
  };
  return { d, calls };
}

describe('chooseStart', () => {
  it('takes a lock learned with these inputs, whatever the mode, and boots nothing more', async () => {
    for (const mode of ['auto', 'probe', 'placeholder'] as const) {
      const { d, calls } = deps({ recorded: true });
      const start = await chooseStart(mode, lock(), [], d);
      assert.equal(start.json.from, 'lock file');
      assert.equal(start.layout.dom0Banks[0]!.start, 0x50000000n);
      assert.deepEqual(calls, { recall: 0, probe: 0 });
    }
  });

  it('auto: a lock learned with other inputs gives way to a record of these inputs, naming what changed', async () => {
    const changes = inputChanges(learnedWith(), learnedWith({ dom0Mem: '512M' }));
    const { d, calls } = deps({ recorded: true });
    const start = await chooseStart('auto', lock(), changes, d);
    assert.equal(start.json.from, 'recorded');
    assert.equal(start.layout.dom0Banks[0]!.start, 0x70000000n);
    assert.deepEqual(start.json.recorded, { file: '/c/x.json', learnedAt: META.learnedAt, run: '/runs/rec' });
    assert.match(start.json.reason, /the lock was learned with other inputs \(dom0_mem 256M -> 512M\)/);
    assert.deepEqual(start.json.lockChanges, changes);
    assert.deepEqual(calls, { recall: 1, probe: 0 });
  });

  it('auto without a record, and probe always, boot the stand-in', async () => {
    for (const [mode, recorded] of [
      ['auto', false],
      ['probe', true],
    ] as const) {
      const { d, calls } = deps({ recorded });
      const start = await chooseStart(mode, null, [], d);
      assert.equal(start.json.from, 'probe boot');
      assert.equal(start.layout.dom0Banks[0]!.start, 0x90000000n);
      assert.deepEqual(start.json.probe, {
        image: '/run/probe/stand-in.bin',
        imageSize: 4488,
        sizeFrom: 'last build',
        boot: 0,
        failure: null,
      });
      assert.equal(start.json.reason, 'no lock file');
      assert.deepEqual(calls, { recall: mode === 'auto' ? 1 : 0, probe: 1 });
    }
  });

  it('a probe whose Xen failed falls back to the lock, else the placeholder: the real image decides', async () => {
    const withLock = await chooseStart(
      'probe',
      lock(),
      inputChanges(learnedWith(), learnedWith({ memory: '2G' })),
      deps({ probeFails: true }).d,
    );
    assert.equal(withLock.json.from, 'lock file');
    assert.equal(withLock.layout.dom0Banks[0]!.start, 0x50000000n);
    assert.deepEqual(withLock.json.probe!.failure, { code: 'XEN_PANIC', message: 'Xen panicked' });
    assert.match(withLock.json.reason, /QEMU memory 6G -> 2G.*the probe boot failed \(XEN_PANIC\)/);
    const without = await chooseStart('probe', null, [], deps({ probeFails: true }).d);
    assert.equal(without.json.from, 'placeholder');
    assert.deepEqual(without.layout, placeholderLayout());
  });

  it('placeholder: the lock if there is one (as before probe boots), else the seed values; no record, no probe', async () => {
    const { d, calls } = deps({ recorded: true });
    const changes = inputChanges(learnedWith(), learnedWith({ dom0Mem: '1G' }));
    assert.equal((await chooseStart('placeholder', lock(), changes, d)).json.from, 'lock file');
    const none = await chooseStart('placeholder', null, [], d);
    assert.equal(none.json.from, 'placeholder');
    assert.deepEqual(none.layout, placeholderLayout());
    assert.deepEqual(calls, { recall: 0, probe: 0 });
  });
});
