/** Waits for a condition on serial lines before a deadline; the expectation half of the split. */
import type { LineListener } from './capture.js';

export interface LineSource {
  onLine(listener: LineListener): () => void;
}

export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
  stderrTail: string[];
}

/** How a wait ended: failures are data, not exceptions. */
export type WaitResult<T> =
  { status: 'matched'; value: T; atMs: number } | { status: 'exited'; exit: ExitInfo } | { status: 'timeout'; waitedMs: number };

/**
 * Feeds each new line to `match` until it returns a value, the process exits, or
 * `timeoutMs` passes. `exited` resolves when the process behind the lines is gone.
 */
export function waitFor<T>(
  source: LineSource,
  match: (line: string) => T | undefined,
  options: { timeoutMs: number; exited: Promise<ExitInfo> },
): Promise<WaitResult<T>> {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (result: WaitResult<T>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ status: 'timeout', waitedMs: Math.round(performance.now() - started) }), options.timeoutMs);
    const unsubscribe = source.onLine((line, atMs) => {
      const value = match(line);
      if (value !== undefined) finish({ status: 'matched', value, atMs });
    });
    options.exited.then((exit) => finish({ status: 'exited', exit }));
  });
}
