import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { OVERLAY_NAME, selectBuilder } from '../../src/build/select.js';
import { ZEPHYR_SUCCESS } from '../../src/build/zephyr.js';
import { loadConfigFile, mergeConfig } from '../../src/config/load.js';
import { STATE_DIR } from '../../src/base/paths.js';
import type { LinePattern } from '../../src/serial/line-pattern.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { fakeWestEnv, recordedCalls } from './fake-west.js';

const sources = (patterns: LinePattern[]): string[] => patterns.map((p) => p.source);

describe('selectBuilder', () => {
  it('defaults to the demo guest, its overlay and build folder under .state/dom0-demo', () => {
    const setup = selectBuilder(mergeConfig());
    assert.equal(OVERLAY_NAME, 'xen-dom0.overlay');
    assert.equal(setup.builder.kind, 'demo');
    assert.equal(setup.overlay, path.join(STATE_DIR, 'dom0-demo', 'xen-dom0.overlay'));
    assert.equal(setup.buildDir, path.join(STATE_DIR, 'dom0-demo', 'build'));
    assert.deepEqual(sources(setup.successPatterns), setup.builder.successPatterns);
    assert.ok(setup.successPatterns.some((p) => p.test('dom0-demo: match')));
    assert.ok(setup.failurePattern?.test('dom0-demo: FAIL grant table'));
  });

  it('takes a buildDir for the demo from the config', () => {
    const setup = selectBuilder(mergeConfig({ build: { type: 'demo', buildDir: '/tmp/demo-build' } }));
    assert.equal(setup.buildDir, '/tmp/demo-build');
    assert.equal(setup.overlay, path.join(STATE_DIR, 'dom0-demo', 'xen-dom0.overlay'));
  });

  for (const type of ['west', 'cmake'] as const) {
    it(`${type}: overlay and build folder next to the app, Zephyr's banner as success`, () => {
      const setup = selectBuilder(mergeConfig({ build: { type, app: '/src/my app' } }));
      assert.equal(setup.builder.kind, type);
      assert.equal(setup.overlay, '/src/my app/xen-dom0.overlay');
      assert.equal(setup.buildDir, '/src/my app/build-xen-dom0');
      assert.deepEqual(sources(setup.successPatterns), ZEPHYR_SUCCESS);
      assert.ok(setup.successPatterns[0]!.test('*** Booting Zephyr OS build v4.1.0 ***'));
      assert.equal(setup.successPatterns[0]!.test('Booting Zephyr OS'), false);
      assert.equal(setup.failurePattern, null);
    });
  }

  it('takes buildDir, overlay, successPatterns and failurePattern from the config', () => {
    const setup = selectBuilder(
      mergeConfig({
        build: { type: 'west', app: '/src/app', buildDir: '/b/here' },
        overlay: '/o/mine.overlay',
        successPatterns: ['^app: ready$', 'second'],
        failurePattern: '^app: panic',
      }),
    );
    assert.equal(setup.buildDir, '/b/here');
    assert.equal(setup.overlay, '/o/mine.overlay');
    assert.deepEqual(sources(setup.successPatterns), ['^app: ready$', 'second']);
    assert.ok(setup.failurePattern?.test('app: panic at 0x0'));
  });

  it('command: needs its own overlay; build folder beside it, Zephyr success by default', () => {
    const build = { type: 'command' as const, argv: ['make', 'O={outDir}'], image: '{outDir}/x.bin' };
    assert.throws(() => selectBuilder(mergeConfig({ build })), { code: 'CONFIG_INVALID', message: /build\.type "command": set "overlay"/ });
    const setup = selectBuilder(mergeConfig({ build, overlay: '/proj/xen-dom0.overlay' }));
    assert.equal(setup.builder.kind, 'command');
    assert.equal(setup.overlay, '/proj/xen-dom0.overlay');
    assert.equal(setup.buildDir, '/proj/build-xen-dom0');
    assert.deepEqual(sources(setup.successPatterns), ZEPHYR_SUCCESS);
  });

  describe('the Zephyr builder it makes', () => {
    let restore: (() => void) | null = null;
    afterEach(() => {
      restore?.();
      restore = null;
    });

    it('builds for qemu_cortex_a53 with the xen_dom0 snippet unless told otherwise', async () => {
      const dir = tempDir('select-west');
      const log = path.join(dir, 'argv.log');
      restore = fakeWestEnv(log);
      const run = async (build: Parameters<typeof mergeConfig>[0]['build']) => {
        const setup = selectBuilder(mergeConfig({ build }));
        await setup.builder.build({
          overlay: path.join(dir, 'pass.overlay'),
          buildDir: setup.buildDir,
          logFile: path.join(dir, 'build.log'),
          pristine: false,
          timeoutMs: 20_000,
        });
      };
      const app = path.join(dir, 'app');
      mkdirSync(app);
      await run({ type: 'west', app });
      await run({
        type: 'west',
        app,
        board: 'my_board',
        snippet: 'my_snippet',
        extraOverlays: ['/u/a.overlay'],
        cmakeArgs: ['-DX=1'],
        buildDir: path.join(dir, 'b2'),
      });
      const [first, second] = recordedCalls(log);
      assert.deepEqual(first, [
        'build',
        '-p',
        'auto',
        '-b',
        'qemu_cortex_a53',
        '-S',
        'xen_dom0',
        app,
        '-d',
        path.join(app, 'build-xen-dom0'),
        '--',
        `-DEXTRA_DTC_OVERLAY_FILE=${path.join(dir, 'pass.overlay')}`,
      ]);
      assert.deepEqual(second, [
        'build',
        '-p',
        'auto',
        '-b',
        'my_board',
        '-S',
        'my_snippet',
        app,
        '-d',
        path.join(dir, 'b2'),
        '--',
        `-DEXTRA_DTC_OVERLAY_FILE=/u/a.overlay;${path.join(dir, 'pass.overlay')}`,
        '-DX=1',
      ]);
    });
  });
});

describe('example/zephyr-synchronization/xen-dom0-boot.json', () => {
  const exampleDir = path.join(ROOT, 'example', 'zephyr-synchronization');
  const file = path.join(exampleDir, 'xen-dom0-boot.json');

  it('validates, and resolves build.app against the file', async () => {
    const config = await loadConfigFile(file);
    const defined = Object.fromEntries(Object.entries(config.build ?? {}).filter(([, v]) => v !== undefined));
    assert.deepEqual(defined, {
      type: 'west',
      app: path.join(exampleDir, 'zephyr-app'),
      board: 'qemu_cortex_a53',
      snippet: 'xen_dom0',
    });
    const setup = selectBuilder(mergeConfig(config));
    assert.equal(setup.builder.kind, 'west');
    assert.equal(setup.overlay, path.join(exampleDir, 'zephyr-app', 'xen-dom0.overlay'));
    assert.equal(setup.buildDir, path.join(exampleDir, 'zephyr-app', 'build-xen-dom0'));
  });

  it("expects the sample's real output: Zephyr's banner and both threads' greetings", async () => {
    const setup = selectBuilder(mergeConfig(await loadConfigFile(file)));
    const output = [
      '*** Booting Zephyr OS build v4.1.0-1234-gabcdef ***',
      'thread_a: Hello World from cpu 0 on qemu_cortex_a53!',
      'thread_b: Hello World from cpu 0 on qemu_cortex_a53!',
    ];
    assert.equal(setup.successPatterns.length, 3);
    for (const pattern of setup.successPatterns) {
      assert.ok(
        output.some((line) => pattern.test(line)),
        `${pattern} matches none of the sample's lines`,
      );
    }
    assert.equal(
      setup.successPatterns.every((p) => p.test('thread_a: Hello World from cpu 0 on qemu_cortex_a53!')),
      false,
    );
  });
});
