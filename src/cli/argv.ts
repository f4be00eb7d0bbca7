/** argv to options and positionals (node:util parseArgs), with what a lenient read finds when argv is wrong. */
import { parseArgs } from 'node:util';
import { ToolError } from '../base/errors.js';
import type { CommandName } from '../report/report.js';

export const OPTIONS = {
  config: { type: 'string' },
  image: { type: 'string' },
  xen: { type: 'string' },
  qemu: { type: 'string' },
  dtb: { type: 'string' },
  memory: { type: 'string' },
  'dom0-mem': { type: 'string' },
  'xen-args': { type: 'string', multiple: true },
  jobs: { type: 'string' },
  'dom0-args': { type: 'string' },
  'load-addr': { type: 'string' },
  profile: { type: 'string' },
  out: { type: 'string' },
  timeout: { type: 'string' },
  'xen-timeout': { type: 'string' },
  'log-level': { type: 'string' },
  verbose: { type: 'boolean' },
  json: { type: 'boolean' },
  'print-qemu-cmd': { type: 'boolean' },
  builder: { type: 'string' },
  app: { type: 'string' },
  board: { type: 'string' },
  toolchain: { type: 'string' },
  'build-dir': { type: 'string' },
  overlay: { type: 'string' },
  'max-passes': { type: 'string' },
  'dom0-timeout': { type: 'string' },
  'build-timeout': { type: 'string' },
  success: { type: 'string', multiple: true },
  failure: { type: 'string' },
  pristine: { type: 'boolean' },
  'observe-dom0': { type: 'boolean' },
  'start-layout': { type: 'string' },
  fix: { type: 'boolean' },
  junit: { type: 'string' },
  bundle: { type: 'string' },
  shard: { type: 'string' },
  'fail-on': { type: 'string' },
  baseline: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
export type Values = Parsed['values'];

/** The command words. */
export const COMMANDS: readonly CommandName[] = ['learn', 'boot', 'check', 'drift'];

/** argv as options and positionals; a mistake is a USAGE error, with what a lenient read still found (the command, --out, --junit). */
export function parse(argv: string[]): { parsed: Parsed; error: null } | { parsed: Parsed; error: ToolError } {
  try {
    return { parsed: parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }), error: null };
  } catch (error) {
    const lenient = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false }) as Parsed;
    // What a lenient read took as a value but looks like an option (`--out --junit x`) is no path to write to.
    for (const option of ['out', 'junit', 'bundle'] as const) {
      const value = lenient.values[option];
      if (typeof value !== 'string' || value.startsWith('-')) delete lenient.values[option];
    }
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    return { parsed: lenient, error: new ToolError('USAGE', 'config', `${message} (see --help)`) };
  }
}
