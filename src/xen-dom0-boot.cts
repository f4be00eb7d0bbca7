#!/usr/bin/env node
/**
 * The installed command. It runs the bundled CLI (dist/cli.bundle.cjs) through V8's code cache,
 * so a run skips compiling the bundle (Node 20 has no module compile cache; measured about
 * 50 ms off every `learn`, README "Performance"). One cache file per command word in the
 * tool's cache folder's v8/ (the rule of src/base/paths.ts: .cache/v8/ in the checkout, the XDG
 * cache's installed), named by a hash of the bundle's text (V8 itself checks only its length), written
 * at exit after a run that succeeded, when missing or rejected. Nothing here may fail a run: no
 * cache, an unwritable folder or a bad file all fall back to a plain compile.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { constants, Script } from 'node:vm';

const BUNDLE = path.join(__dirname, 'cli.bundle.cjs');
const CACHE_ROOT = cacheFolder(path.join(__dirname, '..'));
const CACHE_DIR = path.join(CACHE_ROOT ?? '', 'v8');
const COMMANDS = new Set(['learn', 'boot', 'check', 'drift']);
const ANSWERS_AT_ONCE = new Set(['--help', '-h', '--version', '-V']);
const STALE_TMP_MS = 60_000;

/** src/base/paths.ts's cache folder ($XEN_DOM0_BOOT_CACHE, the checkout's .cache, the XDG cache), which an ESM module cannot give this CommonJS file; null when it cannot be told (a deleted current directory). */
function cacheFolder(root: string): string | null {
  try {
    const named = process.env.XEN_DOM0_BOOT_CACHE;
    if (named) return path.resolve(named);
    if (existsSync(path.join(root, '.git')) || existsSync(path.join(root, 'tsconfig.json'))) return path.join(root, '.cache');
    const xdg = process.env.XDG_CACHE_HOME;
    return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(process.env.HOME || homedir(), '.cache'), 'xen-dom0-boot');
  } catch {
    return null;
  }
}

/** The command word a cache is for: what a run of it compiles differs from the others. */
function commandWord(argv: string[]): string {
  if (argv.some((arg) => ANSWERS_AT_ONCE.has(arg))) return 'other';
  // Only a command word first is a run of it: `help boot` answers at once and must not name boot's cache.
  return argv[0] !== undefined && COMMANDS.has(argv[0]) ? argv[0] : 'other';
}

/** Writes the code V8 compiled during this run; drops other bundles' caches and stale temporaries. */
function saveCache(script: Script, file: string, bundleId: string): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
    for (const name of readdirSync(CACHE_DIR)) {
      const entry = path.join(CACHE_DIR, name);
      const stale = name.endsWith('.tmp') ? Date.now() - statSync(entry).mtimeMs > STALE_TMP_MS : !name.startsWith(`${bundleId}-`);
      if (stale) rmSync(entry, { force: true });
    }
  } catch {
    // A read-only install runs without a cache.
  }
}

let source = readFileSync(BUNDLE, 'utf8');
const bundleId = createHash('sha1').update(source).digest('hex').slice(0, 16);
const cacheFile = path.join(CACHE_DIR, `${bundleId}-${process.version}-${process.arch}-${commandWord(process.argv.slice(2))}.bin`);
let cachedData: Buffer | undefined;
try {
  cachedData = CACHE_ROOT === null ? undefined : readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
if (source.startsWith('#!')) source = `//${source.slice(2)}`;
// The same wrapper Node gives a CommonJS module, so the bundle runs exactly as if required.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: BUNDLE,
  cachedData,
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (CACHE_ROOT !== null && (cachedData === undefined || script.cachedDataRejected)) {
  // Only a run that went all the way compiled what the next run of this command needs.
  process.once('exit', (code) => code === 0 && saveCache(script, cacheFile, bundleId));
}
const bundleModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  bundleModule.exports,
  createRequire(BUNDLE),
  bundleModule,
  BUNDLE,
  path.dirname(BUNDLE),
);
