/** The command table: each command's words, what it does and the options it takes; parser, help and completion read it. */
import type { CommandName } from '../report/report.js';
import { OPTIONS, SETUP_OPTIONS, type OptionName, type OptionSpec } from './options.js';

/** A command by its words: the four runs, `drift merge`, and the commands that are no run. */
export type CommandKey = CommandName | 'drift merge' | 'setup' | 'completion' | 'help';

/** One row of the table: what the parser declares, help prints and completion offers for a command. */
export interface CommandSpec {
  key: CommandKey;
  /** Its operands as help writes them (`<shard-folders...>`). */
  operands?: string;
  /** One line in the global help. */
  summary: string;
  /** The paragraph of its own help. */
  about: string;
  /** Its options, in help's order. */
  options: ReadonlyArray<readonly [string, OptionSpec]>;
}

/** The commands that are runs (a run folder, report.json, JUnit). */
export const COMMANDS: readonly CommandName[] = ['learn', 'boot', 'check', 'drift'];

/** The shells `completion` writes a script for. */
export const SHELLS = ['bash', 'zsh'] as const;

const MACHINE = [
  'xen',
  'qemu',
  'dtb',
  'memory',
  'dom0-mem',
  'xen-args',
  'dom0-args',
  'load-addr',
  'profile',
  'timeout',
  'xen-timeout',
] as const;
const BUILD = ['builder', 'app', 'board', 'toolchain', 'build-dir', 'overlay', 'max-passes', 'dom0-timeout', 'build-timeout'] as const;
const DOM0 = ['success', 'failure', 'pristine', 'observe-dom0', 'start-layout'] as const;
const OUTPUT = ['out', 'log-level', 'verbose', 'json', 'junit', 'bundle'] as const;
const DRIFT_LISTS = ['xen', 'memory', 'dom0-mem', 'xen-args'] as const;

/** The specs of `names`, drift's wording where the option is a list of values there. */
function pick(names: readonly OptionName[], drift = false): Array<readonly [string, OptionSpec]> {
  return names.map((name) => {
    const spec: OptionSpec = OPTIONS[name];
    return [name, drift && spec.aboutDrift ? { ...spec, about: spec.aboutDrift } : spec] as const;
  });
}

const others = (names: readonly OptionName[], minus: readonly OptionName[]) => names.filter((name) => !minus.includes(name));

/** Every command, in the global help's order. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  {
    key: 'learn',
    summary: "boot an image once and report Dom0's layout",
    about:
      "Boot a given Dom0 image once under Xen and QEMU and report the layout Xen picked for Dom0 (report.json and a summary). Options given here win over the --config file's fields.",
    options: pick(['config', 'image', ...MACHINE, 'print-qemu-cmd', ...OUTPUT]),
  },
  {
    key: 'boot',
    summary: 'build Dom0, boot, learn the layout, rebuild until up',
    about:
      'Build Dom0, boot Xen, learn the layout Xen picks for Dom0, regenerate the devicetree overlay and its lock, rebuild and boot again until Dom0 comes up with the addresses it was built with.',
    options: pick(['config', ...BUILD, ...DOM0, ...MACHINE, ...OUTPUT]),
  },
  {
    key: 'check',
    summary: 'nightly: build with the lock, boot once, confirm',
    about:
      "Build with the committed overlay, boot once and confirm Dom0 comes up with Xen's layout equal to the lock file; exit 16 (DRIFT) with a table when it moved. --fix then runs boot's loop and rewrites the overlay and lock.",
    options: pick(['fix', 'config', ...BUILD, ...DOM0, ...MACHINE, ...OUTPUT]),
  },
  {
    key: 'drift',
    summary: 'one boot per combination of Xen, memory and args',
    about:
      'Boot one image once per combination of --xen, --memory, --dom0-mem (comma-separated) and --xen-args (repeatable), --jobs at a time, and tabulate the layouts (drift.json, drift.html). `drift merge` joins the run folders of drift --shard runs.',
    options: pick(
      ['config', ...DRIFT_LISTS, 'jobs', 'shard', 'fail-on', 'baseline', 'image', ...others(MACHINE, DRIFT_LISTS), ...OUTPUT],
      true,
    ),
  },
  {
    key: 'drift merge',
    operands: '<folders...>',
    summary: 'join drift --shard run folders into one',
    about:
      'Join the run folders of drift --shard runs into one run folder: one drift.json, table, drift.html, JUnit file and exit code. Refuses shards that do not make one matrix (SHARDS_MISMATCH).',
    options: pick(['fail-on', 'baseline', ...OUTPUT], true),
  },
  {
    key: 'setup',
    summary: 'install what the tool needs (npm run setup)',
    about:
      "Install what the tool needs and is missing: Debian's QEMU, dtc and aarch64 binutils and gcc, QEMU 10 and Xen 4.17 into the cache, and the test image (scripts/setup.sh, as npm run setup).",
    options: Object.entries(SETUP_OPTIONS),
  },
  {
    key: 'completion',
    operands: '<shell>',
    summary: 'print a bash or zsh completion script',
    about: 'Print a completion script for bash or zsh: commands, their options and the files or values they take.',
    options: [],
  },
  {
    key: 'help',
    operands: '[command...]',
    summary: "print a command's help, or this page",
    about: 'Print the help of a command (help drift merge), or the list of commands and exit codes.',
    options: [],
  },
];

/** The spec of `key`. */
export function commandSpec(key: CommandKey): CommandSpec {
  return COMMAND_SPECS.find((spec) => spec.key === key)!;
}

/** The commands that come first on a command line (not `drift merge`). */
export const TOP_COMMANDS: readonly CommandKey[] = COMMAND_SPECS.filter((spec) => !spec.key.includes(' ')).map((spec) => spec.key);

/** The commands other than `key` that take option `name`, in the table's order; setup's only when no run command takes it. */
export function ownersOf(name: string, key: CommandKey | null): CommandKey[] {
  const owners = COMMAND_SPECS.filter((spec) => spec.key !== key && spec.options.some(([option]) => option === name)).map(
    (spec) => spec.key,
  );
  const runs = owners.filter((owner) => owner !== 'setup');
  return runs.length > 0 ? runs : owners;
}

/** Every option name that takes a value, in any command (each name is a flag everywhere or takes a value everywhere). */
export const VALUE_OPTIONS: ReadonlySet<string> = new Set(
  COMMAND_SPECS.flatMap((spec) => spec.options.filter(([, option]) => option.arg).map(([name]) => name)),
);
