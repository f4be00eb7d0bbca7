/** Starts QEMU and stops it (gently, then forcibly, with everything it started); no argv building here. */
import { rm } from 'node:fs/promises';
import { execa, type ResultPromise } from 'execa';
import pRetry, { AbortError } from 'p-retry';
import { ToolError } from '../errors.js';
import { SerialCapture } from '../serial/capture.js';
import type { ExitInfo } from '../serial/expect.js';
import { Tail } from '../serial/lines.js';
import { trackChild } from '../util/children.js';
import { killGroup } from '../util/kill-group.js';

export interface QemuProcess {
  pid: number;
  serial: SerialCapture;
  /** Resolves once QEMU has exited and its output is read (or a short drain has passed). */
  exited: Promise<ExitInfo>;
  startedAt: number;
  /** SIGTERM to QEMU's process group, then SIGKILL after `graceMs`; removes the pidfile. Safe to call twice. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

/** Errors from spawn itself that a second attempt can cure (the system was briefly short). */
const TRANSIENT_SPAWN = new Set(['EAGAIN', 'ENOMEM', 'EBUSY']);
/** How long to keep reading QEMU's output after it exited, in case a descendant holds the pipe. */
const DRAIN_MS = 500;

// detached: QEMU leads its own process group, so stop() reaches everything it started.
const SPAWN_OPTIONS = {
  stdin: 'ignore',
  stdout: 'pipe',
  stderr: 'pipe',
  buffer: false,
  reject: false,
  cleanup: true,
  detached: true,
} as const;

type QemuChild = ResultPromise<typeof SPAWN_OPTIONS & { cwd: string }>;

/** Spawns once. Returns the child inside an object: a subprocess is a thenable and must not be awaited here. */
async function spawnOnce(binary: string, argv: string[], cwd: string): Promise<{ child: QemuChild }> {
  const child = execa(binary, argv, { ...SPAWN_OPTIONS, cwd });
  if (child.pid === undefined) {
    const result = await child;
    const error = new Error(result.shortMessage) as NodeJS.ErrnoException;
    error.code = (result as { code?: string }).code ?? (result.cause as NodeJS.ErrnoException | undefined)?.code;
    throw error;
  }
  return { child };
}

async function spawnWithRetry(binary: string, argv: string[], cwd: string): Promise<{ child: QemuChild }> {
  return pRetry(
    async () => {
      try {
        return await spawnOnce(binary, argv, cwd);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!TRANSIENT_SPAWN.has(code)) {
          const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
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
  let settled = false;
  const serial = new SerialCapture(child.stdout, options.serialLog, startedAt);
  const stderrTail = new Tail<string>(20);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) stderrTail.push(line.trimEnd());
  });
  // The process's own exit, not execa's promise: that one waits for every holder of the pipes.
  const processExit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  child.catch(() => undefined);
  const exited: Promise<ExitInfo> = processExit.then(async ({ code, signal }) => {
    settled = true;
    // QEMU is gone; read what is left of its output, but never wait on a pipe a descendant holds.
    const drained = await Promise.race([
      serial.closed.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), DRAIN_MS).unref()),
    ]);
    if (!drained) {
      await killGroup(pid, 'SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      await serial.closed;
    }
    return { exitCode: code, signal, stderrTail: stderrTail.values() };
  });
  let stopping: Promise<ExitInfo> | null = null;
  const stop = (graceMs = 2000): Promise<ExitInfo> => {
    stopping ??= (async () => {
      if (!settled) await killGroup(pid, 'SIGTERM');
      const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), graceMs).unref());
      if (!(await Promise.race([exited, timer])) && !settled) await killGroup(pid, 'SIGKILL');
      const info = await exited;
      // Whatever QEMU started and left in its group goes too.
      await killGroup(pid, 'SIGKILL').catch(() => undefined);
      await rm(options.pidfile, { force: true });
      untrack();
      return info;
    })();
    return stopping;
  };
  const untrack = trackChild(async () => void (await stop()));
  return { pid, serial, exited, startedAt, stop };
}
