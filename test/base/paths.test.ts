/**
 * Where the tool writes: the checkout's own folders, or for an installed package the current
 * directory's .xen-dom0-boot/ and the XDG cache; and the rule's two other copies (scripts/paths.sh
 * for setup, the launcher's code cache) agree with src/base/paths.ts.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import {
  CACHE_DIR,
  IN_CHECKOUT,
  isCheckout,
  RUNS_DIR,
  SETUP_COMMAND,
  setupCommandWith,
  STATE_DIR,
  toolPathsFor,
  type ToolPaths,
} from '../../src/base/paths.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const HOME = '/home/someone';

/** A package folder holding the checkout's package.json, the given marker (.git, tsconfig.json) if any, and `files` copied from the checkout. */
function packageFolder(marker: string | null, files: string[] = []): string {
  const dir = tempDir('pkg');
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  if (marker) writeFileSync(path.join(dir, marker), marker === '.git' ? 'gitdir: elsewhere\n' : '{}');
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  return dir;
}

describe('the tool paths', () => {
  it('in the checkout are its .cache/, .state/ and runs/, whatever the current directory, and setup is npm run setup', () => {
    const paths = toolPathsFor('/src/xdb', '/elsewhere', { HOME, XDG_CACHE_HOME: '/xdg' }, true);
    assert.deepEqual(paths, {
      checkout: true,
      cache: '/src/xdb/.cache',
      state: '/src/xdb/.state',
      runs: '/src/xdb/runs',
      setupCommand: 'npm run setup',
    } satisfies ToolPaths);
  });

  it("installed are the current directory's .xen-dom0-boot/ and ~/.cache/xen-dom0-boot, and setup is xen-dom0-boot setup", () => {
    const paths = toolPathsFor('/usr/lib/node_modules/xen-dom0-boot', '/home/someone/proj', { HOME }, false);
    assert.deepEqual(paths, {
      checkout: false,
      cache: '/home/someone/.cache/xen-dom0-boot',
      state: '/home/someone/proj/.xen-dom0-boot',
      runs: '/home/someone/proj/.xen-dom0-boot/runs',
      setupCommand: 'xen-dom0-boot setup',
    } satisfies ToolPaths);
  });

  it('installed take an absolute $XDG_CACHE_HOME and ignore a relative one, as the XDG spec says', () => {
    assert.equal(toolPathsFor('/p', '/w', { HOME, XDG_CACHE_HOME: '/var/cache/me' }, false).cache, '/var/cache/me/xen-dom0-boot');
    assert.equal(toolPathsFor('/p', '/w', { HOME, XDG_CACHE_HOME: 'rel/cache' }, false).cache, '/home/someone/.cache/xen-dom0-boot');
  });

  it('take $XEN_DOM0_BOOT_CACHE first, installed and in the checkout, relative to the current directory', () => {
    assert.equal(toolPathsFor('/p', '/w', { HOME, XEN_DOM0_BOOT_CACHE: '/opt/xdb-cache' }, false).cache, '/opt/xdb-cache');
    assert.equal(toolPathsFor('/p', '/w', { HOME, XEN_DOM0_BOOT_CACHE: 'c/../cache' }, true).cache, '/w/cache');
  });

  it('tell the checkout by a .git or tsconfig.json next to package.json, which the npm package has neither of', () => {
    assert.equal(isCheckout(packageFolder(null)), false);
    assert.equal(isCheckout(packageFolder('.git')), true);
    assert.equal(isCheckout(packageFolder('tsconfig.json')), true);
  });

  it('of this checkout are its own folders', () => {
    assert.equal(IN_CHECKOUT, true);
    const named = process.env.XEN_DOM0_BOOT_CACHE;
    assert.equal(CACHE_DIR, named ? path.resolve(named) : path.join(ROOT, '.cache'));
    assert.equal(STATE_DIR, path.join(ROOT, '.state'));
    assert.equal(RUNS_DIR, path.join(ROOT, 'runs'));
    assert.equal(SETUP_COMMAND, 'npm run setup');
    assert.equal(setupCommandWith('--xen 4.20'), 'npm run setup -- --xen 4.20');
  });
});

/** Environments and package folders on which the three copies of the rule must agree. */
const CASES: { name: string; marker: string | null; env: Record<string, string> }[] = [
  { name: 'checkout (.git)', marker: '.git', env: {} },
  {
    name: 'checkout (tsconfig.json) with $XEN_DOM0_BOOT_CACHE relative',
    marker: 'tsconfig.json',
    env: { XEN_DOM0_BOOT_CACHE: 'my-cache/' },
  },
  { name: 'installed, ~/.cache', marker: null, env: {} },
  { name: 'installed, absolute $XDG_CACHE_HOME', marker: null, env: { XDG_CACHE_HOME: '/HOME/xdg//' } },
  { name: 'installed, relative $XDG_CACHE_HOME', marker: null, env: { XDG_CACHE_HOME: 'xdg' } },
  { name: 'installed, $XEN_DOM0_BOOT_CACHE', marker: null, env: { XEN_DOM0_BOOT_CACHE: '/HOME/named', XDG_CACHE_HOME: '/HOME/xdg' } },
];

/** The case's environment with HOME (a fresh folder, so the launcher can write its cache there) put in. */
function caseEnv(env: Record<string, string>, home: string): Record<string, string> {
  return Object.fromEntries(Object.entries({ ...env, HOME: home }).map(([k, v]) => [k, v.replace('/HOME', home)]));
}

describe("the rule's copies agree with src/base/paths.ts", () => {
  for (const { name, marker, env } of CASES) {
    it(`scripts/paths.sh: ${name}`, async () => {
      const root = packageFolder(marker, ['scripts/paths.sh']);
      const cwd = tempDir('cwd');
      const full = caseEnv(env, tempDir('home'));
      const script = path.join(root, 'scripts', 'paths.sh');
      const shell = await execa('bash', ['-c', 'source "$1"; printf "%s %s %s" "$xdb_root" "$xdb_checkout" "$xdb_cache"', '_', script], {
        cwd,
        env: { PATH: process.env.PATH!, ...full },
        extendEnv: false,
      });
      const expected = toolPathsFor(root, cwd, full);
      assert.equal(shell.stdout, `${root} ${expected.checkout ? 1 : 0} ${expected.cache}`);
    });

    it(`the launcher's code cache: ${name}`, async () => {
      const root = packageFolder(marker, ['dist/xen-dom0-boot.cjs', 'dist/cli.bundle.cjs']);
      const cwd = tempDir('cwd');
      const full = caseEnv(env, tempDir('home'));
      const run = await execa(process.execPath, [path.join(root, 'dist', 'xen-dom0-boot.cjs'), '--version'], {
        cwd,
        env: { PATH: process.env.PATH!, ...full },
        extendEnv: false,
      });
      assert.match(run.stdout, /^xen-dom0-boot \d/);
      const v8 = path.join(toolPathsFor(root, cwd, full).cache, 'v8');
      assert.equal(readdirSync(v8).filter((f) => f.endsWith('-other.bin')).length, 1, `no code cache in ${v8}`);
    });
  }
});
