#!/usr/bin/env node
/** argv to config to run to print: the only place errors become exit codes. */
import { parseArgs } from 'node:util';
import { HELP } from './cli-help.js';
import { ToolError, toToolError } from './base/errors.js';
import { TOOL } from './base/version.js';
import type { Config } from './config/load.js';
import type { PartialConfig } from './config/schema.js';
import type { CommandName } from './report/report.js';
import type { RunResult } from './run/run.js';
import type { DriftResult } from './commands/drift.js';
import { stopAllChildren } from './util/children.js';
import { installShutdown, isClosedPipe, onOutputClosed, writeStderr, writeStdout } from './util/shutdown.js';

/** Loaded in main() once --help and --version are answered. */
let cmd: typeof import('./commands.js');

const OPTIONS = {
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
  fix: { type: 'boolean' },
  junit: { type: 'string' },
  bundle: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
type Values = Parsed['values'];

const COMMANDS: readonly CommandName[] = ['learn', 'boot', 'check', 'drift'];

/** argv as options and positionals; a mistake is a USAGE error, with what a lenient read still found (the command, --out, --junit). */
function parse(argv: string[]): { parsed: Parsed; error: null } | { parsed: Parsed; error: ToolError } {
  try {
    return { parsed: parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }), error: null };
  } catch (error) {
    const lenient = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false }) as Parsed;
    return { parsed: lenient, error: new ToolError('USAGE', 'config', `${(error as Error).message} (see --help)`) };
  }
}

/** A number when the text is one; else the text, so the schema names the option and value. */
function num(value: string | undefined): number | undefined | string {
  if (value === undefined) return undefined;
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/** --builder/--app/--board/--toolchain/--build-dir as a `build` section; the file's section when none is given. */
function buildOverride(values: Values, fromFile: PartialConfig): unknown {
  const type = values.builder ?? (values.app ? 'west' : undefined);
  if (!type && !values['build-dir'] && !values.board && !values.toolchain) return undefined;
  const base = (fromFile.build ?? { type: 'demo' }) as Record<string, unknown>;
  const merged: Record<string, unknown> = type && type !== base.type ? { type } : { ...base };
  if (values.app) merged.app = values.app;
  if (values.board) merged.board = values.board;
  if (values.toolchain) merged.toolchain = values.toolchain;
  if (values['build-dir']) merged.buildDir = values['build-dir'];
  if (type === 'command' && !base.argv) {
    throw new ToolError('USAGE', 'config', '--builder command: give the command in a --config file (build.argv, build.image)');
  }
  if (values.toolchain && merged.type !== 'west' && merged.type !== 'cmake') {
    throw new ToolError(
      'USAGE',
      'config',
      `--toolchain goes with a Zephyr build (--builder west|cmake --app PATH); the ${String(merged.type)} build does not take it`,
    );
  }
  if ((merged.type === 'west' || merged.type === 'cmake') && !merged.app) {
    throw new ToolError('USAGE', 'config', `--builder ${String(merged.type)}: --app PATH (the Zephyr application folder) is required`);
  }
  return merged;
}

/** The config: the --config file's, overridden by the options; options that do not go with `command` refused. */
async function configFrom(values: Values, command: CommandName): Promise<Config> {
  if (values.fix && command !== 'check') throw new ToolError('USAGE', 'config', '--fix goes with check');
  if (values['print-qemu-cmd'] && (command === 'boot' || command === 'check'))
    throw new ToolError('USAGE', 'config', "--print-qemu-cmd goes with learn; boot writes each pass's qemu-cmd.sh");
  const fromFile = values.config ? await cmd.loadConfigFile(values.config) : {};
  const drift = command === 'drift';
  const fromCli = cmd.validateOverrides({
    image: values.image,
    xen: drift ? undefined : values.xen,
    qemu: values.qemu,
    dtb: values.dtb,
    memory: drift ? undefined : values.memory,
    dom0Mem: drift ? undefined : values['dom0-mem'],
    xenArgs: drift ? undefined : values['xen-args']?.join(' '),
    dom0Args: values['dom0-args'],
    loadAddr: values['load-addr'],
    profile: values.profile,
    out: values.out,
    timeout: num(values.timeout),
    xenTimeout: num(values['xen-timeout']),
    logLevel: values['log-level'],
    build: buildOverride(values, fromFile),
    overlay: values.overlay,
    maxPasses: num(values['max-passes']),
    dom0Timeout: num(values['dom0-timeout']),
    buildTimeout: num(values['build-timeout']),
    successPatterns: values.success,
    failurePattern: values.failure,
    pristine: values.pristine,
    observeDom0: values['observe-dom0'],
  });
  return cmd.mergeConfig(fromFile, fromCli);
}

async function main(argv: string[]): Promise<number> {
  const { parsed, error } = parse(argv);
  const { values, positionals } = parsed;
  if (!error && values.help) return (process.stdout.write(HELP), 0);
  if (!error && values.version) return (process.stdout.write(`${TOOL.name} ${TOOL.version}\n`), 0);
  const [command, ...extra] = positionals;
  if (!COMMANDS.includes(command as CommandName)) {
    throw (
      error ??
      new ToolError(
        'USAGE',
        'config',
        command
          ? `unknown command "${command}" (expected learn, boot, check or drift; see --help)`
          : 'no command given (expected learn, boot, check or drift; see --help)',
      )
    );
  }
  cmd = await import('./commands.js');
  const name = command as CommandName;
  const text = (option: unknown): string | undefined => (typeof option === 'string' ? option : undefined);
  let drift: DriftResult | null = null;
  const result = await cmd.runCommand(
    {
      command: name,
      out: text(values.out),
      junit: text(values.junit),
      bundle: text(values.bundle),
      verbose: values.verbose === true,
      progress: cmd.createProgress(),
    },
    async (run) => {
      if (error) throw error;
      if (extra.length > 0) throw new ToolError('USAGE', 'config', `unexpected argument "${extra[0]}" (see --help)`);
      const config = await run.setup('config', 'config', () => configFrom(values, name));
      await run.openFolder(config.out, config.logLevel);
      if (name === 'drift') {
        const plan = cmd.driftPlan(
          { xen: values.xen, memory: values.memory, dom0Mem: values['dom0-mem'], xenArgs: values['xen-args'], jobs: values.jobs },
          config,
        );
        drift = await cmd.runDrift(run, config, plan);
      } else if (name === 'learn') await cmd.learn(run, config, { printQemuCmd: values['print-qemu-cmd'] });
      else await cmd.bootCommand(run, config, { mode: name, fix: values.fix });
    },
  );
  return print(result, drift, values.json === true);
}

/** The summary (or the report as JSON) on stdout, the failure in one line on stderr, and the exit code. */
async function print(result: RunResult, drift: DriftResult | null, json: boolean): Promise<number> {
  // A signal or a closed pipe: util/shutdown.ts wrote nothing more and exits once the children are stopped.
  if (result.interrupted) return new Promise<number>(() => undefined);
  const { report, failure } = result;
  if (result.output !== null && !failure) {
    await writeStdout(result.output);
    return 0;
  }
  if (report && json) await writeStdout(drift ? drift.text : `${JSON.stringify(report, null, 2)}\n`);
  else if (report && drift) {
    const { rows, jobs, wallMs } = drift;
    const failed = rows.filter((r) => r.failure).length;
    await writeStdout(
      `${cmd.renderDriftMatrix(rows)}${rows.length} combinations, ${failed} failed, ${jobs} at once, ${wallMs} ms\nReport: ${report.runDir}/drift.json\n`,
    );
  } else if (report && report.inputs) await writeStdout(cmd.renderSummary(report));
  if (failure) {
    writeStderr(`xen-dom0-boot: ${failure.stage}: ${failure.message} [${failure.code}]\n`);
    if (failure.code === 'INTERNAL' && failure.cause instanceof Error && failure.cause.stack) writeStderr(`${failure.cause.stack}\n`);
  }
  return failure ? failure.exitCode : 0;
}

// Signals (SIGINT, SIGTERM, SIGHUP), a closed stdout/stderr and bugs: children stopped first (util/shutdown.ts).
installShutdown();

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch(async (error: unknown) => {
    await stopAllChildren();
    // A log line to a closed stderr (--verbose) throws EPIPE where it was written.
    if (isClosedPipe(error) || isClosedPipe((error as { cause?: unknown } | null)?.cause)) return onOutputClosed();
    const failure = toToolError(error);
    writeStderr(`xen-dom0-boot: ${failure.stage}: ${failure.message} [${failure.code}]\n`);
    if (failure.code === 'INTERNAL' && error instanceof Error && error.stack) writeStderr(`${error.stack}\n`);
    process.exitCode = failure.exitCode;
  });
