/** What a person needs to redo a run by hand: reproduce.sh and --bundle's tar.gz of the run folder (versions.json: versions.ts). */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { shellQuote } from '../qemu/argv.js';
import { tempNameFor, writeFileAtomic } from '../util/atomic-write.js';
import { writeFresh } from '../util/fresh-file.js';
import { fullDiskErrno, writeFailure } from '../util/write-error.js';
import { removeAtExit } from '../util/exit-cleanup.js';
import { spawnSubprocess } from '../util/subprocess.js';
import type { ReportJson } from './report.js';

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

/** tar's words for a bundle the file system could not take, and the errno they mean. */
/** Packs the run folder into `file` (tar.gz), written to a temporary name and renamed. */
export async function packBundle(runDir: string, file: string): Promise<void> {
  const target = path.resolve(file);
  const tmp = tempNameFor(target);
  // A signal while tar runs ends the process by process.exit: the half-written bundle goes with it.
  const forget = removeAtExit(tmp);
  try {
    await pack(runDir, file, target, tmp);
  } finally {
    forget();
  }
}

async function pack(runDir: string, file: string, target: string, tmp: string): Promise<void> {
  // A folder that cannot take the bundle (read-only, missing, not a folder) is named before tar runs.
  await writeFresh(tmp, '').catch((error: unknown) => {
    throw writeFailure(error, file, { what: '--bundle', stage: 'report' });
  });
  const result = await spawnSubprocess('tar', ['-czf', tmp, '-C', path.dirname(runDir), path.basename(runDir)], { output: 'buffer' })
    .result;
  if (result.failed) {
    await rm(tmp, { force: true });
    if (result.spawnError === 'ENOENT') {
      throw new ToolError('TOOL_MISSING', 'tools', `--bundle ${file}: tar not found on PATH: install Debian's tar`);
    }
    const why = result.stderr.trim() || (result.spawnError ? `cannot run tar (${result.spawnError})` : result.termination);
    // The disk filled up under tar: a write that failed, like any other.
    const errno = fullDiskErrno(why);
    if (errno) throw writeFailure(Object.assign(new Error(why), { code: errno }), file, { what: '--bundle', stage: 'report' });
    // The target was writable (checked above): tar itself failed, e.g. the run folder is gone or unreadable.
    throw new ToolError('BUNDLE_FAILED', 'report', `--bundle ${file}: tar failed: ${why}`);
  }
  await rename(tmp, target).catch(async (error: unknown) => {
    await rm(tmp, { force: true });
    throw writeFailure(error, file, { what: '--bundle', stage: 'report' });
  });
}
