/**
 * Dom0's success and failure patterns, matched on each serial line by RE2 (re2js), a linear-time
 * engine: no pattern, however written, can hold the event loop (and with it the deadlines and
 * Ctrl-C) while QEMU runs. Patterns are written in JavaScript regex syntax; what RE2 cannot run
 * in linear time (backreferences, lookaround) or would read differently is refused up front.
 */
import { RE2JS } from 're2js';
import { shown } from '../util/shown.js';
import { ToolError } from '../base/errors.js';

/** The longest pattern accepted: keeps a pattern's compile time and its per-line cost small. */
export const MAX_PATTERN_LENGTH = 1024;

/** A compiled pattern: what Dom0Watch needs of it (RegExp's `source` and `test`). */
export interface LinePattern {
  readonly source: string;
  test(line: string): boolean;
}

/** Escapes that JavaScript reads as the plain letter but RE2 as something else (\A, \z, \Q...\E, \a, \p{..}). */
const RE2_ONLY_ESCAPES = new Set(['A', 'z', 'Q', 'E', 'a', 'p', 'P']);

const ENGINE = 'patterns run on RE2, a linear-time engine';

/** The first construct in `source` that RE2 cannot run or would read unlike JavaScript; null when none. */
function unsupportedConstruct(source: string): string | null {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return `backreference \\${next} is not supported (${ENGINE})`;
      if (next === 'k' && source[i + 2] === '<') return `backreference \\k<...> is not supported (${ENGINE})`;
      if (RE2_ONLY_ESCAPES.has(next)) return `\\${next} is not a JavaScript regex escape (RE2 would read it differently)`;
      if (next === 'u' && source[i + 2] === '{') return '\\u{...} needs the u flag in JavaScript; write \\uXXXX';
      i += 1;
    } else if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[' && /^\[:[a-z]+:\]/.test(source.slice(i, i + 12)))
        return 'POSIX classes like [[:alpha:]] are not JavaScript regex syntax';
    } else if (c === '[') {
      // In JavaScript `[]` and `[^]` are whole classes (nothing, anything): a `]` right after them closes.
      const empty = source.startsWith(']', i + 1) ? 1 : source.startsWith('^]', i + 1) ? 2 : 0;
      inClass = empty === 0;
      i += empty;
    } else if (c === '(' && source[i + 1] === '?') {
      const head = source.slice(i, i + 4);
      if (head.startsWith('(?=') || head.startsWith('(?!') || head.startsWith('(?<=') || head.startsWith('(?<!')) {
        return `lookaround ${head.startsWith('(?<') ? head : head.slice(0, 3)}...) is not supported (${ENGINE})`;
      }
    }
  }
  return null;
}

const compiled = new Map<string, RE2JS>();

/** RE2 for a JavaScript pattern, or why it is refused. */
function compileOrWhy(source: string): RE2JS | string {
  const cached = compiled.get(source);
  if (cached) return cached;
  if (source.length === 0) return 'expected a non-empty pattern (an empty one matches every line)';
  if (source.length > MAX_PATTERN_LENGTH) return `expected a pattern of at most ${MAX_PATTERN_LENGTH} characters (got ${source.length})`;
  try {
    new RegExp(source); // syntax only: never run
  } catch (error) {
    return `expected a valid regular expression (${(error as Error).message})`;
  }
  const construct = unsupportedConstruct(source);
  if (construct) return construct;
  try {
    const re = RE2JS.compile(RE2JS.translateRegExp(source));
    // Like the empty pattern: one that matches an empty line and any other (^, $, x|, a*) proves nothing.
    if (re.test('') && re.test('\u0001')) return 'expected a pattern that some line can fail to match (this one matches every line)';
    compiled.set(source, re);
    return re;
  } catch (error) {
    return `RE2 (the linear-time engine patterns run on) refuses it: ${(error as Error).message.replace(/^error parsing regexp: /, '')}`;
  }
}

/** Why `source` cannot be a line pattern, naming the pattern; null when it can. */
export function patternProblem(source: string): string | null {
  const result = compileOrWhy(source);
  return typeof result === 'string' ? `pattern ${shown(source)}: ${result}` : null;
}

/** Compiles a pattern for per-line matching; a refused one is CONFIG_INVALID naming `where` (the option or field) and the pattern. */
export function compileLinePattern(source: string, where: string): LinePattern {
  const result = compileOrWhy(source);
  if (typeof result === 'string') throw new ToolError('CONFIG_INVALID', 'config', `${where}: pattern ${shown(source)}: ${result}`);
  return { source, test: (line) => result.test(line) };
}
