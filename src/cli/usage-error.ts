/** Where commander stopped on a mistake, as the tool's own one-line USAGE error: the command, the owner of the option, a suggestion. */
import { ToolError } from '../base/errors.js';
import { shown } from '../util/shown.js';
import { commandSpec, ownersOf, TOP_COMMANDS, type CommandKey } from './commands.js';
import { buildProgram, Stop } from './program.js';

const COMMAND_LIST = `expected ${listed(TOP_COMMANDS, 'or')}`;

/** `a`, `a and b`, `a, b and c` (or `or`). */
export function listed(words: readonly string[], and = 'and'): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${and} ${words.at(-1)}`;
}

/** commander's "(Did you mean X?)" as ": did you mean X?", or nothing. */
function suggestionIn(message: string): string {
  const match = /\(Did you mean (.+)\?\)/.exec(message);
  return match ? `: did you mean ${match[1]}?` : '';
}

/** commander's suggestion for `argv` (a mistyped command, or an option without its `=value`). */
export function suggestionFor(argv: string[]): string {
  try {
    buildProgram('').root.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof Stop) return suggestionIn(error.message);
  }
  return '';
}

/** A word of argv in a message: an option name as it is, anything else (newlines, length) quoted and cut. */
export const word = (text: string): string => (/^-{1,2}[\w.-]{1,60}$/.test(text) ? text : shown(text));

/** What commander quoted in its message ('...'), whatever quotes or lines it holds. */
const quotedIn = (message: string): string => message.slice(message.indexOf("'") + 1, message.lastIndexOf("'"));

const see = (key: CommandKey | null) => `(see xen-dom0-boot ${key ? `${key} ` : ''}--help)`;

function unknownOption(key: CommandKey | null, flag: string, message: string): string {
  const name = flag.split('=')[0]!;
  const bare = name.replace(/^--/, '');
  // commander suggests for the whole word: `--dom0mem=1G` is asked again as `--dom0mem`.
  const suggestion = () => suggestionIn(message) || (flag !== name ? suggestionFor([...(key?.split(' ') ?? []), name]) : '');
  if (key === null) {
    if (ownersOf(bare, null).length > 0)
      return `${name} comes before the command: write the command first (xen-dom0-boot <command> ${name} ...) ${see(null)}`;
    return `unknown option ${word(name)}${suggestion()} ${see(null)}`;
  }
  if (commandSpec(key).options.some(([option]) => option === bare)) return `${name} takes no value (got ${shown(flag)}) ${see(key)}`;
  const owners = ownersOf(bare, key);
  if (owners.length > 0) return `${name} applies to ${listed(owners)}, not ${key} ${see(key)}`;
  return `unknown option ${word(name)} for ${key}${suggestion()} ${see(key)}`;
}

/** The ToolError for commander's `stop` on a mistake (exit code not 0). */
export function usageError(stop: Stop): ToolError {
  const { key, command, error } = stop;
  const message = error.message.replace(/^error: /, '');
  const quoted = quotedIn(message);
  const usage = `xen-dom0-boot ${key ? `${key} ` : ''}${command.usage()}`;
  let text: string;
  switch (error.code) {
    case 'commander.unknownOption':
      text = unknownOption(key, quoted, message);
      break;
    case 'commander.unknownCommand': {
      const suggestion = suggestionIn(message);
      text = `unknown command ${shown(quoted)}${suggestion || `: ${COMMAND_LIST}`} ${see(null)}`;
      break;
    }
    case 'commander.help': // commands and no command given
      text = `no command given: ${COMMAND_LIST} ${see(null)}`;
      break;
    case 'commander.optionMissingArgument':
      text = `${quoted.split(' ')[0]} needs a value: ${quoted} ${see(key)}`;
      break;
    case 'commander.missingArgument':
      text = `missing <${quoted}>: ${usage} ${see(key)}`;
      break;
    case 'commander.excessArguments': {
      const extra = command.args[command.registeredArguments.length] ?? '';
      const sub = command.commands.map((c) => c.name());
      text = `unexpected argument ${shown(extra)} for ${key}${sub.length ? ` (its subcommand: ${listed(sub)})` : ''} ${see(key)}`;
      break;
    }
    default:
      text = `${message.replace(/\s*\n\s*/g, ' ')} ${see(key)}`;
  }
  return new ToolError('USAGE', 'config', text);
}
