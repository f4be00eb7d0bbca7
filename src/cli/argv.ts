/** argv to what the CLI does: print a text, run setup, or run a command with its options (commander 14, cli/program.ts). */
import { ToolError } from '../base/errors.js';
import { TOOL } from '../base/version.js';
import type { CommandName } from '../report/report.js';
import { COMMAND_SPECS, COMMANDS, commandSpec, ownersOf, SHELLS, type CommandKey } from './commands.js';
import { completionScript } from './completion.js';
import { commandHelp, globalHelp } from './help.js';
import type { Values } from './options.js';
import { buildProgram, commandOf, Stop, valuesOf, type Program } from './program.js';
import { scanArgv, type Scan } from './scan.js';
import { listed, suggestionFor, usageError, word } from './usage-error.js';
import { shown } from '../util/shown.js';

/** The options a run was given (cli/options.ts), for config-from-argv.ts and the tests. */
export type { Values } from './options.js';

/** A run: its command, `drift merge`'s folders, its options; a mistake in argv is `error`, with what a lenient read found. */
export interface RunArgs {
  kind: 'run';
  command: CommandName;
  merge: boolean;
  folders: string[];
  values: Values;
  error: ToolError | null;
}

/** What the CLI does for an argv: print (help, version, completion), run setup, fail, or run a command. */
export type Parsed = { kind: 'print'; text: string } | { kind: 'setup'; args: string[] } | { kind: 'fail'; error: ToolError } | RunArgs;

const usage = (message: string) => new ToolError('USAGE', 'config', message);

/** `--out --junit x`: commander takes "--junit" as the folder; named here as the mistake it most likely is. */
function dashError({ dashValue }: Scan): ToolError | null {
  if (!dashValue) return null;
  const { option, value } = dashValue;
  const given = word(value);
  const example = given === value ? `--${option}=${value}` : `--${option}=VALUE`;
  return usage(`--${option} ${given}: a value starting with "-" reads as an option; write ${example} if you mean it`);
}

/** A mistake: a run still reports it in the run folder a lenient read finds (`--out`, `--junit`, `--bundle`). */
function failed(scan: Scan, error: ToolError): Parsed {
  const [command, sub] = scan.words;
  if (!COMMANDS.includes(command as CommandName)) return { kind: 'fail', error };
  const merge = command === 'drift' && sub === 'merge';
  return { kind: 'run', command: command as CommandName, merge, folders: [], values: scan.values, error };
}

/** `help [command...]`: the global page, or that command's. */
function help(program: Program, words: string[]): Parsed {
  if (words.length === 0) return { kind: 'print', text: globalHelp() };
  const key = words.join(' ');
  if (COMMAND_SPECS.some((spec) => spec.key === key)) {
    return { kind: 'print', text: commandHelp(program, key as CommandKey) };
  }
  const suggestion = words.length === 1 ? suggestionFor([words[0]!]) : '';
  return { kind: 'fail', error: usage(`help: unknown command ${shown(key)}${suggestion} (see xen-dom0-boot --help)`) };
}

/** What the options given before `merge` (drift's) would silently change: refused. */
function mergeParentError(program: Program): ToolError | null {
  const drift = commandOf(program, 'drift');
  const given = Object.keys(valuesOf(drift, commandSpec('drift')))[0];
  if (given === undefined) return null;
  if (commandSpec('drift merge').options.some(([name]) => name === given)) {
    return usage(`--${given} goes after "drift merge" (xen-dom0-boot drift merge <folders...> --${given} ...)`);
  }
  return usage(`--${given} applies to ${listed(ownersOf(given, 'drift merge'))}, not drift merge (see xen-dom0-boot drift merge --help)`);
}

/** What `argv` asks for; a mistake is a USAGE error naming the option or word, never commander's own text or exit. */
export function parse(argv: readonly string[]): Parsed {
  const scan = scanArgv(argv);
  const program = buildProgram(`${TOOL.name} ${TOOL.version}`);
  try {
    program.root.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    if (error.error.code === 'commander.version') return { kind: 'print', text: `${error.error.message}\n` };
    if (error.error.exitCode === 0) return { kind: 'print', text: error.key ? commandHelp(program, error.key) : globalHelp() };
    return failed(scan, dashError(scan) ?? usageError(error));
  }
  const { key, command } = program.chosen!;
  if (key === 'help') return help(program, command.args);
  if (key === 'completion') {
    const text = completionScript(command.args[0]!);
    return text
      ? { kind: 'print', text }
      : { kind: 'fail', error: usage(`completion: no script for ${shown(command.args[0])} (expected ${listed(SHELLS, 'or')})`) };
  }
  const dash = dashError(scan);
  if (key === 'setup') {
    if (dash) return { kind: 'fail', error: dash };
    const values = valuesOf(command, commandSpec('setup')) as { xen?: string[]; 'zephyr-deps'?: boolean };
    return {
      kind: 'setup',
      args: [...(values.xen ?? []).flatMap((xen) => ['--xen', xen]), ...(values['zephyr-deps'] ? ['--zephyr-deps'] : [])],
    };
  }
  const values = valuesOf(command, commandSpec(key)) as Values;
  const merge = key === 'drift merge';
  let error = dash ?? (merge ? mergeParentError(program) : null);
  if (values.json && values['print-qemu-cmd']) error ??= usage('--json and --print-qemu-cmd: choose one (the command is printed as text)');
  return { kind: 'run', command: merge ? 'drift' : (key as CommandName), merge, folders: merge ? [...command.args] : [], values, error };
}
