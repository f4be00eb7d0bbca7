/** Runs the real CLI (TypeScript sources through tsx) as a user would, capturing stdout, stderr, exit code. */
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportJson } from '../../src/report/report.js';
import { validateReport } from './schema.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'src', 'cli.ts');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Layouts the tests' boots record go to a folder of this test process, not the project's cache. */
export const TEST_LAYOUTS = mkdtempSync(path.join(tmpdir(), 'xdb-layouts-'));

export async function runCli(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const t0 = performance.now();
  const result = await execa(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    reject: false,
    env: { XEN_DOM0_BOOT_LAYOUTS: TEST_LAYOUTS, ...options.env },
    timeout: options.timeoutMs ?? 120_000,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    ms: Math.round(performance.now() - t0),
  };
}

/** A run folder's report.json, validated against schema/report.schema.json (strict, formats checked). */
export function readReport(runDir: string): ReportJson {
  const report = JSON.parse(readFileSync(path.join(runDir, 'report.json'), 'utf8')) as unknown;
  validateReport(report);
  return report as ReportJson;
}
