/** The run's logger: pino to a file in the run directory, and to stderr with --verbose; never stdout. */
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

export function createLogger(options: { level: string; file?: string; verbose?: boolean }): Logger {
  const streams: pino.StreamEntry[] = [];
  if (options.file) streams.push({ level: options.level as pino.Level, stream: fileSink(options.file) });
  // stderr through process.stderr: a closed pipe is then its 'error' event (util/shutdown.ts), not a throw at a log call.
  if (options.verbose) streams.push({ level: options.level as pino.Level, stream: { write: (line: string) => writeStderr(line) } });
  if (streams.length === 0 || options.level === 'silent') return pino({ level: 'silent' });
  return pino({ level: options.level, base: { pid: process.pid } }, pino.multistream(streams));
}
