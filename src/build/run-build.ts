/** Runs one build command with an argv array, streaming its output to the build log; tracked for cleanup. */
import { createWriteStream } from 'node:fs';
import { execa } from 'execa';
import { ToolError } from '../errors.js';
import { LineSplitter, Tail } from '../serial/lines.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { trackChild } from '../util/children.js';
import { killGroup } from '../util/kill-group.js';

export interface BuildStep {
  file: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/** Runs `step`; on failure throws BUILD_FAILED with the log's tail, BUILD_TIMEOUT at the deadline. */
export async function runBuildStep(step: BuildStep, options: { logFile: string; timeoutMs: number; what: string }): Promise<void> {
  await mkdir(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.on('error', () => undefined);
  const tail = new Tail<string>(20);
  const splitter = new LineSplitter();
  log.write(`$ ${[step.file, ...step.argv].join(' ')}\n`);
  const child = execa(step.file, step.argv, {
    cwd: step.cwd,
    env: step.env,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    all: true,
    cleanup: true,
    // its own process group, so a stop reaches ninja under west, compilers under make, ...
    detached: true,
  });
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null) await killGroup(child.pid, 'SIGKILL');
  };
  const untrack = trackChild(stop);
  child.all?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    for (const line of splitter.push(chunk)) if (line.trim()) tail.push(line.trimEnd());
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stop();
  }, options.timeoutMs);
  const result = await child;
  clearTimeout(timer);
  untrack();
  for (const line of splitter.end()) if (line.trim()) tail.push(line.trimEnd());
  await new Promise<void>((resolve) => log.end(() => resolve()));
  const missing = (result as { code?: string }).code === 'ENOENT' || (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  if (missing) {
    throw new ToolError('TOOL_MISSING', 'build', `${options.what}: ${step.file} not found`);
  }
  if (timedOut) {
    throw new ToolError(
      'BUILD_TIMEOUT',
      'build',
      `${options.what}: no result within the build deadline (${options.timeoutMs / 1000} s); log: ${options.logFile}`,
    );
  }
  if (result.exitCode !== 0) {
    throw new ToolError(
      'BUILD_FAILED',
      'build',
      `${options.what}: ${step.file} exited with ${result.exitCode ?? result.signal}; log: ${options.logFile}`,
      {
        details: { logTail: tail.values() },
      },
    );
  }
}
