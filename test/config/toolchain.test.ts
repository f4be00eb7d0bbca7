/** build.toolchain: from the config file or --toolchain, validated, defaulted to the Zephyr SDK in the builders' app. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { zephyrAppOf } from '../../src/build/select.js';
import { loadConfigFile, mergeConfig, validateOverrides } from '../../src/config/load.js';
import { ZEPHYR_TOOLCHAINS } from '../../src/config/schema.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('config-toolchain');
function configFile(name: string, data: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe('build.toolchain in a config file', () => {
  for (const type of ['west', 'cmake'] as const) {
    it(`${type}: takes cross-compile and zephyr-sdk`, async () => {
      for (const toolchain of ZEPHYR_TOOLCHAINS) {
        const config = await loadConfigFile(configFile(`${type}-${toolchain}.json`, { build: { type, app: 'app', toolchain } }));
        assert.deepEqual(config.build, { type, app: path.join(dir, 'app'), toolchain, buildDir: undefined, extraOverlays: undefined });
      }
    });
  }

  it('names the file, the field and the choices of a bad value', async () => {
    const file = configFile('bad.json', { build: { type: 'cmake', app: 'app', toolchain: 'gnu' } });
    await assert.rejects(loadConfigFile(file), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.match(error.message, new RegExp(`config file ${file}: field "build.toolchain": `));
      assert.match(error.message, /"zephyr-sdk"/);
      assert.match(error.message, /"cross-compile"/);
      return true;
    });
  });

  it('is not a field of the demo builder (it always uses aarch64-linux-gnu-gcc): warned about and ignored', async () => {
    const file = configFile('demo.json', { build: { type: 'demo', toolchain: 'cross-compile' } });
    const warnings: string[] = [];
    const config = await loadConfigFile(file, (w) => warnings.push(w));
    assert.deepEqual(config.build, { type: 'demo', buildDir: undefined });
    assert.deepEqual(warnings, [`config file ${file}: unknown field "build.toolchain" ignored`]);
  });
});

describe('build.toolchain in the resolved Zephyr app', () => {
  it('defaults to the Zephyr SDK', () => {
    const config = mergeConfig({ build: { type: 'west', app: '/src/app' } });
    assert.equal(config.build.type, 'west');
    if (config.build.type !== 'west') return;
    assert.deepEqual(zephyrAppOf(config.build), {
      app: '/src/app',
      board: 'qemu_cortex_a53',
      snippet: 'xen_dom0',
      extraOverlays: [],
      cmakeArgs: [],
      toolchain: 'zephyr-sdk',
    });
  });

  it('carries cross-compile through', () => {
    const app = zephyrAppOf({ type: 'cmake', app: '/src/app', toolchain: 'cross-compile', cmakeArgs: ['-DX=1'] });
    assert.equal(app.toolchain, 'cross-compile');
    assert.deepEqual(app.cmakeArgs, ['-DX=1']);
  });
});

describe('--toolchain', () => {
  it('a bad value names --toolchain and the value, not --builder', () => {
    assert.throws(() => validateOverrides({ build: { type: 'west', app: '/a', toolchain: 'llvm' } }), {
      code: 'USAGE',
      message: /^--toolchain: .*"cross-compile".* \(got "llvm"\)$/,
    });
    assert.throws(() => validateOverrides({ build: { type: 'west', app: '/a', board: '' } }), {
      message: /^--board: .* \(got ""\)$/,
    });
  });

  it('on the CLI: bad values are usage errors (exit 2) naming the option', async () => {
    const run = await runCli(['boot', '--app', dir, '--toolchain', 'llvm']);
    assert.equal(run.exitCode, 2, run.stderr);
    assert.match(run.stderr, /--toolchain: .*\(got "llvm"\)/);
  });

  it('on the CLI: goes with a Zephyr build only', async () => {
    const run = await runCli(['boot', '--toolchain', 'cross-compile']);
    assert.equal(run.exitCode, 2, run.stderr);
    assert.match(run.stderr, /--toolchain goes with a Zephyr build \(--builder west\|cmake --app PATH\); the demo build does not take it/);
  });
});
