/** The command table as a commander program that never prints or exits: help, version and mistakes end its parse as a Stop. */
import { Command, CommanderError, Option } from 'commander';
import { COMMAND_SPECS, type CommandKey, type CommandSpec } from './commands.js';
import type { OptionSpec } from './options.js';

/** Where commander stopped instead of returning: help or the version asked for (exit code 0), or a mistake. */
export class Stop extends Error {
  constructor(
    /** The command it stopped in; null: before any (the program itself). */
    readonly key: CommandKey | null,
    readonly command: Command,
    readonly error: CommanderError,
  ) {
    super(error.message);
  }
}

/** A program built for one parse, and the command it chose. */
export interface Program {
  root: Command;
  /** The command whose action ran: set once parse() returned. */
  chosen: { key: CommandKey; command: Command } | null;
}

/** Help goes through the CLI's own stdout, errors become ToolErrors: commander writes nothing. */
const SILENT = {
  writeOut: () => undefined,
  writeErr: () => undefined,
  outputError: () => undefined,
  getOutHasColors: () => false,
  getErrHasColors: () => false,
};

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function toOption(name: string, spec: OptionSpec): Option {
  const option = new Option(spec.arg ? `--${name} <${spec.arg}>` : `--${name}`, spec.about);
  return spec.repeat ? option.argParser(collect) : option;
}

/** The settings every command of the program shares; options stop at a subcommand (`drift merge ... --out`). */
function configure(command: Command, key: CommandKey | null): Command {
  return command
    .exitOverride((error) => {
      throw new Stop(key, command, error);
    })
    .configureOutput(SILENT)
    .configureHelp({ helpWidth: 80, subcommandTerm: (sub) => sub.name() })
    .enablePositionalOptions()
    .helpCommand(false)
    .helpOption('-h, --help', 'print this help');
}

/** Each command's options, added when the parse reaches it (or its help is asked): a run builds one command's, not all. */
const pending = new WeakMap<Command, () => void>();

function withOptions(command: Command): Command {
  pending.get(command)?.();
  pending.delete(command);
  return command;
}

function addCommand(program: Program, parent: Command, spec: CommandSpec, version: string): Command {
  const command = configure(new Command(spec.key.split(' ').at(-1)), spec.key);
  command.description(spec.about).summary(spec.summary);
  if (spec.operands) command.argument(spec.operands);
  command.hook('preSubcommand', (_parent, sub) => void withOptions(sub));
  pending.set(command, () => {
    for (const [name, option] of spec.options) command.addOption(toOption(name, option));
    // -V after a command answers too (`learn --version`), without a line in each command's help.
    command.addOption(new Option('-V, --version').hideHelp());
    command.on('option:version', () => {
      throw new Stop(spec.key, command, new CommanderError(0, 'commander.version', version));
    });
  });
  command.action(() => {
    program.chosen = { key: spec.key, command };
  });
  parent.addCommand(command);
  return command;
}

/** A fresh program (commander keeps parse state in its commands): `version` is what -V prints. */
export function buildProgram(version: string): Program {
  const root = configure(new Command('xen-dom0-boot'), null)
    .usage('<command> [options]')
    .version(version, '-V, --version', 'print the version');
  root.hook('preSubcommand', (_root, sub) => void withOptions(sub));
  const program: Program = { root, chosen: null };
  const made = new Map<string, Command>();
  for (const spec of COMMAND_SPECS) {
    const words = spec.key.split(' ');
    made.set(spec.key, addCommand(program, words.length > 1 ? made.get(words[0]!)! : root, spec, version));
  }
  return program;
}

/** The command `key` names in `program`, with its options. */
export function commandOf(program: Program, key: CommandKey): Command {
  let command = program.root;
  for (const word of key.split(' ')) command = withOptions(command.commands.find((sub) => sub.name() === word)!);
  return command;
}

/** The values of `spec`'s options as given, by option name (not commander's camelCase); none given: absent. */
export function valuesOf(command: Command, spec: CommandSpec): Record<string, string | string[] | boolean> {
  const values: Record<string, string | string[] | boolean> = {};
  for (const [name] of spec.options) {
    const option = command.options.find((o) => o.long === `--${name}`)!;
    const value = command.getOptionValue(option.attributeName()) as string | string[] | boolean | undefined;
    if (value !== undefined) values[name] = value;
  }
  return values;
}
