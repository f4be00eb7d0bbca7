/** Where the project's own files live: profiles, the Xen cache, runs. Resolved from this module. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The nearest folder at or above `dir` holding package.json: the project from src/base/, dist/base/ or the bundle in dist/. */
export function projectRootFrom(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) return path.resolve(dir, '..');
  }
}

/** The project root (dist/ and src/ sit directly under it). */
export const PROJECT_ROOT = projectRootFrom(path.dirname(fileURLToPath(import.meta.url)));

/** Git-ignored cache the setup script fills (Xen binaries, the test image). */
export const CACHE_DIR = path.join(PROJECT_ROOT, '.cache');

/** Shim prefixes for Zephyr's cross-compile toolchain, one folder per cross GCC (src/build/cross-toolchain.ts). */
export const ZEPHYR_CROSS_DIR = path.join(CACHE_DIR, 'zephyr-cross');

/** Xen 4.17 arm64 as fetched by `npm run setup`. */
export const DEFAULT_XEN = path.join(CACHE_DIR, 'xen', '4.17', 'xen');

/** QEMU 10 from bookworm-backports as fetched by `npm run setup` (scripts/fetch-qemu.sh): Debian 12's 7.2 hangs Zephyr Dom0s. */
export const QEMU_CACHE_BIN = path.join(CACHE_DIR, 'qemu', 'bin');

/** Git-ignored parent of run directories when --out is not given. */
export const RUNS_DIR = path.join(PROJECT_ROOT, 'runs');

/** Git-ignored state of the embedded default (the demo guest's overlay, lock and build). */
export const STATE_DIR = path.join(PROJECT_ROOT, '.state');
