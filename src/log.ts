/** The run's logger: pino to a file in the run directory, and to stderr with --verbose; never stdout. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level: string; file?: string; verbose?: boolean }): Logger {
  const streams: pino.StreamEntry[] = [];
  if (options.file)
    streams.push({ level: options.level as pino.Level, stream: pino.destination({ dest: options.file, sync: true, mkdir: true }) });
  if (options.verbose) streams.push({ level: options.level as pino.Level, stream: pino.destination({ dest: 2, sync: true }) });
  if (streams.length === 0 || options.level === 'silent') return pino({ level: 'silent' });
  return pino({ level: options.level, base: { pid: process.pid } }, pino.multistream(streams));
}
