/** Pass 1 builds with the builder's usual devicetree shape while the base is read; the build stands only when the real shape renders the same overlay. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Builder, BuildRequest } from '../../src/build/types.js';
import { mergeConfig } from '../../src/config/load.js';
import { SNIPPET_TARGETS, type DtTargets } from '../../src/devicetree/targets.js';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import { buildPass, type PassBuildContext } from '../../src/pipeline/pass-build.js';
import { createLogger } from '../../src/util/log.js';
import { tempDir } from '../helpers/tmp.js';

/** A builder that records, for each build, the overlay text it was given and whether the base was known by then. */
function fakeBuilder(guess: DtTargets | undefined, baseKnown: () => boolean) {
  const builds: { overlay: string; baseKnown: boolean }[] = [];
  const builder: Builder = {
    kind: 'demo',
    successPatterns: ['^ok$'],
    failurePattern: null,
    ...(guess ? { targetsGuess: guess } : {}),
    async build(request: BuildRequest) {
      builds.push({ overlay: readFileSync(request.overlay, 'utf8'), baseKnown: baseKnown() });
      return { image: path.join(request.buildDir, 'zephyr.bin'), imageSize: 4096, ms: 1, commands: [] };
    },
  };
  return { builder, builds };
}

/** A base devicetree read that ends when the test says so. */
function deferred() {
  let resolve!: (t: DtTargets) => void;
  let done = false;
  const promise = new Promise<DtTargets>((r) => (resolve = r)).then((t) => ((done = true), t));
  return { promise, resolve, done: () => done };
}

function context(builder: Builder, pending: Promise<DtTargets>, checkAgainst: PassBuildContext['checkAgainst'] = null): PassBuildContext {
  const dir = tempDir('pass-build');
  return {
    config: mergeConfig({}),
    setup: {
      builder,
      overlay: path.join(dir, 'app.overlay'),
      buildDir: path.join(dir, 'build'),
      image: '',
      successPatterns: [],
      failurePattern: null,
    },
    log: createLogger({ level: 'silent' }),
    checkAgainst,
    warnings: [],
    targetsPending: pending,
  };
}

const OTHER_SHAPE: DtTargets = {
  ...SNIPPET_TARGETS,
  sram: { ...SNIPPET_TARGETS.sram, label: 'ram0', labels: ['ram0'] },
  source: '/b/zephyr.dts',
};

describe('buildPass with a guessed devicetree shape', () => {
  it('builds before the base is known, and keeps that build when the real shape renders the same overlay', async () => {
    const base = deferred();
    const { builder, builds } = fakeBuilder(SNIPPET_TARGETS, base.done);
    const ctx = context(builder, base.promise);
    const pass = buildPass(ctx, 1, placeholderLayout(), path.join(tempDir('pass'), 'pass-1'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(builds.length, 1, 'the build began while the base was still being read');
    base.resolve({ ...SNIPPET_TARGETS, source: '/b/zephyr.dts' });
    const built = await pass;
    assert.equal(builds.length, 1);
    assert.equal(builds[0]!.baseKnown, false);
    assert.equal(built.targets, '/b/zephyr.dts', 'the pass names the real base');
    assert.ok(!ctx.warnings.some((w) => w.includes('built again')));
  });

  it('builds again with the real shape when it renders another overlay, and says so', async () => {
    const base = deferred();
    const { builder, builds } = fakeBuilder(SNIPPET_TARGETS, base.done);
    const ctx = context(builder, base.promise);
    const pass = buildPass(ctx, 1, placeholderLayout(), path.join(tempDir('pass'), 'pass-1'));
    await new Promise((r) => setTimeout(r, 50));
    base.resolve(OTHER_SHAPE);
    await pass;
    assert.equal(builds.length, 2);
    assert.match(builds[0]!.overlay, /\/delete-node\/ &sram0;/);
    assert.match(builds[1]!.overlay, /\/delete-node\/ &ram0;/, 'the second build has the real shape');
    assert.ok(ctx.warnings.some((w) => w.startsWith('pass 1 was built with the usual devicetree shape, but /b/zephyr.dts differs')));
  });

  it('waits for the base without a guess, and in check (the committed overlay is compared with the real shape first)', async () => {
    for (const [guess, check] of [
      [undefined, null],
      [SNIPPET_TARGETS, { lockFile: '/x.lock.json', layout: placeholderLayout() }],
    ] as const) {
      const base = deferred();
      const { builder, builds } = fakeBuilder(guess, base.done);
      const ctx = context(builder, base.promise, check);
      const pass = buildPass(ctx, 1, placeholderLayout(), path.join(tempDir('pass'), 'pass-1')).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(builds.length, 0, 'nothing built before the base is known');
      base.resolve(SNIPPET_TARGETS);
      await pass;
      if (!check) assert.equal(builds.length, 1);
    }
  });
});
