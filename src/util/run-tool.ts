/** Runs a short-lived host tool (dtc, fdtput, ...) with an argv array; failures become ToolErrors. */
import { ToolError, type CodesWithDetail, type Stage } from '../base/errors.js';
import { SETUP_COMMAND } from '../base/paths.js';
import { spawnSubprocess } from './subprocess.js';
import { fullDiskErrno, writeFailure } from './write-error.js';

export interface RunToolOptions {
  stage: Stage;
  /** The code a failed run is (one whose details carry the failed command). */
  code: CodesWithDetail<'command'>;
  /** What the command was for, for the error message ("dump QEMU's device tree"). */
  purpose: string;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs `file argv...`, returns stdout; on failure throws with the command's stderr. */
export async function runTool(file: string, argv: string[], options: RunToolOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const result = await spawnSubprocess(file, argv, { cwd: options.cwd, output: 'buffer', timeoutMs }).result;
  if (result.spawnError === 'ENOENT') {
    throw new ToolError('TOOL_MISSING', 'tools', `${file} not found: ${options.purpose} needs it (${SETUP_COMMAND} installs it)`);
  }
  if (result.failed) {
    const why =
      result.termination === 'timeout'
        ? `timed out after ${timeoutMs} ms`
        : result.termination === 'parent-gone'
          ? 'stopped: the run is ending'
          : (result.stderr || result.stdout).trim().split('\n').slice(-5).join(' | ') ||
            (result.spawnError ? `cannot run it (${result.spawnError})` : `exited with ${result.exitCode ?? result.signal}`);
    // The tool could not write its output (a full or read-only disk): a write that failed, naming where.
    const errno = fullDiskErrno(why);
    if (errno && options.cwd) throw writeFailure(Object.assign(new Error(why), { code: errno }), options.cwd, { stage: options.stage });
    throw new ToolError(options.code, options.stage, `cannot ${options.purpose}: ${file} failed: ${why}`, {
      details: { command: [file, ...argv] },
    });
  }
  // as execa gave it: without the final newline
  return result.stdout.replace(/\r?\n$/, '');
}
