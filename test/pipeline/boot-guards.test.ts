/** What boot and check refuse before anything is built, and the overlay commit after a converged run. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import { assertBuildPaths, readLockState } from '../../src/pipeline/boot-guards.js';
import { commitOverlay } from '../../src/pipeline/commit-overlay.js';
import { learnedWith } from '../helpers/learned-with.js';
import { tempDir } from '../helpers/tmp.js';

const BOOTING = { learnedWith: learnedWith(), checking: false };

const code = (expected: string, pattern: RegExp) => (e: unknown) =>
  e instanceof ToolError && e.code === expected && pattern.test(e.message);

describe('readLockState', () => {
  it('boot without a lock starts from nothing; check without one says to run boot first', async () => {
    const overlay = path.join(tempDir('guards'), 'app.overlay');
    assert.deepEqual(await readLockState(overlay, false, false), { file: `${overlay}.lock.json`, text: null, lock: null });
    assert.deepEqual((await readLockState(overlay, true, true)).lock, null, 'check --fix may start from nothing');
    await assert.rejects(
      readLockState(overlay, true, false),
      code('INPUT_NOT_FOUND', /check: no lock file at .*app\.overlay\.lock\.json; run `xen-dom0-boot boot`/),
    );
  });

  it('check refuses a lock without its overlay, and reads a lock with one', async () => {
    const dir = tempDir('guards');
    const overlay = path.join(dir, 'app.overlay');
    await commitOverlay(overlay, { file: `${overlay}.lock.json`, text: null, lock: null }, placeholderLayout(), undefined, dir, BOOTING);
    const state = await readLockState(overlay, true, false);
    assert.equal(state.lock?.layout.dom0Banks[0]?.start, '0x60000000');
    assert.equal(state.text, readFileSync(`${overlay}.lock.json`, 'utf8'));
    rmSync(overlay);
    await assert.rejects(readLockState(overlay, true, false), code('OVERLAY_MISMATCH', /has no overlay beside it/));
  });
});

describe('assertBuildPaths', () => {
  it("refuses an overlay that is the build's own copy, and --pristine over a folder holding the overlay", async () => {
    const dir = tempDir('guards');
    const buildDir = path.join(dir, 'build');
    await assert.rejects(
      assertBuildPaths(`${buildDir}.overlay`, buildDir, false),
      code('USAGE', /is the build's own copy beside --build-dir/),
    );
    await assert.rejects(assertBuildPaths(`${buildDir}.conf`, buildDir, false), code('USAGE', /is the build's own copy/));
    const inside = path.join(buildDir, 'xen-dom0.overlay');
    await assert.rejects(assertBuildPaths(inside, buildDir, true), code('USAGE', /--pristine would empty --build-dir/));
    await assertBuildPaths(inside, buildDir, false);
    await assertBuildPaths(path.join(dir, 'app.overlay'), buildDir, true);
  });

  it("refuses a hand-written file where the build's overlay goes", async () => {
    const dir = tempDir('guards');
    const buildDir = path.join(dir, 'build');
    writeFileSync(`${buildDir}.overlay`, '/ { mine; };\n');
    await assert.rejects(assertBuildPaths(path.join(dir, 'app.overlay'), buildDir, false), code('OUTPUT_NOT_OURS', /build\.overlay/));
  });
});

describe('commitOverlay', () => {
  it('writes overlay and lock for a new layout, leaves them alone when nothing moved, rewrites them when it did', async () => {
    const dir = tempDir('commit');
    mkdirSync(path.join(dir, 'p'));
    const overlay = path.join(dir, 'p', 'app.overlay');
    const lockFile = `${overlay}.lock.json`;
    const first = placeholderLayout();
    assert.equal(await commitOverlay(overlay, { file: lockFile, text: null, lock: null }, first, undefined, dir, BOOTING), true);
    const written = readFileSync(overlay, 'utf8');
    assert.match(written, /0x60000000/);
    const mtime = statSync(overlay).mtimeMs;
    const again = await readLockState(overlay, false, false);
    assert.equal(await commitOverlay(overlay, again, first, undefined, dir, BOOTING), false, 'a confirming run leaves them alone');
    assert.equal(statSync(overlay).mtimeMs, mtime);
    assert.equal(readFileSync(overlay, 'utf8'), written);
    const moved = { ...first, dom0Banks: [{ index: 0, start: 0x50000000n, end: 0x60000000n }] };
    assert.equal(await commitOverlay(overlay, again, moved, undefined, dir, BOOTING), true);
    assert.match(readFileSync(overlay, 'utf8'), /0x50000000/);
    assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).layout.dom0Banks[0].start, '0x50000000');
  });

  it('rewrites an overlay whose body is of an older format although its lock holds; stops if the lock changed under the run', async () => {
    const dir = tempDir('commit');
    const overlay = path.join(dir, 'app.overlay');
    const lockFile = `${overlay}.lock.json`;
    await commitOverlay(overlay, { file: lockFile, text: null, lock: null }, placeholderLayout(), undefined, dir, BOOTING);
    const state = await readLockState(overlay, false, false);
    writeFileSync(overlay, '/* Generated by xen-dom0-boot 0.0.1: an older format */\n/ { };\n');
    assert.equal(await commitOverlay(overlay, state, placeholderLayout(), undefined, dir, BOOTING), true);
    assert.match(readFileSync(overlay, 'utf8'), /0x60000000/);
    const moved = { ...placeholderLayout(), eventChannelPpi: 17 };
    await assert.rejects(
      commitOverlay(overlay, { ...state, text: '{}' }, moved, undefined, dir, BOOTING),
      code('LOCK_CHANGED', /changed by another run/),
    );
  });

  it('rewrites the lock when the deciding inputs changed though the layout held (not for check, nor for the image size alone)', async () => {
    const dir = tempDir('commit');
    const overlay = path.join(dir, 'app.overlay');
    const lockFile = `${overlay}.lock.json`;
    await commitOverlay(overlay, { file: lockFile, text: null, lock: null }, placeholderLayout(), undefined, dir, BOOTING);
    assert.deepEqual(JSON.parse(readFileSync(lockFile, 'utf8')).learnedWith, learnedWith());
    const state = await readLockState(overlay, false, false);
    const bigger = { learnedWith: learnedWith({ imageSize: 9000 }), checking: false };
    assert.equal(
      await commitOverlay(overlay, state, placeholderLayout(), undefined, dir, bigger),
      false,
      'a new image size is no new input',
    );
    const otherQemu = learnedWith({ qemu: 'QEMU emulator version 8.2.2' });
    assert.equal(
      await commitOverlay(overlay, state, placeholderLayout(), undefined, dir, { learnedWith: otherQemu, checking: true }),
      false,
    );
    assert.equal(
      await commitOverlay(overlay, state, placeholderLayout(), undefined, dir, { learnedWith: otherQemu, checking: false }),
      true,
    );
    assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).learnedWith.qemu, 'QEMU emulator version 8.2.2');
    // A lock of an older version (no learnedWith) gains it at the next boot that confirms it.
    const old = JSON.parse(readFileSync(lockFile, 'utf8'));
    delete old.learnedWith;
    writeFileSync(lockFile, `${JSON.stringify(old, null, 2)}\n`);
    assert.equal(
      await commitOverlay(overlay, await readLockState(overlay, false, false), placeholderLayout(), undefined, dir, BOOTING),
      true,
    );
    assert.deepEqual(JSON.parse(readFileSync(lockFile, 'utf8')).learnedWith, learnedWith());
  });
});
