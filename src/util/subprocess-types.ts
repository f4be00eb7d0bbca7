/** The process core's shapes (subprocess.ts): its options, the one result of every child, and why a child ended. */
import type { Readable } from 'node:stream';

/** How a child ended: on its own (exited, signaled), or stopped by us, and why. */
export type Termination = 'exited' | 'signaled' | 'timeout' | 'aborted' | 'parent-gone' | 'spawn-failed';
/** Why we stop a child: its caller is done with it, or the tool itself is ending. */
export type StopReason = 'aborted' | 'parent-gone';

/** What a caller may ask of a child: where it runs, its output, its deadline, how it is stopped. */
export interface SubprocessOptions {
  cwd?: string;
  /** Added to the tool's environment. */
  env?: Record<string, string>;
  /** 'buffer': the result holds up to `maxBuffer` bytes of each stream; 'stream': the caller reads `stdout`/`stderr`. */
  output?: 'buffer' | 'stream';
  maxBuffer?: number;
  /** The child's deadline; past it, it is stopped with reason 'timeout'. */
  timeoutMs?: number;
  /** The caller's signal: aborting it stops the child with reason 'aborted'. */
  signal?: AbortSignal;
  /** Stop = SIGTERM to the group, then SIGKILL after `graceMs`; 0 (default) is SIGKILL at once. */
  graceMs?: number;
  /** After the child exited, how long its output pipes may stay open (a descendant holding them). */
  drainMs?: number;
}

/** Every child's one result, success and failure alike: callers branch on `termination` and `failed`. */
export interface SubprocessResult {
  command: string[];
  pid: number | null;
  termination: Termination;
  exitCode: number | null;
  signal: string | null;
  /** The errno of a child that could not be started (ENOENT, EACCES, EAGAIN, ...). */
  spawnError: string | null;
  /** True unless the child exited with code 0 on its own. */
  failed: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** A running child: its pipes, its exit, its result and the way to stop it. */
export interface Subprocess {
  pid: number | null;
  stdout: Readable | null;
  stderr: Readable | null;
  /** The child's own exit (not its pipes'). */
  exited: Promise<{ exitCode: number | null; signal: string | null }>;
  /** Once the child exited, its output was drained (bounded) and its group was killed. Never rejects. */
  result: Promise<SubprocessResult>;
  /** Stops the child (and its group) for `reason`; resolves with the result. Safe to call twice. */
  stop(reason?: StopReason): Promise<SubprocessResult>;
}
