#!/usr/bin/env node
/**
 * The installed command. It runs the bundled CLI (dist/cli.bundle.cjs) through V8's code cache,
 * so a run skips compiling the bundle (Node 20 has no module compile cache; measured about
 * 50 ms off every `learn`, README "Performance"). One cache file per command word in
 * .cache/v8/, named by a hash of the bundle's text (V8 itself checks only its length), written
 * at exit after a run that succeeded, when missing or rejected. Nothing here may fail a run: no
 * cache, an unwritable folder or a bad file all fall back to a plain compile.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { constants, Script } from 'node:vm';

const BUNDLE = path.join(__dirname, 'cli.bundle.cjs');
const CACHE_DIR = path.join(__dirname, '..', '.cache', 'v8');
const COMMANDS = new Set(['learn', 'boot', 'check', 'drift']);
const ANSWERS_AT_ONCE = new Set(['--help', '-h', '--version', '-V']);
const STALE_TMP_MS = 60_000;

/** The command word a cache is for: what a run of it compiles differs from the others. */
function commandWord(argv: string[]): string {
  if (argv.some((arg) => ANSWERS_AT_ONCE.has(arg))) return 'other';
  return argv.find((arg) => COMMANDS.has(arg)) ?? 'other';
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
  cachedData = readFileSync(cacheFile);
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
if (cachedData === undefined || script.cachedDataRejected) {
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
