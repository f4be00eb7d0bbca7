/** The help texts: the global page (commands and exit codes) and each command's own, within 80 columns. */
import { codeRows } from '../base/errors.js';
import { COMMAND_SPECS, type CommandKey } from './commands.js';
import { commandOf, type Program } from './program.js';

/** The widest line of any help text. */
export const HELP_WIDTH = 80;

/** `text` in lines of at most `width` characters, broken between words, the later ones indented by `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

/** One row per code, from the one table in base/errors.ts (as README's exit-code table is). */
function exitTable(): string {
  const indent = ' '.repeat(28);
  return codeRows()
    .sort((a, b) => a.exit - b.exit)
    .map((row) => `  ${String(row.exit).padStart(3)}  ${row.code.padEnd(20)} ${wrap(row.meaning, HELP_WIDTH - indent.length, indent)}`)
    .join('\n');
}

/** The global page (--help, -h, `help`): the commands, how to get a command's help, the exit codes. */
export function globalHelp(): string {
  const rows = COMMAND_SPECS.map((spec) => [spec.operands ? `${spec.key} ${spec.operands}` : spec.key, spec.summary] as const);
  const width = Math.max(...rows.map(([term]) => term.length)) + 2;
  const commands = rows.map(([term, summary]) => `  ${term.padEnd(width)}${wrap(summary, HELP_WIDTH - width - 2, ' '.repeat(width + 2))}`);
  return `xen-dom0-boot: boot Xen under QEMU and learn the addresses it picks for Dom0.

Usage: xen-dom0-boot <command> [options]

Commands:
${commands.join('\n')}

Options:
  -V, --version  print the version
  -h, --help     print this help

Each command takes its own options: xen-dom0-boot help <command>, or
xen-dom0-boot <command> --help. Shell completion: xen-dom0-boot completion bash.

Exit codes:
${exitTable()}
`;
}

/** A command's own help: usage, what it does, its options (commander lays them out). */
export function commandHelp(program: Program, key: CommandKey): string {
  return commandOf(program, key).helpInformation();
}
