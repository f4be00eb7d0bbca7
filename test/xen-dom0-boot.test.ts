/** The installed command (dist/xen-dom0-boot.cjs): runs the bundle through V8's code cache, never failing because of it. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { ROOT } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

/** A copy of the built command and bundle in a fresh project folder, so the cache lands there. */
function install(): { bin: string; cacheDir: string } {
  const dir = tempDir('bin');
  mkdirSync(path.join(dir, 'dist'));
  for (const name of ['xen-dom0-boot.cjs', 'cli.bundle.cjs']) copyFileSync(path.join(ROOT, 'dist', name), path.join(dir, 'dist', name));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  return { bin: path.join(dir, 'dist', 'xen-dom0-boot.cjs'), cacheDir: path.join(dir, '.cache', 'v8') };
}

const run = (bin: string, ...args: string[]) => execa(process.execPath, [bin, ...args], { reject: false });
const version = `xen-dom0-boot ${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`;

describe('dist/xen-dom0-boot.cjs', () => {
  it('writes a cache for the command word on the first run and reuses it unchanged on the next', async () => {
    const { bin, cacheDir } = install();
    const first = await run(bin, '--version');
    assert.equal(first.exitCode, 0);
    assert.equal(first.stdout, version);
    const files = readdirSync(cacheDir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, new RegExp(`-${process.version}-${process.arch}-other\\.bin$`));
    const cache = path.join(cacheDir, files[0]!);
    const written = statSync(cache).mtimeMs;
    assert.ok(statSync(cache).size > 10_000, 'the cache holds compiled code');
    const second = await run(bin, '--version');
    assert.equal(second.stdout, version);
    assert.equal(statSync(cache).mtimeMs, written, 'an accepted cache is not rewritten');
  });

  it('a damaged cache costs one compile: the run succeeds and the cache is rewritten', async () => {
    const { bin, cacheDir } = install();
    await run(bin, '--version');
    const cache = path.join(cacheDir, readdirSync(cacheDir)[0]!);
    writeFileSync(cache, 'not V8 code cache');
    const result = await run(bin, '--version');
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, version);
    assert.notEqual(readFileSync(cache, 'utf8'), 'not V8 code cache');
  });

  it('drops caches of older bundles when it writes one', async () => {
    const { bin, cacheDir } = install();
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(path.join(cacheDir, '1-2-v0.0.0-x64-other.bin'), 'old');
    await run(bin, '--version');
    assert.equal(existsSync(path.join(cacheDir, '1-2-v0.0.0-x64-other.bin')), false);
    assert.equal(readdirSync(cacheDir).length, 1);
  });

  it('runs without a cache where none can be written, and keeps the CLI exit code', async () => {
    const { bin, cacheDir } = install();
    writeFileSync(path.dirname(cacheDir), 'a file where the cache folder would go');
    const ok = await run(bin, '--version');
    assert.equal(ok.exitCode, 0);
    assert.equal(ok.stdout, version);
    const usage = await run(bin, 'no-such-command');
    assert.equal(usage.exitCode, 2);
    assert.match(usage.stderr, /unknown command "no-such-command"/);
  });
});
