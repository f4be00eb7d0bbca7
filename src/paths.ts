/** Where the project's own files live: profiles, the Xen cache, runs. Resolved from this module. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project root (dist/ or src/ sit directly under it). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Git-ignored cache the setup script fills (Xen binaries, the test image). */
export const CACHE_DIR = path.join(PROJECT_ROOT, '.cache');

/** Xen 4.17 arm64 as fetched by `npm run setup`. */
export const DEFAULT_XEN = path.join(CACHE_DIR, 'xen', '4.17', 'xen');

/** Git-ignored parent of run directories when --out is not given. */
export const RUNS_DIR = path.join(PROJECT_ROOT, 'runs');

/** Git-ignored state of the embedded default (the demo guest's overlay, lock and build). */
export const STATE_DIR = path.join(PROJECT_ROOT, '.state');
