#!/usr/bin/env node
/**
 * The installed command. It runs the bundled CLI (dist/cli.bundle.cjs) through V8's code cache,
 * so a run skips compiling the bundle (Node 20 has no module compile cache; measured about
 * 50 ms off every `learn`, README "Performance"). One cache file per command word in
 * .cache/v8/, written at exit when missing or rejected; a cache V8 rejects (other Node, other
 * flags, damaged file) only costs that one compile. Nothing here may fail a run: no cache, an
 * unwritable folder or a bad file all fall back to a plain compile.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

const BUNDLE = path.join(__dirname, 'cli.bundle.cjs');
const CACHE_DIR = path.join(__dirname, '..', '.cache', 'v8');
const COMMANDS = new Set(['learn', 'boot', 'check', 'drift']);

/** The cache file for this bundle build, this Node and this command word. */
function cacheFileFor(argv: string[]): { file: string; prefix: string } {
  const info = statSync(BUNDLE);
  const prefix = `${info.size}-${Math.round(info.mtimeMs)}-${process.version}-${process.arch}-`;
  const command = argv.find((arg) => COMMANDS.has(arg)) ?? 'other';
  return { file: path.join(CACHE_DIR, `${prefix}${command}.bin`), prefix };
}

/** Writes the code V8 compiled during this run; drops caches of older bundles. */
function saveCache(script: Script, file: string, prefix: string): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
    for (const name of readdirSync(CACHE_DIR)) if (!name.startsWith(prefix)) rmSync(path.join(CACHE_DIR, name), { force: true });
  } catch {
    // A read-only install runs without a cache.
  }
}

const { file, prefix } = cacheFileFor(process.argv.slice(2));
let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(file);
} catch {
  cachedData = undefined;
}
let source = readFileSync(BUNDLE, 'utf8');
if (source.startsWith('#!')) source = `//${source.slice(2)}`;
// The same wrapper Node gives a CommonJS module, so the bundle runs exactly as if required.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: BUNDLE,
  cachedData,
});
if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => saveCache(script, file, prefix));
const bundleModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(
  bundleModule.exports,
  createRequire(BUNDLE),
  bundleModule,
  BUNDLE,
  path.dirname(BUNDLE),
);
