#!/usr/bin/env node
/** argv to config to run to print (src/cli/): the only place errors become exit codes; help, version, completion answer before the run's modules load. */
import { toToolError } from './base/errors.js';
import { parse } from './cli/argv.js';
import { configFrom, driftPlanFrom, mergeOptions } from './cli/config-from-argv.js';
import { oneLine, print } from './cli/print.js';
import type { DriftResult } from './commands/drift.js';
import { stopAllChildren } from './util/children.js';
import { installShutdown, isClosedPipe, onOutputClosed, writeStderr } from './util/shutdown.js';

/** The run's modules, loaded in main() once help, the version and completion are answered. */
let cmd: typeof import('./cli/runtime.js');

async function main(argv: string[]): Promise<number> {
  const parsed = parse(argv);
  if (parsed.kind === 'print') return (process.stdout.write(parsed.text), 0);
  if (parsed.kind === 'fail') throw parsed.error;
  if (parsed.kind === 'setup') return (await import('./cli/setup.js')).runSetup(parsed.args);
  const { command: name, merge, folders, values, error } = parsed;
  cmd = await import('./cli/runtime.js');
  let drift: DriftResult | null = null;
  const result = await cmd.runCommand(
    {
      command: name,
      out: values.out,
      junit: values.junit,
      bundle: values.bundle,
      verbose: values.verbose === true,
      progress: cmd.createProgress(),
    },
    async (run) => {
      // The steps a run of this command takes by default, so a config error's JUnit has them too.
      if (name === 'learn') run.steps.plan(cmd.LEARN_STEPS);
      if (name === 'boot' || name === 'check') run.steps.plan(cmd.bootSteps(name === 'check' ? 1 : 3));
      if (merge) {
        const judging = await run.setup('config', 'config', async () => {
          if (error) throw error;
          return mergeOptions(cmd, values);
        });
        await run.setup('run folder', 'config', async () => {
          if (values.out) cmd.assertOutApart(values.out, folders);
          return run.openFolder(values.out, values['log-level'] ?? 'info');
        });
        drift = await cmd.mergeDrift(run, folders, judging);
        return cmd.judgeDrift(run, drift, judging);
      }
      const { config, plan } = await run.setup('config', 'config', async () => {
        if (error) throw error;
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
// FORCE_COLOR wins over NO_COLOR (README, Progress and logs); with both set Node itself would warn
// on stderr, once per process, in the middle of the summary: NO_COLOR goes, for the children too.
if (process.env.FORCE_COLOR && process.env.NO_COLOR) delete process.env.NO_COLOR;
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
