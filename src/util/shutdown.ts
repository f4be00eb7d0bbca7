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
/** The run's report being written after the first signal. */
let finishing: Promise<unknown> | null = null;
/** How long a second signal still lets the report be written. */
const SECOND_SIGNAL_MS = 1000;

/** What the run does before the process ends from outside (a signal, a closed pipe, a bug): writes its report. */
export type Finisher = (code: 'INTERRUPTED' | 'INTERNAL', message: string) => Promise<void>;
let finisher: Finisher | null = null;
/** The longest a finisher may take before the process exits anyway. */
const FINISH_MS = 3000;

/** Sets (or clears, with null) the run's finisher; the run skeleton sets one for its run. */
export function setFinisher(next: Finisher | null): void {
  finisher = next;
}

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

/** Stops every child while the run writes its report (if it has a finisher), then exits with `code`. Only the first call counts. */
function endWith(code: number, why?: { code: 'INTERRUPTED' | 'INTERNAL'; message: string }): void {
  if (ending) return;
  ending = true;
  const finish = why && finisher ? finisher(why.code, why.message).catch(() => undefined) : Promise.resolve();
  finishing = finish;
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, FINISH_MS).unref());
  void Promise.allSettled([stopAllChildren(), Promise.race([finish, deadline])]).finally(() => process.exit(code));
}

/** A closed stdout or stderr: nothing more can be said, so stop the children and exit quietly. */
export function onOutputClosed(): void {
  outputClosed = true;
  // The run was cut short from outside, as by a signal (SIGPIPE); a run that had already ended keeps its code.
  if (typeof process.exitCode === 'number') return endWith(process.exitCode);
  endWith(EXIT_CODES.INTERRUPTED, { code: 'INTERRUPTED', message: 'stdout or stderr was closed' });
}

function onSignal(signal: NodeJS.Signals): void {
  // A second signal while the children are being stopped: exit once the report is written, within
  // a second (their parent-death signal and the group guard still stop the children).
  if (ending) {
    const grace = new Promise<void>((resolve) => setTimeout(resolve, SECOND_SIGNAL_MS).unref());
    void Promise.race([finishing ?? Promise.resolve(), grace]).finally(() => process.exit(EXIT_CODES.INTERRUPTED));
    return;
  }
  // A run's finisher prints its own one-line failure; without one, say what is happening.
  if (!finisher) writeStderr(`xen-dom0-boot: ${signal}: stopping QEMU and builds\n`);
  endWith(EXIT_CODES.INTERRUPTED, { code: 'INTERRUPTED', message: `${signal}: stopped QEMU and builds` });
}

function onFatal(error: unknown): void {
  // A closed stdout or stderr surfaces as EPIPE; an EIO here is a file's, not the terminal's.
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return onOutputClosed();
  // Whatever happens next, this run failed: never let it end with exit code 0.
  process.exitCode = EXIT_CODES.INTERNAL;
  if (ending) return;
  writeStderr(`xen-dom0-boot: internal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  endWith(EXIT_CODES.INTERNAL, {
    code: 'INTERNAL',
    message: `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  });
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
