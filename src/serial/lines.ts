/** Turns a serial byte stream into clean text lines with bounded memory. */
import stripAnsi from 'strip-ansi';

export interface LineSplitterOptions {
  /** Longest line kept whole; longer runs are emitted in pieces of this size. */
  maxLineLength?: number;
}

// C0 controls other than tab and newline, plus DEL: noise on a serial line (NUL, bells, ...).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Cleans one line: ANSI escapes stripped, CR and other control bytes dropped. */
export function cleanLine(raw: string): string {
  return stripAnsi(raw).replace(CONTROL, '');
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
      lines.push(cleanLine(data.slice(0, this.maxLineLength)));
      data = data.slice(this.maxLineLength);
    }
    this.pending = data;
    return lines;
  }

  private pushBounded(lines: string[], raw: string): void {
    for (let at = 0; at < raw.length; at += this.maxLineLength) {
      lines.push(cleanLine(raw.slice(at, at + this.maxLineLength)));
    }
    if (raw.length === 0) lines.push('');
  }
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
