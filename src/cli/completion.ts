/** bash and zsh completion scripts, both written from the command table: commands, each command's options, files for paths. */
import { COMMAND_SPECS, SHELLS, TOP_COMMANDS as TOP, type CommandKey, type CommandSpec } from './commands.js';
import type { OptionSpec } from './options.js';

/** A shell word in single quotes. */
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bashValueCase(spec: CommandSpec): string {
  const groups = new Map<string, string[]>();
  for (const [name, option] of spec.options.filter(([, o]) => o.arg)) {
    const complete = option.complete;
    const how = typeof complete === 'string' ? complete : complete ? `words ${quote(complete.join(' '))}` : 'none';
    groups.set(how, [...(groups.get(how) ?? []), `--${name}`]);
  }
  const arms = [...groups].map(([how, names]) => `        ${names.join('|')}) _xen_dom0_boot_reply ${how}; return ;;`);
  return arms.length ? `      case $prev in\n${arms.join('\n')}\n      esac\n` : '';
}

/** What a command's words after it complete to, before its options. */
function bashOperands(key: CommandKey): string {
  const words = (list: readonly string[]) => `_xen_dom0_boot_reply words ${quote(list.join(' '))}; return; }`;
  if (key === 'drift') return `      ((COMP_CWORD == 2)) && [[ $cur != -* ]] && { ${words(['merge'])}\n`;
  if (key === 'drift merge') return `      [[ $cur != -* ]] && { _xen_dom0_boot_reply dir; return; }\n`;
  if (key === 'completion') return `      ((COMP_CWORD == 2)) && [[ $cur != -* ]] && { ${words(SHELLS)}\n`;
  if (key === 'help')
    return `      ((COMP_CWORD == 2)) && [[ $cur != -* ]] && { ${words(TOP)}\n      ((COMP_CWORD == 3)) && [[ $prev == drift ]] && { ${words(['merge'])}\n`;
  return '';
}

function bashCommandArm(spec: CommandSpec): string {
  const options = [...spec.options.map(([name]) => `--${name}`), '--help'].join(' ');
  return `    ${quote(spec.key)})\n${bashValueCase(spec)}${bashOperands(spec.key)}      _xen_dom0_boot_reply words ${quote(options)}\n      ;;`;
}

/** The bash script: `source <(xen-dom0-boot completion bash)`. */
export function bashCompletion(): string {
  return `# bash completion for xen-dom0-boot, written by \`xen-dom0-boot completion bash\`.
# Load it with: source <(xen-dom0-boot completion bash)
# or save it as ~/.local/share/bash-completion/completions/xen-dom0-boot

# COMPREPLY: files, folders, the words in $2, or nothing ($1: file, dir, words, none) matching $cur.
_xen_dom0_boot_reply() {
  case $1 in
    file) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    dir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    words) mapfile -t COMPREPLY < <(compgen -W "$2" -- "$cur") ;;
    *) COMPREPLY=() ;;
  esac
}

_xen_dom0_boot() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd=\${COMP_WORDS[1]}
  # --out=DIR: bash splits it into --out, = and DIR.
  if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]]; then prev=\${COMP_WORDS[COMP_CWORD-2]}; fi
  if ((COMP_CWORD == 1)); then
    [[ $cur == -* ]] && _xen_dom0_boot_reply words '-V --version -h --help' || _xen_dom0_boot_reply words ${quote(TOP.join(' '))}
    return
  fi
  [[ $cmd == drift && \${COMP_WORDS[2]} == merge ]] && ((COMP_CWORD > 2)) && cmd='drift merge'
  case $cmd in
${COMMAND_SPECS.map(bashCommandArm).join('\n')}
    *) COMPREPLY=() ;;
  esac
}

complete -F _xen_dom0_boot xen-dom0-boot
`;
}

const ZSH_FILES = { file: '_files', dir: '_files -/' } as const;

/** A zsh description: no brackets, quoted for a single-quoted word. */
const zshText = (text: string) => text.replace(/[[\]]/g, '').replace(/:/g, '\\:');

function zshOption(name: string, option: OptionSpec): string {
  const about = `[${zshText(option.about)}]`;
  if (!option.arg) return quote(`--${name}${about}`);
  const complete = option.complete;
  const action = typeof complete === 'string' ? ZSH_FILES[complete] : complete ? `(${complete.join(' ')})` : ' ';
  return quote(`${option.repeat ? '*' : ''}--${name}=${about}:${option.arg}:${action}`);
}

/** What a command's words after it complete to (zsh _arguments specs). */
function zshOperands(key: CommandKey): string[] {
  if (key === 'drift') return ['1::subcommand:(merge)'];
  if (key === 'drift merge') return ['*:shard run folder:_files -/'];
  if (key === 'completion') return [`1:shell:(${SHELLS.join(' ')})`];
  if (key === 'help') return [`1:command:(${TOP.join(' ')})`, '2::subcommand:{[[ $words[2] == drift ]] && compadd merge}'];
  return [];
}

function zshCommandArm(spec: CommandSpec): string {
  const specs = [...spec.options.map(([name, option]) => zshOption(name, option)), quote('(- *)--help[print this help]')];
  specs.push(...zshOperands(spec.key).map(quote));
  return `    ${quote(spec.key)})\n      _arguments -S \\\n        ${specs.join(' \\\n        ')}\n      ;;`;
}

/** The zsh script: in $fpath as _xen-dom0-boot, or `source <(xen-dom0-boot completion zsh)` after compinit. */
export function zshCompletion(): string {
  const commands = COMMAND_SPECS.filter((spec) => TOP.includes(spec.key)).map((spec) => quote(`${spec.key}:${zshText(spec.summary)}`));
  return `#compdef xen-dom0-boot
# zsh completion for xen-dom0-boot, written by \`xen-dom0-boot completion zsh\`.
# Load it with: source <(xen-dom0-boot completion zsh)   (after compinit)
# or save it as _xen-dom0-boot in a folder of $fpath.

_xen-dom0-boot() {
  local -a commands
  commands=(
    ${commands.join('\n    ')}
  )
  if ((CURRENT == 2)); then
    if [[ $PREFIX == -* ]]; then
      _arguments '(- *)'{-V,--version}'[print the version]' '(- *)'{-h,--help}'[print this help]'
    else
      _describe -t commands 'xen-dom0-boot command' commands
    fi
    return
  fi
  local key=$words[2]
  if [[ $key == drift && $words[3] == merge ]] && ((CURRENT > 3)); then
    key='drift merge'
    shift 2 words
    ((CURRENT -= 2))
  else
    shift words
    ((CURRENT--))
  fi
  case $key in
${COMMAND_SPECS.map(zshCommandArm).join('\n')}
  esac
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _xen-dom0-boot "$@"
else
  compdef _xen-dom0-boot xen-dom0-boot
fi
`;
}

/** The script for `shell`, or null when it is not one the tool writes for. */
export function completionScript(shell: string): string | null {
  return shell === 'bash' ? bashCompletion() : shell === 'zsh' ? zshCompletion() : null;
}
