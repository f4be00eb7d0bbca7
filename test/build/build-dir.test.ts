/** --pristine deletes only what the tool's builds made: the build folder's marker, and the refusal of a folder of yours. */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUILD_MARKER, prepareBuildDir, readMarker, recordMade } from '../../src/build/build-dir.js';
import { ToolError } from '../../src/base/errors.js';
import { tempDir } from '../helpers/tmp.js';

/** A run whose builds make `names` (folders) in `buildDir`, as boot does it: prepare, build, record. */
async function run(buildDir: string, ...names: string[]): Promise<void> {
  await prepareBuildDir(buildDir, false);
  for (const name of names) mkdirSync(path.join(buildDir, name), { recursive: true });
  await recordMade(buildDir);
}

describe('the build folder and --pristine', () => {
  it('a folder the tool creates is marked; --pristine deletes what its builds made and keeps what you put there', async () => {
    const buildDir = path.join(tempDir('build-dir'), 'build');
    await prepareBuildDir(buildDir, false);
    assert.deepEqual(readdirSync(buildDir), [BUILD_MARKER]);
    await run(buildDir, 'zephyr', 'base');
    writeFileSync(path.join(buildDir, 'notes.txt'), 'mine\n');
    await run(buildDir, 'zephyr');
    assert.deepEqual((await readMarker(buildDir))!.made, ['base', 'zephyr']);
    await prepareBuildDir(buildDir, true);
    assert.deepEqual(readdirSync(buildDir).sort(), [BUILD_MARKER, 'notes.txt']);
    assert.equal(readFileSync(path.join(buildDir, 'notes.txt'), 'utf8'), 'mine\n');
    assert.deepEqual((await readMarker(buildDir))!.made, []);
  });

  it("a run that died while building: what appeared meanwhile is the builds', and --pristine deletes it", async () => {
    const buildDir = path.join(tempDir('build-died'), 'build');
    await run(buildDir, 'zephyr');
    writeFileSync(path.join(buildDir, 'notes.txt'), 'mine\n');
    await prepareBuildDir(buildDir, false);
    mkdirSync(path.join(buildDir, 'CMakeFiles'));
    // no recordMade: the run was killed
    await prepareBuildDir(buildDir, true);
    assert.deepEqual(readdirSync(buildDir).sort(), [BUILD_MARKER, 'notes.txt']);
  });

  it('an empty folder of yours is adopted (nothing of yours to lose)', async () => {
    const buildDir = tempDir('build-empty');
    await prepareBuildDir(buildDir, true);
    assert.deepEqual(readdirSync(buildDir), [BUILD_MARKER]);
  });

  it('refuses --pristine on a folder it did not create that holds files, naming it and them, deleting nothing', async () => {
    const buildDir = tempDir('build-yours');
    writeFileSync(path.join(buildDir, 'CMakeCache.txt'), 'x');
    writeFileSync(path.join(buildDir, 'main.c'), 'int main;');
    await run(buildDir, 'zephyr');
    assert.equal(await readMarker(buildDir), null, 'builds in your folder are not recorded as the tool owning it');
    await assert.rejects(prepareBuildDir(buildDir, true), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'OUTPUT_NOT_OURS');
      assert.equal(
        error.message,
        `--pristine: --build-dir ${buildDir} was not created by xen-dom0-boot and holds files it did not make (CMakeCache.txt, main.c, zephyr); it deletes only what its own builds made: empty or remove that folder yourself, or name a new --build-dir`,
      );
      return true;
    });
    assert.deepEqual(readdirSync(buildDir).sort(), ['CMakeCache.txt', 'main.c', 'zephyr']);
  });

  it("a marker that is not the tool's (or is damaged) does not make a folder the tool's", async () => {
    const buildDir = tempDir('build-fake-marker');
    writeFileSync(path.join(buildDir, BUILD_MARKER), '{"made": ["main.c"]}');
    writeFileSync(path.join(buildDir, 'main.c'), 'int main;');
    await assert.rejects(prepareBuildDir(buildDir, true), { code: 'OUTPUT_NOT_OURS' });
    assert.equal(readFileSync(path.join(buildDir, 'main.c'), 'utf8'), 'int main;');
  });
});
