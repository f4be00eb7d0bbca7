/**
 * Zephyr's toolchain: the Zephyr SDK (Zephyr's default, left alone) or Debian's aarch64-linux-gnu-gcc
 * through Zephyr's cross-compile variant, with a shim prefix that fixes that compiler's two quirks
 * (REFERENCE §7). Pure parts first (versions, the wrapper's text, the shim's entries), then the I/O.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ZephyrToolchain } from '../config/schema.js';
import { ToolError } from '../base/errors.js';
import { ZEPHYR_CROSS_DIR } from '../base/paths.js';
import { runTool } from '../util/run-tool.js';
import { isExecutable, which } from '../util/which.js';

/** Debian's arm64 cross prefix (package gcc-aarch64-linux-gnu). */
export const DEFAULT_CROSS_PREFIX = 'aarch64-linux-gnu-';

/** Compilers the shim wraps: they get `-mno-outline-atomics` (and gcc the limits.h answer). */
export const WRAPPED_TOOLS = ['gcc', 'g++'] as const;

/** Tools the shim links to the real ones unchanged (those that exist), so CROSS_COMPILE finds them all. */
export const LINKED_TOOLS = [
  'cpp',
  'as',
  'ld',
  'ld.bfd',
  'objcopy',
  'objdump',
  'ar',
  'nm',
  'readelf',
  'strip',
  'ranlib',
  'size',
  'gcc-ar',
  'gcc-nm',
  'gcc-ranlib',
  'addr2line',
  'strings',
  'elfedit',
  'c++filt',
] as const;

/** The query Zephyr's cmake/compiler/gcc/target.cmake makes for GCC 4.3 to 13.0. */
export const LIMITS_QUERY = '--print-file-name=include-fixed/limits.h';

/** A GCC version as numbers, to compare with the versions Zephyr's CMake tests. */
export interface GccVersion {
  major: number;
  minor: number;
  patch: number;
}

/** `gcc -dumpfullversion` output ("12.2.0", or "12" from some builds) as numbers; null when it is not a version. */
export function parseGccVersion(text: string): GccVersion | null {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2] ?? 0), patch: Number(match[3] ?? 0) };
}

const atLeast = (v: GccVersion, major: number, minor: number): boolean => v.major > major || (v.major === major && v.minor >= minor);

/** True when Zephyr asks this GCC for include-fixed/limits.h: versions 4.3 up to (not including) 13.1, as target.cmake tests. */
export function needsLimitsFix(version: GccVersion): boolean {
  return atLeast(version, 4, 3) && !atLeast(version, 13, 1);
}

/** What the wrapper must do for one GCC version. */
export interface ShimFixes {
  /** Answer Zephyr's include-fixed/limits.h query with include/limits.h when the real answer is not a path. */
  limitsH: boolean;
  /** Add -mno-outline-atomics: GCC 10 and later call libgcc's outline atomics by default, which pull __getauxval into the link. */
  noOutlineAtomics: boolean;
}

/** The fixes a GCC of this version needs (older GCC may not know -mno-outline-atomics and never outlines atomics). */
export function shimFixes(version: GccVersion): ShimFixes {
  return { limitsH: needsLimitsFix(version), noOutlineAtomics: version.major >= 10 };
}

/** A POSIX sh single-quoted word, for any path. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The POSIX sh wrapper that stands in for `realCompiler`. The limits.h branch only replaces an answer that
 * is not an absolute path (the file is missing there), so a GCC that has include-fixed/limits.h keeps its own.
 */
export function wrapperScript(realCompiler: string, fixes: ShimFixes): string {
  const lines = [
    '#!/bin/sh',
    "# Written by xen-dom0-boot for Zephyr's cross-compile toolchain; its folder is named after this text.",
    `real=${shellQuote(realCompiler)}`,
  ];
  if (fixes.limitsH) {
    lines.push(
      `if [ "$#" -eq 1 ] && [ "$1" = ${shellQuote(LIMITS_QUERY)} ]; then`,
      '  fixed=$("$real" "$1") || exit',
      '  case $fixed in /*) printf \'%s\\n\' "$fixed"; exit 0 ;; esac',
      '  exec "$real" --print-file-name=include/limits.h',
      'fi',
    );
  }
  lines.push(fixes.noOutlineAtomics ? 'exec "$real" -mno-outline-atomics "$@"' : 'exec "$real" "$@"', '');
  return lines.join('\n');
}

/** One file of the shim folder: a wrapper script or a symlink to the real tool. */
export type ShimEntry = { name: string; kind: 'wrapper'; text: string } | { name: string; kind: 'link'; target: string };

/**
 * The shim folder's entries for `prefix` (e.g. "aarch64-linux-gnu-"), given the real tools that exist
 * (tool name, e.g. "gcc", to its path). gcc is required; every other tool is optional.
 */
export function shimEntries(prefix: string, realTools: ReadonlyMap<string, string>, fixes: ShimFixes): ShimEntry[] {
  const entries: ShimEntry[] = [];
  for (const tool of WRAPPED_TOOLS) {
    const real = realTools.get(tool);
    if (real) entries.push({ name: prefix + tool, kind: 'wrapper', text: wrapperScript(real, fixes) });
  }
  for (const tool of LINKED_TOOLS) {
    const real = realTools.get(tool);
    if (real) entries.push({ name: prefix + tool, kind: 'link', target: real });
  }
  return entries;
}

/** The shim folder's name: a hash of the real gcc, its version and everything the folder holds, so any change gets a new folder. */
export function shimKey(gcc: string, version: string, entries: readonly ShimEntry[]): string {
  return createHash('sha256').update(JSON.stringify({ gcc, version, entries })).digest('hex').slice(0, 16);
}

/** The environment Zephyr's cross-compile variant reads (zephyr_get: environment or CMake cache). */
export function crossCompileEnv(crossCompile: string): Record<string, string> {
  return { ZEPHYR_TOOLCHAIN_VARIANT: 'cross-compile', CROSS_COMPILE: crossCompile };
}

/** True when `args` already choose Zephyr's Python (then the tool adds none). */
export function choosesPython(args: readonly string[]): boolean {
  return args.some((arg) => /^-DPython3_EXECUTABLE(:[A-Z]+)?=/.test(arg));
}

// ---------------------------------------------------------------------------------------------- I/O

/** Where the real compiler and the cache are; defaults fit Debian 12 and this project (tests override them). */
export interface CrossShimOptions {
  /** The real compilers' prefix: a name looked up on PATH, or a path prefix like /opt/cross/bin/aarch64-linux-gnu-. */
  prefix?: string;
  /** Where shim folders go; the tool's own cache by default. */
  cacheDir?: string;
  /** PATH to search; process.env.PATH by default. */
  pathEnv?: string;
}

/** A ready shim folder and what it wraps, for the build environment and the report. */
export interface CrossShim {
  /** The shim folder. */
  dir: string;
  /** The value for CROSS_COMPILE: `<dir>/aarch64-linux-gnu-`. */
  crossCompile: string;
  /** The real gcc the wrapper runs. */
  gcc: string;
  /** Its `-dumpfullversion`. */
  version: string;
}

const missingGcc = (name: string): ToolError =>
  new ToolError(
    'TOOL_MISSING',
    'build',
    `${name} not found on PATH: build.toolchain "cross-compile" needs Debian's gcc-aarch64-linux-gnu ` +
      '(apt-get install gcc-aarch64-linux-gnu, or npm run setup), or use build.toolchain "zephyr-sdk"',
  );

const notOurs = (file: string, what: string): ToolError =>
  new ToolError(
    'OUTPUT_NOT_OURS',
    'build',
    `${file}: expected ${what} xen-dom0-boot made for the cross-compile shim; it will not write there: remove it`,
  );

/** The real gcc for `prefix`, skipping PATH entries inside the cache (a shim there would run itself). */
function findGcc(prefix: string, cacheDir: string, pathEnv: string): string {
  const name = `${prefix}gcc`;
  if (name.includes('/')) {
    if (!isExecutable(name)) throw missingGcc(name);
    return path.resolve(name);
  }
  const found = which(name, pathWithoutCache(pathEnv, cacheDir));
  if (!found) throw missingGcc(name);
  // Absolute: the shim lives elsewhere, so a relative PATH entry would point nowhere from there.
  return path.resolve(found);
}

/** PATH without the shim cache's folders, so the wrapper never finds itself as the real tool. */
function pathWithoutCache(pathEnv: string, cacheDir: string): string {
  const inCache = (dir: string) => {
    const relative = path.relative(cacheDir, path.resolve(dir));
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  };
  return pathEnv
    .split(path.delimiter)
    .filter((dir) => dir && !inCache(dir))
    .join(path.delimiter);
}

/**
 * The real tools (same prefix), those that exist: beside gcc, else beside what gcc resolves to,
 * else on PATH (a folder of ccache-style links holds gcc but no binutils).
 */
function findTools(gcc: string, prefixBase: string, pathEnv: string): Map<string, string> {
  const tools = new Map<string, string>([['gcc', gcc]]);
  const dirs = [...new Set([path.dirname(gcc), path.dirname(realpathSync(gcc))])];
  for (const tool of [...WRAPPED_TOOLS, ...LINKED_TOOLS]) {
    if (tool === 'gcc') continue;
    const beside = dirs.map((dir) => path.join(dir, prefixBase + tool)).find((candidate) => isExecutable(candidate));
    const found = beside ?? which(prefixBase + tool, pathEnv);
    if (found) tools.set(tool, path.resolve(found));
  }
  return tools;
}

async function lstatOrNull(file: string): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** True when `dir` is a real folder holding exactly the entries expected (wrappers as files, links as symlinks). */
async function holdsShim(dir: string, entries: readonly ShimEntry[]): Promise<boolean> {
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    const stat = await lstatOrNull(file);
    if (!stat) return false;
    if (entry.kind === 'wrapper') {
      if (!stat.isFile() || (await readFile(file, 'utf8')) !== entry.text) return false;
    } else if (!stat.isSymbolicLink() || (await readlink(file)) !== entry.target) {
      return false;
    }
  }
  return true;
}

/** A real folder (not a symlink) at `dir`, made when missing. */
async function ensureRealDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stat = await lstat(dir);
  if (!stat.isDirectory()) throw notOurs(dir, 'a folder');
}

/** Fills a fresh temporary folder beside `dir` and renames it to `dir`; a rename never follows a symlink at `dir`. */
async function createShim(cacheDir: string, dir: string, entries: readonly ShimEntry[]): Promise<void> {
  const tmp = await mkdtemp(path.join(cacheDir, `.${path.basename(dir)}.${process.pid}.`));
  try {
    for (const entry of entries) {
      const file = path.join(tmp, entry.name);
      if (entry.kind === 'wrapper') {
        await writeFile(file, entry.text, { flag: 'wx' });
        await chmod(file, 0o755);
      } else {
        await symlink(entry.target, file);
      }
    }
    await chmod(tmp, 0o755);
    await rename(tmp, dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    // Another process made the same folder first: fine when it holds the same shim (checked by the caller).
    if (code === 'EEXIST' || code === 'ENOTEMPTY') return;
    if (code === 'ENOTDIR') throw notOurs(dir, 'a folder');
    throw error;
  }
}

/**
 * The shim folder for the real cross compiler, made once per compiler and version inside the tool's cache:
 * idempotent, atomic (temporary folder, then rename), and never written through a symlink.
 */
export async function ensureCrossShim(options: CrossShimOptions = {}): Promise<CrossShim> {
  const prefix = options.prefix ?? DEFAULT_CROSS_PREFIX;
  const cacheDir = path.resolve(options.cacheDir ?? ZEPHYR_CROSS_DIR);
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';
  const gcc = findGcc(prefix, cacheDir, pathEnv);
  const version = (
    await runTool(gcc, ['-dumpfullversion'], { stage: 'build', code: 'TOOL_MISSING', purpose: "read the cross compiler's version" })
  ).trim();
  const parsed = parseGccVersion(version);
  if (!parsed) {
    throw new ToolError('TOOL_MISSING', 'build', `${gcc} -dumpfullversion printed "${version}": expected a GCC version like 12.2.0`);
  }
  const prefixBase = path.basename(prefix);
  const entries = shimEntries(prefixBase, findTools(gcc, prefixBase, pathWithoutCache(pathEnv, cacheDir)), shimFixes(parsed));
  const dir = path.join(cacheDir, shimKey(gcc, version, entries));

  await ensureRealDir(cacheDir);
  const existing = await lstatOrNull(dir);
  if (existing && !existing.isDirectory()) throw notOurs(dir, 'a folder');
  if (!existing) await createShim(cacheDir, dir, entries);
  const stat = await lstat(dir);
  if (!stat.isDirectory() || !(await holdsShim(dir, entries))) throw notOurs(dir, 'the shim folder');
  return { dir, crossCompile: path.join(dir, prefixBase), gcc, version };
}

/**
 * The environment a Zephyr build (west or cmake) needs for `toolchain`: for cross-compile,
 * ZEPHYR_TOOLCHAIN_VARIANT and CROSS_COMPILE pointing at the shim; for the Zephyr SDK, undefined
 * (the caller's environment is left as it is, so Zephyr finds its SDK the usual way).
 */
export async function zephyrBuildEnv(
  toolchain: ZephyrToolchain,
  options: CrossShimOptions = {},
): Promise<Record<string, string> | undefined> {
  if (toolchain !== 'cross-compile') return undefined;
  const shim = await ensureCrossShim(options);
  return crossCompileEnv(shim.crossCompile);
}

/** Debian's Python, which `npm run setup -- --zephyr-deps` gives Zephyr's modules. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** Which Python to offer and what the user already passes to CMake (tests override the Python). */
export interface CmakeExtrasOptions {
  /** The Python to offer Zephyr; Debian's by default. */
  python?: string;
  /** The user's own cmakeArgs: when they choose a Python already, none is added. */
  cmakeArgs?: readonly string[];
}

/** True when `python` runs and imports elftools (the sign that Zephyr's Debian packages are installed for it). */
async function pythonHasZephyrModules(python: string): Promise<boolean> {
  if (!isExecutable(python)) return false;
  try {
    await runTool(python, ['-c', 'import elftools'], { stage: 'build', code: 'TOOL_MISSING', purpose: 'probe Python', timeoutMs: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Extra CMake arguments for `toolchain`. For cross-compile (the Debian route), `-DPython3_EXECUTABLE=/usr/bin/python3`
 * when Debian's Python has Zephyr's modules (elftools), because a pyenv or venv python3 first on PATH usually
 * lacks them; nothing when the user's cmakeArgs choose a Python. For the Zephyr SDK, nothing: its users run
 * Zephyr's Python requirements in their own environment.
 */
export async function zephyrCmakeExtras(toolchain: ZephyrToolchain, options: CmakeExtrasOptions = {}): Promise<string[]> {
  if (toolchain !== 'cross-compile' || choosesPython(options.cmakeArgs ?? [])) return [];
  const python = options.python ?? DEBIAN_PYTHON;
  return (await pythonHasZephyrModules(python)) ? [`-DPython3_EXECUTABLE=${python}`] : [];
}
