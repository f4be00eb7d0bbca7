/** What a person needs to redo a run by hand: reproduce.sh and --bundle's tar.gz of the run folder (versions.json: versions.ts). */
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { ToolError } from '../errors.js';
import { shellQuote } from '../qemu/argv.js';
import { tempNameFor, writeFileAtomic } from '../util/atomic-write.js';
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

/** Packs the run folder into `file` (tar.gz), written to a temporary name and renamed. */
export async function packBundle(runDir: string, file: string): Promise<void> {
  const target = path.resolve(file);
  const tmp = tempNameFor(target);
  const result = await execa('tar', ['-czf', tmp, '-C', path.dirname(runDir), path.basename(runDir)], { reject: false });
  if (result.exitCode !== 0) {
    await rm(tmp, { force: true });
    throw new ToolError('USAGE', 'report', `--bundle ${file}: tar failed: ${String(result.stderr).trim()}`);
  }
  await rename(tmp, target);
}
