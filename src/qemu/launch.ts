/** Starts QEMU and stops it (gently, then forcibly, with everything it started); no argv building here. */
import { rm } from 'node:fs/promises';
import pRetry, { AbortError } from 'p-retry';
import { ToolError } from '../base/errors.js';
import { SerialCapture } from '../serial/capture.js';
import type { ExitInfo } from '../serial/expect.js';
import { Tail } from '../serial/lines.js';
import { trackChild } from '../util/children.js';
import { spawnSubprocess, type StopReason, type Subprocess } from '../util/subprocess.js';

export interface QemuProcess {
  pid: number;
  serial: SerialCapture;
  /** Resolves once QEMU has exited and its output is read (or a short drain has passed). */
  exited: Promise<ExitInfo>;
  startedAt: number;
  /** SIGTERM to QEMU's process group, then SIGKILL after 2 s; removes the pidfile. Safe to call twice. */
  stop(reason?: StopReason): Promise<ExitInfo>;
}

/** Errors from spawn itself that a second attempt can cure (the system was briefly short). */
const TRANSIENT_SPAWN = new Set(['EAGAIN', 'ENOMEM', 'EBUSY']);
/** How long to keep reading QEMU's output after it exited, in case a descendant holds the pipe. */
const DRAIN_MS = 500;
/** A stop is SIGTERM to QEMU's process group, then SIGKILL after this. */
const GRACE_MS = 2000;

/** Spawns once on the process core; a start that failed for a transient reason is thrown for p-retry. */
async function spawnOnce(binary: string, argv: string[], cwd: string): Promise<{ child: Subprocess }> {
  const child = spawnSubprocess(binary, argv, { cwd, output: 'stream', graceMs: GRACE_MS, drainMs: DRAIN_MS });
  if (child.pid === null) {
    const result = await child.result;
    const error = new Error(`spawn failed: ${result.spawnError}`) as NodeJS.ErrnoException;
    error.code = result.spawnError ?? undefined;
    throw error;
  }
  return { child };
}

async function spawnWithRetry(binary: string, argv: string[], cwd: string): Promise<{ child: Subprocess }> {
  return pRetry(
    async () => {
      try {
        return await spawnOnce(binary, argv, cwd);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!TRANSIENT_SPAWN.has(code)) {
          const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not executable' : (error as Error).message;
          throw new AbortError(new ToolError('QEMU_START_FAILED', 'qemu-start', `cannot start ${binary}: ${why}`));
        }
        throw error;
      }
    },
    { retries: 2, minTimeout: 200 },
  ).catch((error: unknown) => {
    throw error instanceof ToolError ? error : new ToolError('QEMU_START_FAILED', 'qemu-start', `cannot start ${binary}`, { cause: error });
  });
}

/** Launches QEMU with `argv`, teeing its serial output to `serialLog`. */
export async function launchQemu(options: {
  binary: string;
  argv: string[];
  cwd: string;
  serialLog: string;
  pidfile: string;
}): Promise<QemuProcess> {
  const { child } = await spawnWithRetry(options.binary, options.argv, options.cwd);
  const startedAt = performance.now();
  const pid = child.pid!;
  const serial = new SerialCapture(child.stdout!, options.serialLog, startedAt);
  const stderrTail = new Tail<string>(20);
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) stderrTail.push(line.trimEnd());
  });
  // The core's result comes once QEMU exited, its output was drained (at most DRAIN_MS: a
  // descendant may hold the pipe) and its group was killed.
  const exited: Promise<ExitInfo> = child.result.then(async ({ exitCode, signal }) => {
    await serial.closed;
    return { exitCode, signal, stderrTail: stderrTail.values() };
  });
  let stopping: Promise<ExitInfo> | null = null;
  const stop = (reason: StopReason = 'aborted'): Promise<ExitInfo> => {
    stopping ??= (async () => {
      await child.stop(reason);
      const info = await exited;
      await rm(options.pidfile, { force: true });
      untrack();
      return info;
    })();
    return stopping;
  };
  // Registered after the core's own entry: on Ctrl-C the core records 'parent-gone', this removes the pidfile.
  const untrack = trackChild(async () => void (await stop('parent-gone')));
  return { pid, serial, exited, startedAt, stop };
}
