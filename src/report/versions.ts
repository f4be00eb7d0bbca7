/** versions.json: the tool, Node, QEMU (path, version line, source), Xen (version line, Debian package version, sha256), compiler, dtc. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CACHE_DIR } from '../base/paths.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { spawnSubprocess } from '../util/subprocess.js';
import { which } from '../util/which.js';
import { TOOL } from '../base/version.js';
import { xenPathFor } from '../config/xen-choice.js';
import { machineOf, type DriftInputs, type ReportJson } from './report.js';

/** How long a version probe may take before it is stopped. */
export const PROBE_MS = 1000;

/**
 * First line a tool prints for `args` (e.g. --version), and whether the tool ran to its end:
 * `finished` is false when the probe was stopped (its deadline, Ctrl-C, an error elsewhere), so
 * the null it returns says nothing about the tool. Runs in the temporary folder (a probe has no
 * business in the user's folder), bounded to PROBE_MS and 64 KiB, its process group killed after.
 */
export async function firstLine(file: string, args: string[]): Promise<{ line: string | null; finished: boolean }> {
  const result = await spawnSubprocess(file, args, {
    cwd: tmpdir(),
    output: 'buffer',
    maxBuffer: 65_536,
    timeoutMs: PROBE_MS,
    drainMs: 100,
  }).result;
  if (result.termination === 'timeout' || result.termination === 'parent-gone' || result.termination === 'aborted') {
    return { line: null, finished: false };
  }
  const text = `${result.stdout}\n${result.stderr}`.trim();
  return { line: result.exitCode === 0 && text ? text.split('\n')[0]!.trim() : null, finished: true };
}

async function sha256(file: string): Promise<string | null> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch {
    return null;
  }
}

/** Where versionOf remembers a tool's answer: per binary (path, size, mtime) and arguments; null when the binary is gone. */
export async function versionMemo(file: string, args: string[]): Promise<string | null> {
  try {
    const info = await stat(file);
    const key = createHash('sha256')
      .update(JSON.stringify([path.resolve(file), info.size, info.mtimeMs, args]))
      .digest('hex')
      .slice(0, 32);
    return path.join(CACHE_DIR, 'versions', key);
  } catch {
    return null;
  }
}

/** firstLine, remembered in .cache/versions/: a version does not change without the file. Only a finished probe is remembered. */
async function versionOf(name: string, args: string[]): Promise<string | null> {
  const file = name.includes('/') ? name : which(name);
  if (!file) return null;
  const memo = await versionMemo(file, args);
  if (!memo) return null;
  const known = await readFile(memo, 'utf8').catch(() => null);
  if (known !== null) return known || null;
  const { line, finished } = await firstLine(file, args).catch(() => ({ line: null, finished: false }));
  // The memo only saves a probe next time; a cache that cannot be written is no failure.
  if (finished) {
    await mkdir(path.dirname(memo), { recursive: true })
      .then(() => writeFileAtomic(memo, line ?? ''))
      .catch(() => undefined);
  }
  return line;
}

export interface Probed {
  qemu: string | null;
  crossCompiler: string | null;
  dtc: string | null;
  xenPackage: string | null;
  xenSha: string | null;
}

/**
 * What versions.json says of the binaries. It depends on the inputs only, so a run starts it when
 * its inputs are known and finds it done at the end instead of waiting for it. Never rejects.
 */
export async function probeVersions(qemu: string | undefined, xen: string | undefined): Promise<Probed> {
  const [qemuVersion, crossCompiler, dtc, xenSha, xenPackage] = await Promise.all([
    qemu ? versionOf(qemu, ['--version']) : null,
    versionOf('aarch64-linux-gnu-gcc', ['--version']),
    versionOf('dtc', ['--version']),
    xen ? sha256(xen) : null,
    xen ? readFile(path.join(path.dirname(xen), 'VERSION'), 'utf8').catch(() => null) : null,
  ]);
  return { qemu: qemuVersion, crossCompiler, dtc, xenSha, xenPackage: xenPackage?.trim() ?? null };
}

/** versions.json: what ran, with the versions the probe found. */
export interface VersionsJson {
  tool: string;
  node: string;
  qemu: { path: string | null; version: string | null; source: string | null };
  xen: { path: string | null; version: string | null; debianPackage: string | null; sha256: string | null };
  crossCompiler: string | null;
  dtc: string | null;
  /** drift: every Xen of the matrix (the `xen` entry is then the first's). */
  xens?: { label: string; path: string; debianPackage: string | null; sha256: string | null }[];
}

/** drift's Xen builds, each with its Debian package version and sha256 (null when unreadable). */
async function matrixXens(labels: string[]): Promise<NonNullable<VersionsJson['xens']>> {
  return Promise.all(
    labels.map(async (label) => {
      const file = xenPathFor(label);
      const [sha, pkg] = await Promise.all([sha256(file), readFile(path.join(path.dirname(file), 'VERSION'), 'utf8').catch(() => null)]);
      return { label, path: file, debianPackage: pkg?.trim() ?? null, sha256: sha };
    }),
  );
}

/** What versions.json says for `report`, from the run's probe (or a new one). Never rejects. */
export async function versionsOf(report: ReportJson, started: Promise<Probed> | null = null): Promise<VersionsJson> {
  const inputs = machineOf(report) ?? (report.command === 'drift' ? (report.inputs as DriftInputs | null) : null);
  const probe = await (started ?? probeVersions(inputs?.qemu, machineOf(report)?.xen));
  return {
    tool: `${TOOL.name} ${TOOL.version}`,
    node: process.version,
    // The QEMU that ran and where it came from (option, zephyr-sdk, project-cache, path): 7.2 and 10 boot Zephyr differently.
    qemu: { path: inputs?.qemu ?? null, version: probe.qemu, source: inputs?.qemuSource ?? null },
    xen: {
      path:
        machineOf(report)?.xen ??
        (report.command === 'drift' && report.inputs ? xenPathFor((report.inputs as DriftInputs).matrix.xen[0]!) : null),
      version: report.layout?.xenVersion ?? report.passes?.at(-1)?.learned?.xenVersion ?? null,
      debianPackage: probe.xenPackage,
      sha256: probe.xenSha,
    },
    crossCompiler: probe.crossCompiler,
    dtc: probe.dtc,
    ...(report.command === 'drift' && report.inputs ? { xens: await matrixXens((report.inputs as DriftInputs).matrix.xen) } : {}),
  };
}

/** Writes versions.json into the run folder; returns what it wrote. */
export async function writeVersions(report: ReportJson, started: Promise<Probed> | null = null): Promise<VersionsJson> {
  const versions = await versionsOf(report, started);
  await writeFileAtomic(path.join(report.runDir, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
  return versions;
}
