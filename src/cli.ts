#!/usr/bin/env node
/** argv to config to run to print (src/cli/): the only place errors become exit codes. */
import { ToolError, toToolError } from './base/errors.js';
import { TOOL } from './base/version.js';
import { COMMANDS, parse } from './cli/argv.js';
import { configFrom, driftPlanFrom, mergeOptions } from './cli/config-from-argv.js';
import { HELP } from './cli/help.js';
import { oneLine, print } from './cli/print.js';
import type { DriftResult } from './commands/drift.js';
import type { CommandName } from './report/report.js';
import { stopAllChildren } from './util/children.js';
import { installShutdown, isClosedPipe, onOutputClosed, writeStderr } from './util/shutdown.js';

/** The run's modules, loaded in main() once --help and --version are answered. */
let cmd: typeof import('./cli/runtime.js');

async function main(argv: string[]): Promise<number> {
  const { parsed, error: parseError } = parse(argv);
  let error = parseError;
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
  cmd = await import('./cli/runtime.js');
  const name = command as CommandName;
  const text = (option: unknown): string | undefined => (typeof option === 'string' ? option : undefined);
  if (values.json && values['print-qemu-cmd'])
    error ??= new ToolError('USAGE', 'config', '--json and --print-qemu-cmd: choose one (the command is printed as text)');
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
      // The steps a run of this command takes by default, so a config error's JUnit has them too.
      if (name === 'learn') run.steps.plan(cmd.LEARN_STEPS);
      if (name === 'boot' || name === 'check') run.steps.plan(cmd.bootSteps(name === 'check' ? 1 : 3));
      if (name === 'drift' && extra[0] === 'merge') {
        const judging = await run.setup('config', 'config', async () => {
          if (error) throw error;
          return mergeOptions(cmd, values);
        });
        await run.setup('run folder', 'config', async () => {
          if (values.out) cmd.assertOutApart(values.out, extra.slice(1));
          return run.openFolder(text(values.out), text(values['log-level']) ?? 'info');
        });
        drift = await cmd.mergeDrift(run, extra.slice(1), judging);
        return cmd.judgeDrift(run, drift, judging);
      }
      const { config, plan } = await run.setup('config', 'config', async () => {
        if (error) throw error;
        if (extra.length > 0) throw new ToolError('USAGE', 'config', `unexpected argument "${extra[0]}" (see --help)`);
        const config = await configFrom(cmd, values, name);
        const plan = name !== 'drift' ? null : driftPlanFrom(cmd, values, config);
        return { config, plan };
      });
      await run.setup('run folder', 'config', () => run.openFolder(config.out, config.logLevel));
      if (plan) {
        drift = await cmd.runDrift(run, config, plan);
        await cmd.judgeDrift(run, drift, plan.judging);
      } else if (name === 'learn') await cmd.learn(run, config, { printQemuCmd: values['print-qemu-cmd'] });
      else await cmd.bootCommand(run, config, { mode: name as 'boot' | 'check', fix: values.fix });
    },
  );
  return print(cmd, result, drift, values.json === true);
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
    writeStderr(`${oneLine(failure)}\n`);
    if (failure.code === 'INTERNAL' && error instanceof Error && error.stack) writeStderr(`${error.stack}\n`);
    process.exitCode = failure.exitCode;
  });
