/** Runs a short-lived host tool (dtc, fdtput, ...) with an argv array; failures become ToolErrors. */
import { execa } from 'execa';
import { ToolError, type ErrorCode, type Stage } from '../errors.js';
import { trackChild } from './children.js';

export interface RunToolOptions {
  stage: Stage;
  code: ErrorCode;
  /** What the command was for, for the error message ("dump QEMU's device tree"). */
  purpose: string;
  cwd?: string;
  timeoutMs?: number;
}

function isMissing(result: object): boolean {
  const { code, cause } = result as { code?: string; cause?: { code?: string } };
  return code === 'ENOENT' || cause?.code === 'ENOENT';
}

/** Runs `file argv...`, returns stdout; on failure throws with the command's stderr. */
export async function runTool(file: string, argv: string[], options: RunToolOptions): Promise<string> {
  const child = execa(file, argv, {
    cwd: options.cwd,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 60_000,
    killSignal: 'SIGKILL',
    cleanup: true,
  });
  const untrack = trackChild(async () => void child.kill('SIGKILL'));
  const result = await child.finally(untrack);
  if (result.failed && isMissing(result)) {
    throw new ToolError('TOOL_MISSING', 'tools', `${file} not found: ${options.purpose} needs it (npm run setup installs it)`);
  }
  if (result.failed) {
    const why = result.timedOut
      ? `timed out after ${options.timeoutMs ?? 60_000} ms`
      : String(result.stderr || result.stdout)
          .trim()
          .split('\n')
          .slice(-5)
          .join(' | ') || result.shortMessage;
    throw new ToolError(options.code, options.stage, `cannot ${options.purpose}: ${file} failed: ${why}`, {
      details: { command: [file, ...argv] },
    });
  }
  return String(result.stdout);
}
