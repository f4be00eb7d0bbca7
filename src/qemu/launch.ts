/** Starts QEMU and stops it (gently, then forcibly, with its children); no argv building here. */
import { rm } from 'node:fs/promises';
import { execa, type ResultPromise } from 'execa';
import pRetry, { AbortError } from 'p-retry';
import treeKill from 'tree-kill';
import { ToolError } from '../errors.js';
import { SerialCapture } from '../serial/capture.js';
import type { ExitInfo } from '../serial/expect.js';
import { Tail } from '../serial/lines.js';
import { trackChild } from '../util/children.js';

export interface QemuProcess {
  pid: number;
  serial: SerialCapture;
  /** Resolves once QEMU has exited and its output is fully read. */
  exited: Promise<ExitInfo>;
  startedAt: number;
  /** SIGTERM, then SIGKILL after `graceMs`; removes the pidfile. Safe to call twice. */
  stop(graceMs?: number): Promise<ExitInfo>;
}

/** Errors from spawn itself that a second attempt can cure (the system was briefly short). */
const TRANSIENT_SPAWN = new Set(['EAGAIN', 'ENOMEM', 'EBUSY']);

function kill(pid: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
}

const SPAWN_OPTIONS = { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false, cleanup: true } as const;

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

/** Launches QEMU with `argv`, teeing its serial output to `serialLog`. */
export async function launchQemu(options: {
  binary: string;
  argv: string[];
  cwd: string;
  serialLog: string;
  pidfile: string;
}): Promise<QemuProcess> {
  const { child } = await pRetry(
    async () => {
      try {
        return await spawnOnce(options.binary, options.argv, options.cwd);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (!TRANSIENT_SPAWN.has(code)) {
          throw new AbortError(
            new ToolError('QEMU_START_FAILED', 'qemu-start', `cannot start ${options.binary}: ${(error as Error).message}`),
          );
        }
        throw error;
      }
    },
    { retries: 2, minTimeout: 200 },
  ).catch((error: unknown) => {
    throw error instanceof ToolError
      ? error
      : new ToolError('QEMU_START_FAILED', 'qemu-start', `cannot start ${options.binary}`, { cause: error });
  });
  const startedAt = performance.now();
  const pid = child.pid!;
  const serial = new SerialCapture(child.stdout, options.serialLog, startedAt);
  const stderrTail = new Tail<string>(20);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    for (const line of text.split('\n')) if (line.trim()) stderrTail.push(line.trimEnd());
  });
  const exited: Promise<ExitInfo> = Promise.all([child, serial.closed]).then(([result]) => ({
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stderrTail: stderrTail.values(),
  }));
  let stopping: Promise<ExitInfo> | null = null;
  const stop = (graceMs = 2000): Promise<ExitInfo> => {
    stopping ??= (async () => {
      const gone = await Promise.race([exited, kill(pid, 'SIGTERM').then(() => null)]);
      if (!gone) {
        const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), graceMs).unref());
        if (!(await Promise.race([exited, timer]))) await kill(pid, 'SIGKILL');
      }
      const info = await exited;
      await rm(options.pidfile, { force: true });
      untrack();
      return info;
    })();
    return stopping;
  };
  const untrack = trackChild(async () => void (await stop()));
  void exited.then(() => untrack());
  return { pid, serial, exited, startedAt, stop };
}
