/** A run's result on the terminal: the summary within 80 columns (or JSON) on stdout, the failure in one line on stderr, and the exit code. */
import type { ToolError } from '../base/errors.js';
import type { DriftResult } from '../commands/drift.js';
import type { RunResult } from '../run/run.js';
import { writeStderr, writeStdout } from '../util/shutdown.js';

type Runtime = typeof import('./runtime.js');

/** The failure as one line: a message of several lines (check's drift table) says where the rest is. */
export function oneLine(failure: ToolError): string {
  const [first, ...rest] = failure.message.split('\n');
  const more = rest.some((line) => line.trim()) ? ' (the rest is in the summary and report.json)' : '';
  return `xen-dom0-boot: ${failure.stage}: ${first}${more} [${failure.code}]`;
}

/** The summary (or the report as JSON) on stdout, the failure in one line on stderr, and the exit code. */
export async function print(cmd: Runtime, result: RunResult, drift: DriftResult | null, json: boolean): Promise<number> {
  // A signal or a closed pipe: util/shutdown.ts wrote nothing more and exits once the children are stopped.
  if (result.interrupted) return new Promise<number>(() => undefined);
  const { report, failure } = result;
  if (result.output !== null && !failure) {
    await writeStdout(result.output);
    return 0;
  }
  if (report && json) await writeStdout(drift ? drift.text : `${JSON.stringify(report, null, 2)}\n`);
  else if (report && drift) {
    // Within 80 columns: one block per combination (the wide table is JUnit's system-out).
    const { renderDriftBlocks } = await import('../report/drift-report.js');
    const { fitText } = await import('../report/fit.js');
    const { rows, jobs, wallMs, reference } = drift;
    const failed = rows.filter((r) => r.failure).length;
    const tail = `${report.warnings.map((w) => `Warning: ${w}\n`).join('')}${rows.length} combinations, ${failed} failed, ${jobs} at once, ${wallMs} ms\nReport: ${report.runDir}/drift.json\n`;
    await writeStdout(`${renderDriftBlocks(rows, reference)}${fitText(tail)}`);
  } else if (report && report.inputs) await writeStdout(cmd.renderSummary(report));
  if (failure) {
    writeStderr(`${oneLine(failure)}\n`);
    // A file that could not be written after the run had failed: said too, the run's failure stays the exit code.
    if (result.artifactFailure) writeStderr(`${oneLine(result.artifactFailure)}\n`);
    if (failure.code === 'INTERNAL' && failure.cause instanceof Error && failure.cause.stack) writeStderr(`${failure.cause.stack}\n`);
  }
  return failure ? failure.exitCode : 0;
}
