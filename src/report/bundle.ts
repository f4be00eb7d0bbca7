/** What a person needs to redo a run by hand: versions.json, reproduce.sh, and --bundle's tar.gz of the run folder. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { shellQuote } from '../qemu/argv.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { TOOL } from '../version.js';
import type { ReportJson } from './report.js';
import { ToolError } from '../errors.js';
import { trackChild } from '../util/children.js';
import { killGroup } from '../util/kill-group.js';
import { which } from '../util/which.js';
import { CACHE_DIR } from '../paths.js';

/** First line a tool prints for `args` (e.g. --version), or null; bounded to 1 s and 64 KiB, its whole process group killed after. */
async function firstLine(file: string, args: string[]): Promise<string | null> {
  // In the temporary folder: a probe has no business in the user's folder (whatever it writes).
  const child = execa(file, args, { reject: false, detached: true, stdin: 'ignore', maxBuffer: 65_536, cwd: tmpdir() });
  const kill = async (): Promise<void> => {
    if (child.pid !== undefined) await killGroup(child.pid, 'SIGKILL').catch(() => undefined);
  };
  // Probes run while QEMU boots: a Ctrl-C then must stop them too.
  const untrack = trackChild(kill);
  const timer = setTimeout(() => void kill(), 1000);
  const result = await child;
  clearTimeout(timer);
  await kill();
  untrack();
  const text = `${String(result.stdout)}\n${String(result.stderr)}`.trim();
  return result.exitCode === 0 && text ? text.split('\n')[0]!.trim() : null;
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

/** firstLine, remembered in .cache/versions/ per binary (path, size, mtime): a version does not change without the file. */
async function versionOf(name: string, args: string[]): Promise<string | null> {
  const file = name.includes('/') ? name : which(name);
  if (!file) return null;
  let key: string;
  try {
    const info = await stat(file);
    key = createHash('sha256')
      .update(JSON.stringify([path.resolve(file), info.size, info.mtimeMs, args]))
      .digest('hex')
      .slice(0, 32);
  } catch {
    return null;
  }
  const memo = path.join(CACHE_DIR, 'versions', key);
  const known = await readFile(memo, 'utf8').catch(() => null);
  if (known !== null) return known || null;
  const line = await firstLine(file, args).catch(() => null);
  // The memo only saves a probe next time; a cache that cannot be written is no failure.
  await mkdir(path.dirname(memo), { recursive: true })
    .then(() => writeFileAtomic(memo, line ?? ''))
    .catch(() => undefined);
  return line;
}

interface Probed {
  qemu: string | null;
  crossCompiler: string | null;
  dtc: string | null;
  xenPackage: string | null;
  xenSha: string | null;
}

const probed = new Map<string, Promise<Probed>>();

/**
 * What versions.json says of the binaries. It depends on the inputs only, so a run starts it when
 * QEMU starts and finds it done at the end instead of waiting for it (about 2-4 ms). Never rejects.
 */
export function probeVersions(qemu: string | undefined, xen: string | undefined): Promise<Probed> {
  const key = JSON.stringify([qemu, xen]);
  let probe = probed.get(key);
  if (!probe) {
    probe = (async () => {
      const [qemuVersion, crossCompiler, dtc, xenSha, xenPackage] = await Promise.all([
        qemu ? versionOf(qemu, ['--version']) : null,
        versionOf('aarch64-linux-gnu-gcc', ['--version']),
        versionOf('dtc', ['--version']),
        xen ? sha256(xen) : null,
        xen ? readFile(path.join(path.dirname(xen), 'VERSION'), 'utf8').catch(() => null) : null,
      ]);
      return { qemu: qemuVersion, crossCompiler, dtc, xenSha, xenPackage: xenPackage?.trim() ?? null };
    })();
    probed.set(key, probe);
  }
  return probe;
}

/** versions.json: the tool, Node, QEMU, Xen (version line, Debian package version, sha256), compiler, dtc. */
export async function writeVersions(report: ReportJson): Promise<void> {
  const inputs = report.inputs as { qemu?: string; xen?: string };
  const probe = await probeVersions(inputs.qemu, inputs.xen);
  const versions = {
    tool: `${TOOL.name} ${TOOL.version}`,
    node: process.version,
    qemu: probe.qemu,
    xen: {
      path: inputs.xen ?? null,
      version: report.layout?.xenVersion ?? report.passes?.at(-1)?.learned?.xenVersion ?? null,
      debianPackage: probe.xenPackage,
      sha256: probe.xenSha,
    },
    crossCompiler: probe.crossCompiler,
    dtc: probe.dtc,
  };
  await writeFileAtomic(path.join(report.runDir, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
}

/** reproduce.sh: every build command and QEMU boot of the run, in order, runnable by hand. */
export function reproduceScript(report: ReportJson): string {
  const lines = [
    '#!/bin/sh',
    `# Redo xen-dom0-boot ${report.command} of ${report.startedAt} by hand: builds, then boots.`,
    'set -e',
    `cd ${shellQuote([report.runDir])}`,
  ];
  if (report.passes) {
    for (const pass of report.passes) {
      const buildOverlay = (report.inputs as { buildOverlay?: string }).buildOverlay;
      lines.push('', `# pass ${pass.pass}: build with the overlay it used`);
      if (buildOverlay) lines.push(shellQuote(['cp', pass.overlay, buildOverlay]));
      for (const command of pass.build.commands) lines.push(shellQuote(command));
      lines.push(`# pass ${pass.pass}: boot (Ctrl-a x quits QEMU)`, `sh ${shellQuote([path.join(pass.dir, 'qemu-cmd.sh')])}`);
    }
  } else if (report.boots.length > 0) {
    lines.push('', '# boot (Ctrl-a x quits QEMU)', `sh ${shellQuote([path.join(report.runDir, 'qemu-cmd.sh')])}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function writeReproduce(report: ReportJson): Promise<void> {
  await writeFileAtomic(path.join(report.runDir, 'reproduce.sh'), reproduceScript(report), 0o755);
}

/** Packs the run folder into `file` (tar.gz), written to a temporary name and renamed. */
export async function packBundle(runDir: string, file: string): Promise<void> {
  const target = path.resolve(file);
  const tmp = `${target}.${process.pid}.tmp`;
  const result = await execa('tar', ['-czf', tmp, '-C', path.dirname(runDir), path.basename(runDir)], { reject: false });
  if (result.exitCode !== 0) {
    await rm(tmp, { force: true });
    throw new ToolError('USAGE', 'report', `--bundle ${file}: tar failed: ${String(result.stderr).trim()}`);
  }
  await rename(tmp, target);
}
