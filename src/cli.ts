#!/usr/bin/env node
/** argv to a run; the only place that maps errors to exit codes. */
import { parseArgs } from 'node:util';
import { HELP } from './cli-help.js';
import { ToolError, toToolError } from './base/errors.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config/load.js';
import type { Progress } from './report/progress.js';
import type { ReportJson } from './report/report.js';
import type { PartialConfig } from './config/schema.js';
import { shown } from './util/shown.js';
import { stopAllChildren } from './util/children.js';
import { installShutdown, isClosedPipe, onOutputClosed, writeStderr, writeStdout } from './util/shutdown.js';
import { assertPlainTarget } from './util/write-error.js';
import { TOOL } from './base/version.js';

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

function parse(argv: string[]): ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>> {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ToolError('USAGE', 'config', `${(error as Error).message} (see --help)`);
  }
}

/** A number when the text is one; else the text, so the schema names the option and value. */
function num(value: string | undefined): number | undefined | string {
  if (value === undefined) return undefined;
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

type Values = ReturnType<typeof parse>['values'];

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

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) return (process.stdout.write(HELP), 0);
  if (values.version) return (process.stdout.write(`${TOOL.name} ${TOOL.version}\n`), 0);
  cmd = await import('./commands.js');
  const [command, ...extra] = positionals;
  if (command !== 'learn' && command !== 'boot' && command !== 'check' && command !== 'drift') {
    throw new ToolError(
      'USAGE',
      'config',
      command
        ? `unknown command "${command}" (expected learn, boot, check or drift; see --help)`
        : 'no command given (expected learn, boot, check or drift; see --help)',
    );
  }
  if (extra.length > 0) throw new ToolError('USAGE', 'config', `unexpected argument "${extra[0]}" (see --help)`);
  const fromFile = values.config ? await cmd.loadConfigFile(values.config) : {};
  const fromCli = cmd.validateOverrides({
    image: values.image,
    xen: command === 'drift' ? undefined : values.xen,
    qemu: values.qemu,
    dtb: values.dtb,
    memory: command === 'drift' ? undefined : values.memory,
    dom0Mem: command === 'drift' ? undefined : values['dom0-mem'],
    xenArgs: command === 'drift' ? undefined : values['xen-args']?.join(' '),
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
  const config = cmd.mergeConfig(fromFile, fromCli);
  if (command === 'drift') return drift(values, config);
  if (values.fix && command !== 'check') throw new ToolError('USAGE', 'config', '--fix goes with check');
  if (command === 'boot' || command === 'check') {
    if (values['print-qemu-cmd'])
      throw new ToolError('USAGE', 'config', "--print-qemu-cmd goes with learn; boot writes each pass's qemu-cmd.sh");
    const { report } = await cmd.bootCommand(config, { verbose: values.verbose, mode: command, fix: values.fix, progress: progress() });
    return finish(report, values);
  }
  const result = await cmd.learn(config, { printQemuCmd: values['print-qemu-cmd'], verbose: values.verbose, progress: progress() });
  if (result.qemuCommand !== undefined) {
    process.stdout.write(`${result.qemuCommand}\n`);
    return 0;
  }
  return finish(result.report!, values);
}

/** A comma-separated option as a list, each item validated as that option alone. */
function list(values: Values, option: 'memory' | 'dom0-mem' | 'xen'): string[] | undefined {
  const raw = values[option];
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) {
    throw new ToolError('USAGE', 'config', `--${option}: expected a comma-separated list with no empty items (got ${shown(raw)})`);
  }
  const field = { memory: 'memory', 'dom0-mem': 'dom0Mem', xen: 'xen' }[option];
  for (const item of items) cmd.validateOverrides({ [field]: item });
  return items;
}

/** `drift`: the matrix from the options, else the config's drift section, else the single values. */
async function drift(values: Values, config: Config): Promise<number> {
  const section = config.drift ?? {};
  const matrix = {
    xen: list(values, 'xen') ?? section.xen ?? [config.xen ?? '4.17'],
    memory: list(values, 'memory') ?? section.memory ?? [config.memory ?? '6G'],
    dom0Mem: list(values, 'dom0-mem') ?? section.dom0Mem ?? [config.dom0Mem],
    xenArgs: values['xen-args'] ?? section.xenArgs ?? [''],
  };
  // Each repeated --xen-args is one combination's Xen arguments: checked like learn's --xen-args.
  for (const xenArgs of values['xen-args'] ?? []) cmd.validateOverrides({ xenArgs });
  const jobs = num(values.jobs);
  if (jobs !== undefined && (typeof jobs !== 'number' || !Number.isInteger(jobs) || jobs < 1 || jobs > 64)) {
    throw new ToolError('USAGE', 'config', `--jobs: expected a whole number of boots at once, 1 to 64 (got ${shown(values.jobs)})`);
  }
  const result = await cmd.runDrift(config, matrix, {
    jobs: (jobs as number | undefined) ?? section.jobs,
    verbose: values.verbose,
    progress: progress(),
  });
  activeProgress?.close();
  if (values.junit) {
    await assertPlainTarget(path.resolve(values.junit), '--junit');
    await cmd.writeFileAtomic(path.resolve(values.junit), cmd.driftToJunit(result.rows, result.wallMs, result.startedAt), undefined, {
      what: '--junit',
    });
  }
  if (values.bundle) await assertPlainTarget(path.resolve(values.bundle), '--bundle');
  if (values.bundle) await cmd.packBundle(result.runDir, values.bundle);
  if (values.json) process.stdout.write(`${readFileSync(path.join(result.runDir, 'drift.json'), 'utf8')}`);
  else {
    process.stdout.write(cmd.renderDriftMatrix(result.rows));
    const failed = result.rows.filter((r) => r.failure).length;
    process.stdout.write(
      `${result.rows.length} combinations, ${failed} failed, ${result.jobs} at once, ${result.wallMs} ms\nReport: ${result.runDir}/drift.json\n`,
    );
  }
  return 0;
}

/** Prints the report (JSON) or the summary, and turns the failure into the exit code. */
let activeProgress: Progress | null = null;
/** The progress display for this run (stderr; live in a terminal, plain lines in CI or a pipe). */
function progress(): Progress {
  activeProgress ??= cmd.createProgress();
  return activeProgress;
}

async function finish(report: ReportJson, values: Values): Promise<number> {
  activeProgress?.close();
  const json = values.json === true;
  await cmd.writeVersions(report);
  await cmd.writeReproduce(report);
  if (values.junit) {
    await assertPlainTarget(path.resolve(values.junit), '--junit');
    await cmd.writeFileAtomic(path.resolve(values.junit), cmd.reportToJunit(report), undefined, { what: '--junit' });
  }
  if (values.bundle) await assertPlainTarget(path.resolve(values.bundle), '--bundle');
  if (values.bundle) await cmd.packBundle(report.runDir, values.bundle);
  await writeStdout(json ? `${JSON.stringify(report, null, 2)}\n` : cmd.renderSummary(report));
  if (report.failure && !json)
    process.stderr.write(`xen-dom0-boot: ${report.failure.stage}: ${report.failure.message} [${report.failure.code}]\n`);
  return report.failure ? report.failure.exitCode : 0;
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
