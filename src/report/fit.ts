/** Pure: the human summaries' lines made to fit 80 columns (--json output is never touched). */

/** The width every line the tool prints at the end of a run fits in. */
export const SUMMARY_WIDTH = 80;

/** A word that stays whole even when longer than a line: a path (to copy) or anything with a slash. */
const keepWhole = (word: string): boolean => word.includes('/');

/**
 * `line` as lines of at most `width` columns, broken between words; the continuation lines start
 * with `hang` (default: the line's own indent and two spaces). A word longer than the room is cut,
 * except a path, which stands whole on a line of its own (it may then be longer than `width`).
 */
export function fitLine(line: string, width = SUMMARY_WIDTH, hang?: string): string[] {
  if (line.length <= width) return [line];
  const indent = /^ */.exec(line)![0];
  const cont = hang ?? `${indent}  `;
  const next = cont.length < width / 2 ? cont : '  ';
  const out: string[] = [];
  let current = indent;
  let empty = true;
  // Each word with the spaces before it, kept between words on one line (aligned columns stay aligned);
  // a lone "*" (a moved cell's mark) stays with the word before it.
  const tokens = (line.slice(indent.length).match(/ *\S+/g) ?? []).reduce<string[]>(
    (all, token) => (token.trim() === '*' && all.length > 0 ? [...all.slice(0, -1), `${all.at(-1)}${token}`] : [...all, token]),
    [],
  );
  for (const token of tokens) {
    let word = token.trimStart();
    const cut = !keepWhole(word) && word.length > width - next.length;
    if (!empty && current.length + token.length > width) {
      if (cut && current.length + token.length - word.length < width) {
        // Cut anyway: its first piece fills this line.
        current += token.slice(0, token.length - word.length);
      } else {
        out.push(current);
        current = next;
      }
    } else if (!empty) {
      current += token;
      continue;
    }
    while (word.length > width - current.length && !keepWhole(word)) {
      const room = Math.max(1, width - current.length);
      out.push(current + word.slice(0, room));
      word = word.slice(room);
      current = next;
    }
    current += word;
    empty = false;
  }
  out.push(current);
  return out;
}

/** Every line of `text` fitted (a trailing newline kept). */
export function fitText(text: string, width = SUMMARY_WIDTH): string {
  const ends = text.endsWith('\n');
  const lines = (ends ? text.slice(0, -1) : text).split('\n').flatMap((line) => fitLine(line, width));
  return `${lines.join('\n')}${ends ? '\n' : ''}`;
}
