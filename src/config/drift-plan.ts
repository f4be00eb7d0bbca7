/** `drift`'s matrix and parallelism: the options' lists, else the config's drift section, else the single values. */
import { ToolError } from '../base/errors.js';
import { shown } from '../util/shown.js';
import type { Config } from './load.js';
import { validateOverrides } from './load.js';

export interface DriftOptions {
  /** "K/N", or "auto" for CI_NODE_INDEX/CI_NODE_TOTAL (GitLab's parallel:, a GitHub matrix that sets them). */
  shard?: string;
  failOn?: string;
  baseline?: string;
  xen?: string;
  memory?: string;
  dom0Mem?: string;
  xenArgs?: string[];
  jobs?: string;
}

export interface DriftPlan {
  matrix: { xen: string[]; memory: string[]; dom0Mem: string[]; xenArgs: string[] };
  jobs: number | undefined;
  /** This runner's slice of the matrix; null: all of it. */
  shard: { index: number; total: number } | null;
  judging: Judging;
  /** Where the matrix's Xen list came from, as errors name it. */
  xenFrom: string;
}

/** --fail-on: what makes a drift run (or a merge) fail: failed combinations (default), also drift, or nothing. */
export type FailOn = 'failure' | 'drift' | 'never';

/** How a drift run or a merge turns its rows into an exit code. */
export interface Judging {
  failOn: FailOn;
  /** A committed drift.json to compare each combination with, instead of the first row. */
  baseline: string | null;
}

/** --fail-on and --baseline, checked. */
export function parseJudging(options: { failOn?: string; baseline?: string }): Judging {
  const failOn = options.failOn ?? 'failure';
  if (failOn !== 'failure' && failOn !== 'drift' && failOn !== 'never') {
    throw new ToolError('USAGE', 'config', `--fail-on: expected failure, drift or never (got ${shown(failOn)})`);
  }
  return { failOn, baseline: options.baseline ?? null };
}

/** --shard K/N (1 <= K <= N <= 1000), or auto: the same from CI_NODE_INDEX and CI_NODE_TOTAL. */
export function parseShard(value: string | undefined, env: NodeJS.ProcessEnv): DriftPlan['shard'] {
  if (value === undefined) return null;
  const auto = value === 'auto';
  if (auto && (env.CI_NODE_INDEX === undefined || env.CI_NODE_TOTAL === undefined)) {
    throw new ToolError(
      'USAGE',
      'config',
      '--shard auto: CI_NODE_INDEX and CI_NODE_TOTAL are not set (GitLab sets them with parallel:; in a GitHub matrix, set them from the matrix), or give --shard K/N',
    );
  }
  const text = auto ? `${env.CI_NODE_INDEX}/${env.CI_NODE_TOTAL}` : value;
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const [index, total] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || index < 1 || total > 1000 || index > total) {
    const source = auto ? `CI_NODE_INDEX/CI_NODE_TOTAL ${shown(text)}` : `--shard ${shown(value)}`;
    throw new ToolError('USAGE', 'config', `${source}: expected K/N with 1 <= K <= N <= 1000 (shard K of N), or --shard auto`);
  }
  return { index, total };
}

const FIELD = { xen: 'xen', memory: 'memory', dom0Mem: 'dom0Mem' } as const;
const OPTION = { xen: '--xen', memory: '--memory', dom0Mem: '--dom0-mem' } as const;

/** A comma-separated option as a list, each item validated as that option alone. */
function list(raw: string | undefined, field: keyof typeof FIELD): string[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) {
    throw new ToolError('USAGE', 'config', `${OPTION[field]}: expected a comma-separated list with no empty items (got ${shown(raw)})`);
  }
  for (const item of items) validateOverrides({ [FIELD[field]]: item });
  return items;
}

export function driftPlan(options: DriftOptions, config: Config, env: NodeJS.ProcessEnv = process.env, configFile?: string): DriftPlan {
  const xenFrom =
    options.xen !== undefined
      ? '--xen'
      : config.drift?.xen
        ? `config file ${configFile}: field "drift.xen"`
        : config.xen
          ? `config file ${configFile}: field "xen"`
          : 'the default Xen';
  const shard = parseShard(options.shard, env);
  const judging = parseJudging(options);
  const section = config.drift ?? {};
  const matrix = {
    xen: list(options.xen, 'xen') ?? section.xen ?? [config.xen ?? '4.17'],
    memory: list(options.memory, 'memory') ?? section.memory ?? [config.memory ?? '6G'],
    dom0Mem: list(options.dom0Mem, 'dom0Mem') ?? section.dom0Mem ?? [config.dom0Mem],
    xenArgs: options.xenArgs ?? section.xenArgs ?? [''],
  };
  // Each repeated --xen-args is one combination's Xen arguments: checked like learn's --xen-args.
  for (const xenArgs of options.xenArgs ?? []) validateOverrides({ xenArgs });
  if (options.jobs === undefined) return { matrix, jobs: section.jobs, shard, judging, xenFrom };
  const jobs = /^\d+$/.test(options.jobs) ? Number(options.jobs) : NaN;
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
    throw new ToolError('USAGE', 'config', `--jobs: expected a whole number of boots at once, 1 to 64 (got ${shown(options.jobs)})`);
  }
  return { matrix, jobs, shard, judging, xenFrom };
}
