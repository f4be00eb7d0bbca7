/** A lenient read of argv that never fails: the command words, where the run writes, and option values that look like options. */
import { VALUE_OPTIONS } from './commands.js';
import type { Values } from './options.js';

/** What the lenient read found. */
export interface Scan {
  /** The words that are neither options nor their values: the command, `merge`, operands. */
  words: string[];
  /** What a run that failed on its argv still needs: where it writes, and how it prints. */
  values: Pick<Values, 'out' | 'junit' | 'bundle' | 'json' | 'verbose'>;
  /** The first `--option value` whose value starts with "-": a forgotten value (`--out --junit x`), never taken as one. */
  dashValue: { option: string; value: string } | null;
}

const KEPT = new Set(['out', 'junit', 'bundle']);
const FLAGS = new Set(['json', 'verbose']);

/** Reads `argv` as the parser would where it can, and past the point where it would stop. */
export function scanArgv(argv: readonly string[]): Scan {
  const scan: Scan = { words: [], values: {}, dashValue: null };
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i]!;
    if (token === '--') {
      scan.words.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('--')) {
      if (!(token.startsWith('-') && token.length > 1)) scan.words.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    let value: string | undefined = eq === -1 ? undefined : token.slice(eq + 1);
    if (eq === -1 && VALUE_OPTIONS.has(name) && i + 1 < argv.length) {
      const next = argv[i + 1]!;
      if (next.startsWith('-') && next.length > 1) scan.dashValue ??= { option: name, value: next };
      else value = argv[(i += 1)];
    }
    if (KEPT.has(name) && value !== undefined) scan.values[name as 'out'] = value;
    if (FLAGS.has(name) && eq === -1) scan.values[name as 'json'] = true;
  }
  return scan;
}
