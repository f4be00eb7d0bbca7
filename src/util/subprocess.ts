/**
 * The one way the tool runs a child (QEMU, builds, host tools, version probes, tar), modelled on
 * execa's own core: one AbortSignal per child, one recorded termination reason (the first wins),
 * one result shape for success and failure. Every child leads its own process group, runs under
 * the kernel's parent-death signal, is listed with the group guard and in the registry of live
 * children; when it ends, whatever it left in its group is killed, and a descendant holding its
 * output pipes is not waited for beyond `drainMs`.
 */
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { trackChild } from './children.js';
import { guardGroup } from './group-guard.js';
import { killGroup } from './kill-group.js';
import { resolveCommand, withParentDeath } from './pdeathsig.js';
import { collectOutput, type Collected } from './subprocess-output.js';
import type { StopReason, Subprocess, SubprocessOptions, SubprocessResult, Termination } from './subprocess-types.js';

/** The core's shapes, importable from the core itself. */
export type { StopReason, Subprocess, SubprocessOptions, SubprocessResult, Termination };

const DEFAULT_DRAIN_MS = 500;

/** Starts `file argv...` (an argv array, no shell). Never throws: a failed start is a 'spawn-failed' result. */
export function spawnSubprocess(file: string, argv: string[], options: SubprocessOptions = {}): Subprocess {
  const started = performance.now();
  const command = [file, ...argv];
  const controller = new AbortController();
  let reason: Termination | null = null;
  const end = (termination: Termination, fields: Partial<SubprocessResult>, out?: Collected): SubprocessResult => ({
    command,
    pid: null,
    exitCode: null,
    signal: null,
    spawnError: null,
    ...fields,
    termination,
    failed: termination !== 'exited' || fields.exitCode !== 0,
    stdout: out?.stdout() ?? '',
    stderr: out?.stderr() ?? '',
    durationMs: Math.round(performance.now() - started),
  });
  const resolved = resolveCommand(file, options.cwd, options.env?.PATH ?? process.env.PATH);
  if ('error' in resolved) {
    const result = Promise.resolve(end('spawn-failed', { spawnError: resolved.error }));
    return {
      pid: null,
      stdout: null,
      stderr: null,
      exited: result.then(() => ({ exitCode: null, signal: null })),
      result,
      stop: () => result,
    };
  }
  const wrapped = withParentDeath(resolved.file, argv);
  const child = execa(wrapped.file, wrapped.argv, {
    cwd: options.cwd,
    env: options.env,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: false,
    detached: true,
  });
  child.catch(() => undefined);
  const pid = child.pid ?? null;
  const out = options.output === 'buffer' ? collectOutput(child.stdout, child.stderr, options.maxBuffer ?? 1 << 20) : undefined;
  const exited = new Promise<{ exitCode: number | null; signal: string | null; spawnError?: string }>((resolve) => {
    if (pid === null)
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ exitCode: null, signal: null, spawnError: error.code ?? 'EINVAL' }));
    if (child.exitCode !== null || child.signalCode !== null) resolve({ exitCode: child.exitCode, signal: child.signalCode });
    else child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  const unguard = pid === null ? () => undefined : guardGroup(pid);
  let gone = false;
  const terminate = async (): Promise<void> => {
    if (pid === null || gone) return;
    const grace = options.graceMs ?? 0;
    await killGroup(pid, grace > 0 ? 'SIGTERM' : 'SIGKILL');
    if (grace > 0) {
      const timer = new Promise<false>((r) => setTimeout(() => r(false), grace).unref());
      if (!(await Promise.race([exited.then(() => true), timer]))) await killGroup(pid, 'SIGKILL');
    }
  };
  controller.signal.addEventListener('abort', () => void terminate(), { once: true });
  const abort = (why: Termination): void => {
    if (gone) return;
    reason ??= why;
    controller.abort(why);
  };
  const onCallerAbort = (): void => abort('aborted');
  if (options.signal?.aborted) queueMicrotask(onCallerAbort);
  else options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  const timer = options.timeoutMs === undefined ? null : setTimeout(() => abort('timeout'), options.timeoutMs);
  function stop(why: StopReason = 'aborted'): Promise<SubprocessResult> {
    abort(why);
    return result;
  }
  const untrack = trackChild(async () => void (await stop('parent-gone')));
  const result: Promise<SubprocessResult> = exited.then(async ({ exitCode, signal, spawnError }) => {
    gone = true;
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
    if (spawnError) {
      untrack();
      return end('spawn-failed', { spawnError }, out);
    }
    // Read what is left of its output, but never wait on a pipe a descendant holds.
    const streams = [child.stdout, child.stderr].filter((s): s is Readable => s !== null && !s.closed);
    const closed = Promise.all(streams.map((s) => new Promise((r) => s.once('close', r))));
    const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
    if (!(await Promise.race([closed.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), drainMs).unref())]))) {
      for (const s of streams) s.destroy();
    }
    // Whatever it left in its group goes too, on success as on failure.
    await killGroup(pid!, 'SIGKILL');
    unguard();
    untrack();
    return end(reason ?? (signal ? 'signaled' : 'exited'), { pid, exitCode, signal }, out);
  });
  return {
    pid,
    stdout: child.stdout,
    stderr: child.stderr,
    exited: exited.then(({ exitCode, signal }) => ({ exitCode, signal })),
    result,
    stop,
  };
}
