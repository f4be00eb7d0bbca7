/** Runs one build command with an argv array, streaming its output to the build log; on the process core. */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { LineSplitter, Tail } from '../serial/lines.js';
import { spawnSubprocess } from '../util/subprocess.js';

export interface BuildStep {
  file: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** How long a build's output pipes may stay open after it exited (a background job holding them). */
const BUILD_DRAIN_MS = 500;

/**
 * Runs `step`; on failure throws BUILD_FAILED with the log's tail, BUILD_TIMEOUT at the deadline.
 * Its process group is killed when it ends, on success too: nothing a build leaves behind outlives it.
 */
export async function runBuildStep(step: BuildStep, options: { logFile: string; timeoutMs: number; what: string }): Promise<void> {
  await mkdir(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.on('error', () => undefined);
  const tail = new Tail<string>(20);
  const splitter = new LineSplitter();
  log.write(`$ ${[step.file, ...step.argv].join(' ')}\n`);
  const child = spawnSubprocess(step.file, step.argv, {
    cwd: step.cwd,
    env: step.env,
    output: 'stream',
    timeoutMs: options.timeoutMs,
    drainMs: BUILD_DRAIN_MS,
  });
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    for (const line of splitter.push(chunk)) if (line.trim()) tail.push(line.trimEnd());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const result = await child.result;
  for (const line of splitter.end()) if (line.trim()) tail.push(line.trimEnd());
  await new Promise<void>((resolve) => log.end(() => resolve()));
  if (result.spawnError === 'ENOENT') {
    throw new ToolError('TOOL_MISSING', 'build', `${options.what}: ${step.file} not found`);
  }
  if (result.termination === 'timeout') {
    throw new ToolError(
      'BUILD_TIMEOUT',
      'build',
      `${options.what}: no result within the build deadline (--build-timeout ${options.timeoutMs / 1000} s); log: ${options.logFile}`,
    );
  }
  if (result.failed) {
    const how = result.spawnError ? `could not start (${result.spawnError})` : `exited with ${result.exitCode ?? result.signal}`;
    throw new ToolError('BUILD_FAILED', 'build', `${options.what}: ${step.file} ${how}; log: ${options.logFile}`, {
      details: { logTail: tail.values() },
    });
  }
}
