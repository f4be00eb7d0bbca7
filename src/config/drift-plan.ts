/** `drift`'s matrix and parallelism: the options' lists, else the config's drift section, else the single values. */
import { ToolError } from '../base/errors.js';
import { shown } from '../util/shown.js';
import type { Config } from './load.js';
import { validateOverrides } from './load.js';

export interface DriftOptions {
  xen?: string;
  memory?: string;
  dom0Mem?: string;
  xenArgs?: string[];
  jobs?: string;
}

export interface DriftPlan {
  matrix: { xen: string[]; memory: string[]; dom0Mem: string[]; xenArgs: string[] };
  jobs: number | undefined;
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

export function driftPlan(options: DriftOptions, config: Config): DriftPlan {
  const section = config.drift ?? {};
  const matrix = {
    xen: list(options.xen, 'xen') ?? section.xen ?? [config.xen ?? '4.17'],
    memory: list(options.memory, 'memory') ?? section.memory ?? [config.memory ?? '6G'],
    dom0Mem: list(options.dom0Mem, 'dom0Mem') ?? section.dom0Mem ?? [config.dom0Mem],
    xenArgs: options.xenArgs ?? section.xenArgs ?? [''],
  };
  // Each repeated --xen-args is one combination's Xen arguments: checked like learn's --xen-args.
  for (const xenArgs of options.xenArgs ?? []) validateOverrides({ xenArgs });
  if (options.jobs === undefined) return { matrix, jobs: section.jobs };
  const jobs = /^\d+$/.test(options.jobs) ? Number(options.jobs) : NaN;
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
    throw new ToolError('USAGE', 'config', `--jobs: expected a whole number of boots at once, 1 to 64 (got ${shown(options.jobs)})`);
  }
  return { matrix, jobs };
}
