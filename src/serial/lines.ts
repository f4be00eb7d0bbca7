/** Turns a serial byte stream into clean text lines with bounded memory. */
import stripAnsi from 'strip-ansi';

export interface LineSplitterOptions {
  /** Longest line kept whole; longer runs are emitted in pieces of this size. */
  maxLineLength?: number;
}

// C0 controls other than tab and newline, plus DEL: noise on a serial line (NUL, bells, ...).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/;

/** Cleans one line: ANSI escapes stripped, CR and other control bytes dropped. */
export function cleanLine(raw: string): string {
  // QEMU's serial lines end in CR; most carry no other escape or control character: skip both passes.
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (!NEEDS_CLEANING.test(line)) return line;
  return stripAnsi(line).replace(CONTROL, '');
}

/** Splits chunks into lines: tolerant of invalid or split UTF-8, CR dropped, ANSI stripped. */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private pending = '';
  private readonly maxLineLength: number;

  constructor(options: LineSplitterOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? 4096;
  }

  /** Returns the complete lines this chunk finished. */
  push(chunk: Uint8Array): string[] {
    return this.split(this.decoder.decode(chunk, { stream: true }));
  }

  /** Flushes the last unterminated line, if any. */
  end(): string[] {
    const lines = this.split(this.decoder.decode());
    if (this.pending.length > 0) lines.push(cleanLine(this.pending));
    this.pending = '';
    return lines;
  }

  private split(text: string): string[] {
    const lines: string[] = [];
    let data = this.pending + text;
    let newline = data.indexOf('\n');
    while (newline >= 0) {
      this.pushBounded(lines, data.slice(0, newline));
      data = data.slice(newline + 1);
      newline = data.indexOf('\n');
    }
    while (data.length > this.maxLineLength) {
      const cut = safeCut(data, this.maxLineLength);
      lines.push(cleanLine(data.slice(0, cut)));
      data = data.slice(cut);
    }
    this.pending = data;
    return lines;
  }

  private pushBounded(lines: string[], raw: string): void {
    let rest = raw;
    let pieces = 0;
    while (rest.length > this.maxLineLength) {
      const cut = safeCut(rest, this.maxLineLength);
      lines.push(cleanLine(rest.slice(0, cut)));
      rest = rest.slice(cut);
      pieces += 1;
    }
    // The tail of a cut line that was only escape codes is no line of its own.
    const last = cleanLine(rest);
    if (last !== '' || pieces === 0) lines.push(last);
  }
}

/** Where to cut a too-long line at most `max` long: not inside an ANSI escape or a surrogate pair. */
export function safeCut(text: string, max: number): number {
  let cut = max;
  const esc = text.lastIndexOf('\x1b', cut - 1);
  if (esc >= 0 && esc > cut - 32 && !/[@-~]/.test(text.slice(esc + 2, cut))) cut = esc || max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(cut, 1);
}

/** Keeps the last N items; the serial and stderr tails in error messages. */
export class Tail<T = string> {
  private readonly items: T[] = [];
  constructor(private readonly size: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.size) this.items.shift();
  }
  values(): T[] {
    return [...this.items];
  }
}
