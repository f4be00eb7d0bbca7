/** The installed command (dist/xen-dom0-boot.cjs): runs the bundle through V8's code cache, never failing because of it. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { ROOT } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

/** A copy of the built command and bundle in a fresh checkout-like folder (tsconfig.json marks a checkout), so the cache lands in its .cache/. */
function install(): { bin: string; cacheDir: string } {
  const dir = tempDir('bin');
  mkdirSync(path.join(dir, 'dist'));
  for (const name of ['xen-dom0-boot.cjs', 'cli.bundle.cjs']) copyFileSync(path.join(ROOT, 'dist', name), path.join(dir, 'dist', name));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  writeFileSync(path.join(dir, 'tsconfig.json'), '{}');
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
    assert.match(files[0]!, new RegExp(`^[0-9a-f]{16}-${process.version}-${process.arch}-other\\.bin$`));
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

  it('drops caches of other bundles and stale temporaries when it writes one, keeps fresh ones', async () => {
    const { bin, cacheDir } = install();
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(path.join(cacheDir, '0123456789abcdef-v0.0.0-x64-other.bin'), 'old');
    const staleTmp = path.join(cacheDir, 'x.bin.1.tmp');
    writeFileSync(staleTmp, 'killed mid-write');
    utimesSync(staleTmp, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const freshTmp = path.join(cacheDir, 'y.bin.2.tmp');
    writeFileSync(freshTmp, 'another run writing now');
    await run(bin, '--version');
    assert.deepEqual(
      readdirSync(cacheDir).filter((name) => !name.endsWith('-other.bin')),
      ['y.bin.2.tmp'],
    );
    assert.equal(readdirSync(cacheDir).length, 2);
  });

  it('names the cache by the bundle text: a same-size, same-mtime change is not run from the old cache', async () => {
    const { bin } = install();
    await run(bin, 'nope');
    await run(bin, '--version');
    const bundle = path.join(path.dirname(bin), 'cli.bundle.cjs');
    const { mtime } = statSync(bundle);
    const text = readFileSync(bundle, 'utf8');
    assert.ok(text.includes('unknown command'));
    writeFileSync(bundle, text.replaceAll('unknown command', 'UNKNOWN COMMAND'));
    utimesSync(bundle, mtime, mtime);
    const changed = await run(bin, 'nope');
    assert.match(changed.stderr, /UNKNOWN COMMAND "nope"/);
  });

  it('writes no cache after a failed run, and files --help under "other"', async () => {
    const { bin, cacheDir } = install();
    const failed = await run(bin, 'learn', '--timeout', 'soon');
    assert.equal(failed.exitCode, 2);
    assert.equal(existsSync(cacheDir), false, 'a run that stopped early compiled too little to keep');
    const help = await run(bin, 'learn', '--help');
    assert.equal(help.exitCode, 0);
    assert.deepEqual(
      readdirSync(cacheDir).map((name) => name.replace(/^[0-9a-f]{16}-/, '')),
      [`${process.version}-${process.arch}-other.bin`],
    );
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
