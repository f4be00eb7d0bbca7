/**
 * The npm package end to end: packed from a clean copy of the working tree (prepare builds dist/),
 * installed from the tarball into a scratch folder with production dependencies only, then, as a
 * non-root user (nobody when the tests run as root) in a folder of its own: the installed setup
 * fills the user's XDG cache (Xen and QEMU from Debian's archive, the test image), and `learn`
 * and `boot` on the embedded default find them there and write only into the current directory's
 * .xen-dom0-boot/ and that cache, never into the package.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readReport } from '../helpers/cli.js';
import { dryRunFiles, installTarball, listing, openDir, pack, runAsUser, sourceCopy, userDir, type PackedFile } from './pack.js';

const top = openDir('package');
const source = path.join(top, 'source');
const scratch = path.join(top, 'scratch');
let packed: PackedFile[] = [];
let pkg = '';
let bin = '';
let home = '';
let work = '';
let cache = '';
let packageBefore: string[] = [];

/** The installed runSetup (src/cli/setup.ts), as the setup command calls it. */
const setupArgs = (args: string[]): string[] => [
  '--input-type=module',
  '-e',
  `const { runSetup } = await import(${JSON.stringify(path.join(pkg, 'dist', 'cli', 'setup.js'))});\nprocess.exitCode = await runSetup(${JSON.stringify(args)});`,
];

/** The run folders of `command` under the user's .xen-dom0-boot/runs/. */
const runsOf = (command: string): string[] =>
  existsSync(path.join(work, '.xen-dom0-boot', 'runs'))
    ? readdirSync(path.join(work, '.xen-dom0-boot', 'runs'))
        .filter((name) => name.startsWith(`${command}-`))
        .map((name) => path.join(work, '.xen-dom0-boot', 'runs', name))
    : [];

describe('the npm package, installed and run by a non-root user from another folder', () => {
  before(async () => {
    mkdirSync(source);
    await sourceCopy(source);
    const result = await pack(source, top);
    packed = result.files;
    mkdirSync(scratch, { mode: 0o755 });
    await installTarball(result.tarball, scratch);
    pkg = path.join(scratch, 'node_modules', 'xen-dom0-boot');
    bin = path.join(scratch, 'node_modules', '.bin', 'xen-dom0-boot');
    home = userDir(top, 'home');
    work = userDir(top, 'work');
    cache = path.join(home, '.cache', 'xen-dom0-boot');
    packageBefore = listing(pkg);
  });

  // About 90 MB: the package and its dependencies, QEMU, Xen and Debian's package lists.
  after(() => rmSync(top, { recursive: true, force: true }));

  it('packs dist/ (built by prepare from a copy without one), setup and the demo sources, and no tests, sources, CI or docker files', async () => {
    const paths = packed.map((f) => f.path);
    for (const needed of [
      'dist/xen-dom0-boot.cjs',
      'dist/cli.bundle.cjs',
      'dist/image/test-image.js',
      'dist/cli/setup.js',
      'scripts/setup.sh',
      'scripts/paths.sh',
      'scripts/fetch-xen.sh',
      'scripts/fetch-qemu.sh',
      'scripts/apt-extract.sh',
      'example/dom0-demo/board.dts',
      'example/test-image/image.S',
      'qemu/virt-cortex-a53.json',
      'schema/report.schema.json',
      'README.md',
    ]) {
      assert.ok(paths.includes(needed), `${needed} is not in the package`);
    }
    assert.equal(packed.find((f) => f.path === 'dist/xen-dom0-boot.cjs')!.mode & 0o111, 0o111, 'the command is executable');
    const dryRun = await dryRunFiles(source);
    assert.deepEqual(dryRun, [...paths].sort(), 'npm pack --dry-run lists what npm pack packed');
    const unwanted = dryRun.filter((p) => /^(test|src|\.ci|docker)\//.test(p) || p.endsWith('.map') || p.includes('tsbuildinfo'));
    assert.deepEqual(unwanted, []);
    const pj = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(pj.os, ['linux']);
    assert.deepEqual(pj.bin, { 'xen-dom0-boot': 'dist/xen-dom0-boot.cjs' });
  });

  it('setup (the installed scripts/setup.sh via runSetup) runs no npm ci or build and fills the XDG cache', async () => {
    const run = await runAsUser(process.execPath, setupArgs([]), work, home);
    assert.equal(run.exitCode, 0, run.all);
    assert.match(run.stdout, new RegExp(`^setup: cache ${cache} \\(installed package\\)$`, 'm'));
    assert.match(run.stdout, /^setup: installed package .*: no npm ci, no build$/m);
    assert.doesNotMatch(run.all, /^setup: (npm ci|build)|EACCES/m);
    assert.match(run.stdout, new RegExp(`^fetch-xen: .*${cache}/xen/4\\.17`, 'm'));
    assert.match(run.stdout, new RegExp(`^fetch-qemu: .*${cache}/qemu`, 'm'));
    assert.match(run.stdout, new RegExp(`^setup: test image ${cache}/test-image/test-image\\.bin$`, 'm'));
    for (const file of ['xen/4.17/xen', 'qemu/bin/qemu-system-aarch64', 'test-image/test-image.bin']) {
      assert.ok(existsSync(path.join(cache, file)), `${file} is not in ${cache}`);
    }
  });

  it('setup without root or sudo names the missing Debian packages and installs nothing', async () => {
    // A PATH with only what setup needs up to its package check, and a dpkg-query that finds nothing (so no sudo either).
    const tools = path.join(top, 'tools');
    mkdirSync(tools, { mode: 0o755 });
    for (const tool of ['bash', 'dirname', 'realpath', 'id', 'getent', 'cut', 'grep', 'sed'])
      symlinkSync(`/usr/bin/${tool}`, path.join(tools, tool));
    writeFileSync(path.join(tools, 'dpkg-query'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const script = path.join(pkg, 'scripts', 'setup.sh');
    const run = await runAsUser('/usr/bin/env', [`PATH=${tools}`, 'bash', script], work, home);
    assert.equal(run.exitCode, 1, run.all);
    assert.match(
      run.stderr,
      /^setup: missing Debian packages: qemu-system-arm device-tree-compiler gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu procps; installing them needs root and there is no sudo: run 'apt-get install .*' as root, then setup again$/m,
    );
    assert.doesNotMatch(run.all, /fetch-xen|fetch-qemu|test image/);
  });

  it('learn on the test image finds Xen, QEMU and the image in the cache and reports into ./.xen-dom0-boot/runs/', async () => {
    const run = await runAsUser(bin, ['learn'], work, home);
    assert.equal(run.exitCode, 0, run.all);
    assert.match(run.stdout, /^Result: ok$/m);
    assert.doesNotMatch(run.all, /EACCES|INTERNAL/);
    const [dir, ...more] = runsOf('learn');
    assert.equal(more.length, 0);
    // A path stays whole: on its own line when it does not fit beside its label (80 columns).
    assert.match(run.stdout, new RegExp(`^Report:\\s+${dir}/report\\.json$`, 'm'));
    assert.equal(readReport(dir!).result, 'ok');
    const versions = JSON.parse(readFileSync(path.join(dir!, 'versions.json'), 'utf8'));
    assert.equal(versions.xen.path, path.join(cache, 'xen', '4.17', 'xen'));
    assert.equal(versions.qemu.path, path.join(cache, 'qemu', 'bin', 'qemu-system-aarch64'));
    assert.equal(versions.qemu.source, 'project-cache');
  });

  it('boot on the embedded default brings Dom0 up with its overlay and lock in ./.xen-dom0-boot/dom0-demo/', async () => {
    const run = await runAsUser(bin, ['boot'], work, home);
    assert.equal(run.exitCode, 0, run.all);
    assert.match(run.stdout, /^Dom0 up\. Converged in 1 pass, no rebuild/m, 'one build: the layout was known before it');
    assert.doesNotMatch(run.all, /EACCES|INTERNAL/);
    const state = path.join(work, '.xen-dom0-boot', 'dom0-demo');
    assert.match(run.stdout, new RegExp(`^Overlay:\\s+${state}/xen-dom0\\.overlay$`, 'm'));
    assert.ok(existsSync(path.join(state, 'xen-dom0.overlay.lock.json')));
    const [dir] = runsOf('boot');
    assert.equal(readReport(dir!).result, 'ok');
  });

  it('wrote nothing into the package folder; its code cache went to the user cache', () => {
    assert.deepEqual(listing(pkg), packageBefore);
    const v8 = readdirSync(path.join(cache, 'v8'));
    assert.ok(
      v8.some((f) => f.endsWith('-learn.bin')) && v8.some((f) => f.endsWith('-boot.bin')),
      `v8 caches in ${cache}/v8: ${v8.join(', ')}`,
    );
  });
});
