import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { QEMU_CACHE_BIN } from '../../src/base/paths.js';
import { resolveQemu, sdkQemuPath } from '../../src/qemu/resolve.js';
import { ROOT } from '../helpers/cli.js';

function fakeExecutable(file: string, mode = 0o755): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, mode);
  return file;
}

describe('resolveQemu', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xdb-resolve-'));
  const onPath = fakeExecutable(path.join(dir, 'bin', 'qemu-system-aarch64'));
  const sdk = path.join(dir, 'sdk');
  const inSdk = fakeExecutable(sdkQemuPath(sdk, 'qemu-system-aarch64'));
  const cache = path.join(dir, 'cache', 'qemu', 'bin');
  const inCache = fakeExecutable(path.join(cache, 'qemu-system-aarch64'));
  const noCache = path.join(dir, 'no-cache');
  const env = { ZEPHYR_SDK_INSTALL_DIR: sdk, PATH: path.dirname(onPath) };

  it('takes --qemu over the SDK, the project cache and PATH', () => {
    assert.deepEqual(resolveQemu('qemu-system-aarch64', onPath, env, cache), { path: onPath, source: 'option' });
  });

  it("prefers the Zephyr SDK's QEMU over the project cache and PATH", () => {
    assert.deepEqual(resolveQemu('qemu-system-aarch64', undefined, env, cache), { path: inSdk, source: 'zephyr-sdk' });
  });

  it("prefers the project cache's QEMU over PATH when the SDK has none", () => {
    const found = resolveQemu('qemu-system-aarch64', undefined, { ...env, ZEPHYR_SDK_INSTALL_DIR: path.join(dir, 'nosdk') }, cache);
    assert.deepEqual(found, { path: inCache, source: 'project-cache' });
    assert.deepEqual(resolveQemu('qemu-system-aarch64', undefined, { PATH: path.dirname(onPath) }, cache), {
      path: inCache,
      source: 'project-cache',
    });
  });

  it('falls back to PATH when neither the SDK nor the project cache has QEMU', () => {
    const found = resolveQemu('qemu-system-aarch64', undefined, { ...env, ZEPHYR_SDK_INSTALL_DIR: path.join(dir, 'nosdk') }, noCache);
    assert.deepEqual(found, { path: onPath, source: 'path' });
  });

  it('skips a cached file that is not executable, and looks in the cache only for the bare binary name', () => {
    const broken = path.join(dir, 'broken-cache');
    fakeExecutable(path.join(broken, 'qemu-system-aarch64'), 0o644);
    assert.equal(resolveQemu('qemu-system-aarch64', undefined, { PATH: path.dirname(onPath) }, broken).source, 'path');
    const nested = path.join(dir, 'nested-cache');
    fakeExecutable(path.join(nested, 'sub', 'qemu-system-aarch64'));
    assert.throws(() => resolveQemu('sub/qemu-system-aarch64', undefined, { PATH: path.join(dir, 'empty') }, nested), {
      code: 'TOOL_MISSING',
    });
  });

  it("uses the project cache from src/paths.ts by default (setup's QEMU 10)", () => {
    assert.equal(QEMU_CACHE_BIN, path.join(ROOT, '.cache', 'qemu', 'bin'));
  });

  it('names a missing --qemu', () => {
    assert.throws(() => resolveQemu('qemu-system-aarch64', '/nope/qemu', {}, cache), {
      code: 'INPUT_NOT_FOUND',
      message: /--qemu \/nope\/qemu: no such file/,
    });
  });

  it('says how to get QEMU when there is none', () => {
    assert.throws(() => resolveQemu('qemu-system-aarch64', undefined, { PATH: path.join(dir, 'empty') }, noCache), {
      code: 'TOOL_MISSING',
      message: /checked ZEPHYR_SDK_INSTALL_DIR, .*no-cache and PATH\): run npm run setup .*qemu-system-arm.* or pass --qemu PATH/,
    });
  });
});
