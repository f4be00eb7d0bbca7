import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveQemu, sdkQemuPath } from '../../src/qemu/resolve.js';

function fakeExecutable(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
  return file;
}

describe('resolveQemu', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'xdb-resolve-'));
  const onPath = fakeExecutable(path.join(dir, 'bin', 'qemu-system-aarch64'));
  const sdk = path.join(dir, 'sdk');
  const inSdk = fakeExecutable(sdkQemuPath(sdk, 'qemu-system-aarch64'));

  it("prefers the Zephyr SDK's QEMU over PATH", () => {
    const found = resolveQemu('qemu-system-aarch64', undefined, { ZEPHYR_SDK_INSTALL_DIR: sdk, PATH: path.dirname(onPath) });
    assert.deepEqual(found, { path: inSdk, source: 'zephyr-sdk' });
  });

  it('falls back to PATH when the SDK has no QEMU', () => {
    const found = resolveQemu('qemu-system-aarch64', undefined, {
      ZEPHYR_SDK_INSTALL_DIR: path.join(dir, 'nosdk'),
      PATH: path.dirname(onPath),
    });
    assert.deepEqual(found, { path: onPath, source: 'path' });
  });

  it('takes an explicit path first, and names a missing one', () => {
    assert.equal(resolveQemu('qemu-system-aarch64', onPath, { ZEPHYR_SDK_INSTALL_DIR: sdk }).source, 'option');
    assert.throws(() => resolveQemu('qemu-system-aarch64', '/nope/qemu', {}), {
      code: 'INPUT_NOT_FOUND',
      message: /--qemu \/nope\/qemu: no such file/,
    });
  });

  it('says how to get QEMU when there is none', () => {
    assert.throws(() => resolveQemu('qemu-system-aarch64', undefined, { PATH: path.join(dir, 'empty') }), {
      code: 'TOOL_MISSING',
      message: /qemu-system-arm/,
    });
  });
});
