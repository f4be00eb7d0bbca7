/**
 * Where the tool's files live. The package's own files (profiles, the demo guest, package.json)
 * are found from this module. What the tool writes depends on how it runs: from the repository
 * checkout, in it (.cache/, runs/, .state/), as always; installed as a package, its state in the
 * current directory's .xen-dom0-boot/ and its downloads and caches in the user's XDG cache.
 * scripts/paths.sh and src/xen-dom0-boot.cts apply the same rule (README, Install).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The nearest folder at or above `dir` holding package.json: the project from src/base/, dist/base/ or the bundle in dist/. */
export function projectRootFrom(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) return path.resolve(dir, '..');
  }
}

/** The package's folder (dist/ sits directly under it; src/ too in the checkout). */
export const PROJECT_ROOT = projectRootFrom(path.dirname(fileURLToPath(import.meta.url)));

/** The environment variable naming the cache folder, in a checkout as in an installed package. */
export const CACHE_ENV = 'XEN_DOM0_BOOT_CACHE';

/** The folder an installed package keeps its state in, under the current directory. */
export const STATE_FOLDER = '.xen-dom0-boot';

/** True for the repository checkout (a .git or tsconfig.json next to package.json; the npm package ships neither). */
export function isCheckout(root: string): boolean {
  return existsSync(path.join(root, '.git')) || existsSync(path.join(root, 'tsconfig.json'));
}

/** Every folder the tool writes to, and how to fill the cache, for one way of running. */
export interface ToolPaths {
  checkout: boolean;
  cache: string;
  state: string;
  runs: string;
  setupCommand: string;
}

/** Pure: $XEN_DOM0_BOOT_CACHE, else the checkout's .cache/, else $XDG_CACHE_HOME (when absolute, per the XDG spec) or ~/.cache, plus xen-dom0-boot. */
export function cacheDirFor(root: string, checkout: boolean, cwd: string, env: NodeJS.ProcessEnv): string {
  const named = env[CACHE_ENV];
  if (named) return path.resolve(cwd, named);
  if (checkout) return path.join(root, '.cache');
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || homedir(), '.cache');
  return path.join(base, 'xen-dom0-boot');
}

/** The paths for a package at `root` run from `cwd` with `env`. */
export function toolPathsFor(root: string, cwd: string, env: NodeJS.ProcessEnv, checkout = isCheckout(root)): ToolPaths {
  const state = checkout ? path.join(root, '.state') : path.join(cwd, STATE_FOLDER);
  return {
    checkout,
    cache: cacheDirFor(root, checkout, cwd, env),
    state,
    runs: checkout ? path.join(root, 'runs') : path.join(state, 'runs'),
    setupCommand: checkout ? 'npm run setup' : 'xen-dom0-boot setup',
  };
}

/** The directory the command started in; a deleted one reads as $PWD, the path it had, so that loading never throws. */
function startDir(): string {
  try {
    return process.cwd();
  } catch {
    return process.env.PWD ?? path.sep;
  }
}

// Computed once at load: the tool never changes directory, so the start directory is the current one.
const PATHS = toolPathsFor(PROJECT_ROOT, startDir(), process.env);

/** True when running from the repository checkout (paths in it), false for an installed package. */
export const IN_CHECKOUT = PATHS.checkout;

/** The command that fills the cache: `npm run setup` in the checkout, `xen-dom0-boot setup` installed. */
export const SETUP_COMMAND = PATHS.setupCommand;

/** The setup command with `args` as one types it here: `npm run setup -- ARGS` in the checkout, `xen-dom0-boot setup ARGS` installed. */
export function setupCommandWith(args: string): string {
  return `${SETUP_COMMAND}${IN_CHECKOUT ? ' --' : ''} ${args}`;
}

/** The cache setup fills (Xen binaries, QEMU, the test image) and the tool's own caches (dtb, versions). */
export const CACHE_DIR = PATHS.cache;

/** Shim prefixes for Zephyr's cross-compile toolchain, one folder per cross GCC (src/build/cross-toolchain.ts). */
export const ZEPHYR_CROSS_DIR = path.join(CACHE_DIR, 'zephyr-cross');

/** Where boots record the layout Xen gave each set of deciding inputs (src/pipeline/layout-records.ts); XEN_DOM0_BOOT_LAYOUTS moves it. */
export const LAYOUTS_DIR = process.env.XEN_DOM0_BOOT_LAYOUTS || path.join(CACHE_DIR, 'layouts');

/** Xen 4.17 arm64 as fetched by setup. */
export const DEFAULT_XEN = path.join(CACHE_DIR, 'xen', '4.17', 'xen');

/** QEMU 10 from bookworm-backports as fetched by setup (scripts/fetch-qemu.sh): Debian 12's 7.2 hangs Zephyr Dom0s. */
export const QEMU_CACHE_BIN = path.join(CACHE_DIR, 'qemu', 'bin');

/** Parent of run directories when --out is not given (git-ignored runs/ in the checkout). */
export const RUNS_DIR = PATHS.runs;

/** State of the embedded default (the demo guest's overlay, lock and build): .state/ in the checkout. */
export const STATE_DIR = PATHS.state;
