/** The options as a config (the --config file's, overridden by the options), a drift plan, or merge's judging; each command's parser took only its own options. */
import { ToolError } from '../base/errors.js';
import type { Config } from '../config/load.js';
import type { DriftPlan, Judging } from '../config/drift-plan.js';
import type { PartialConfig } from '../config/schema.js';
import type { CommandName } from '../report/report.js';
import type { Values } from './options.js';

/** What these need of the run's modules, loaded after --help and --version answer (cli/runtime.ts). */
type Runtime = typeof import('./runtime.js');

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

/** The config: the --config file's, overridden by the options (argv.ts let through only those `command` takes). */
export async function configFrom(cmd: Runtime, values: Values, command: CommandName): Promise<Config> {
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
    startLayout: values['start-layout'] as PartialConfig['startLayout'],
  });
  const config = cmd.mergeConfig(fromFile, fromCli);
  // --xen 4.17/4.20 (or a path), from the command line or the config file: resolved here, errors naming where it came from.
  if (config.xen === undefined || drift) return config;
  const source = values.xen !== undefined ? '--xen' : `config file ${values.config}: field "xen"`;
  return { ...config, xen: cmd.resolveXenChoice(config.xen, source) };
}

/** drift's matrix, shard and judging from the options (and the config's drift section). */
export function driftPlanFrom(cmd: Runtime, values: Values, config: Config): DriftPlan {
  return cmd.driftPlan(
    {
      xen: values.xen,
      memory: values.memory,
      dom0Mem: values['dom0-mem'],
      xenArgs: values['xen-args'],
      jobs: values.jobs,
      shard: values.shard,
      failOn: values['fail-on'],
      baseline: values.baseline,
    },
    config,
    process.env,
    values.config,
  );
}

/** How `drift merge` judges its rows (its parser took only its own options: commands.ts). */
export function mergeOptions(cmd: Runtime, values: Values): Judging {
  return cmd.parseJudging({ failOn: values['fail-on'], baseline: values.baseline });
}
