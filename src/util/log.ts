/**
 * The run's logger: pino to a file in the run directory (JSON), and to stderr with --verbose (JSON
 * lines, or pino-pretty's lines when a person reads them); never stdout.
 */
import { mkdirSync, writeSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { openFreshSync } from './fresh-file.js';
import { writeStderr } from './shutdown.js';

export type { Logger };

/**
 * tool.log as a new file: an old one, or a symbolic link in its place, is removed, never written
 * through. A log that cannot be written (a full or read-only disk) is dropped, never the run's failure.
 */
function fileSink(file: string): { write(line: string): void } {
  let fd: number | null = null;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    fd = openFreshSync(file);
  } catch {
    fd = null;
  }
  return {
    write(line: string) {
      if (fd === null) return;
      try {
        writeSync(fd, line);
      } catch {
        fd = null;
      }
    },
  };
}

/** A log line for a person: pino-pretty's formatter, in-process and synchronous (no worker thread, order kept). */
export type Pretty = (jsonLine: string) => string;

/**
 * pino-pretty's formatter, loaded only when a person reads --verbose: one line per entry, time of
 * day, colour only when `colour`.
 */
export async function prettyLog(colour: boolean): Promise<Pretty> {
  const { prettyFactory } = await import('pino-pretty');
  const pretty = prettyFactory({ colorize: colour, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
  return (line) => pretty(line) ?? '';
}

export interface LogOptions {
  level: string;
  file?: string;
  /** Also log to stderr: JSON lines, or through `human` when a person reads it. */
  verbose?: boolean;
  /** --verbose for a person: each entry formatted by `pretty` and written by `write` (above the live view). */
  human?: { pretty: Pretty; write(text: string): void };
}

export function createLogger(options: LogOptions): Logger {
  const streams: pino.StreamEntry[] = [];
  if (options.file) streams.push({ level: options.level as pino.Level, stream: fileSink(options.file) });
  const human = options.human;
  if (options.verbose && human) {
    streams.push({ level: options.level as pino.Level, stream: { write: (line: string) => human.write(human.pretty(line)) } });
  } else if (options.verbose) {
    // stderr through process.stderr: a closed pipe is then its 'error' event (util/shutdown.ts), not a throw at a log call.
    streams.push({ level: options.level as pino.Level, stream: { write: (line: string) => writeStderr(line) } });
  }
  if (streams.length === 0 || options.level === 'silent') return pino({ level: 'silent' });
  return pino({ level: options.level, base: { pid: process.pid } }, pino.multistream(streams));
}
