/**
 * How the tool ends when it is not its own choice: a signal (SIGINT, SIGTERM, SIGHUP), a closed
 * output pipe (EPIPE on stdout or stderr: `learn 2>&1 | head -1`), or a bug. Children are stopped
 * first, every time; a write to a closed pipe is never tried again (that is what spun forever).
 */
import { EXIT_CODES } from '../base/errors.js';
import { stopAllChildren } from './children.js';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

let outputClosed = false;
let ending = false;

/** True for the error a write to a pipe nobody reads gives (a hung-up terminal: EIO; a destroyed stream). */
export function isClosedPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'EIO' || code === 'ERR_STREAM_DESTROYED';
}

/** Writes to stderr unless it is known closed; never throws. */
export function writeStderr(text: string): void {
  if (outputClosed) return;
  try {
    process.stderr.write(text);
  } catch {
    outputClosed = true;
  }
}

/** Writes to stdout and waits until it is handed over, so a closed pipe is seen before the exit code is (130, not 0). */
export function writeStdout(text: string): Promise<void> {
  if (outputClosed) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      process.stdout.write(text, (error) => {
        if (error && isClosedPipe(error)) onOutputClosed();
        resolve();
      });
    } catch {
      onOutputClosed();
      resolve();
    }
  });
}

/** Stops every child, then exits with `code`. Only the first call counts. */
function endWith(code: number): void {
  if (ending) return;
  ending = true;
  void stopAllChildren().finally(() => process.exit(code));
}

/** A closed stdout or stderr: nothing more can be said, so stop the children and exit quietly. */
export function onOutputClosed(): void {
  outputClosed = true;
  // The run was cut short from outside, as by a signal (SIGPIPE); a run that had already ended keeps its code.
  endWith(typeof process.exitCode === 'number' ? process.exitCode : EXIT_CODES.INTERRUPTED);
}

function onSignal(signal: NodeJS.Signals): void {
  // A second signal while the children are being stopped: exit at once (their parent-death
  // signal and the group guard still stop them).
  if (ending) process.exit(EXIT_CODES.INTERRUPTED);
  writeStderr(`xen-dom0-boot: ${signal}: stopping QEMU and builds\n`);
  endWith(EXIT_CODES.INTERRUPTED);
}

function onFatal(error: unknown): void {
  // A closed stdout or stderr surfaces as EPIPE; an EIO here is a file's, not the terminal's.
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return onOutputClosed();
  // Whatever happens next, this run failed: never let it end with exit code 0.
  process.exitCode = EXIT_CODES.INTERNAL;
  if (ending) return;
  writeStderr(`xen-dom0-boot: internal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  endWith(EXIT_CODES.INTERNAL);
}

/** Installs the handlers once, before any child starts. Listeners stay installed for the run's whole life. */
export function installShutdown(): void {
  for (const signal of SIGNALS) process.on(signal, onSignal);
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => (isClosedPipe(error) ? onOutputClosed() : onFatal(error)));
  }
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
}
