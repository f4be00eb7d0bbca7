/** Watches Dom0's own console lines after the hand-over for its success and failure patterns. */
import type { LinePattern } from '../serial/line-pattern.js';
import { Tail } from '../serial/lines.js';
import type { Dom0Json } from '../report/report.js';

export interface ConfirmSpec {
  /** All must be seen, in any order, for Dom0 to count as up. */
  success: LinePattern[];
  /** Seen: Dom0 reported its own failure. */
  failure: LinePattern | null;
  timeoutMs: number;
}

/** Dom0's status and what it printed: the report's own record type. */
export type Dom0Outcome = Dom0Json;
export type Dom0Status = Dom0Json['status'];

export class Dom0Watch {
  private readonly seen: boolean[];
  private failureLine: string | null = null;
  private readonly tail = new Tail<string>(30);
  private upAt: number | null = null;

  constructor(
    readonly spec: ConfirmSpec,
    private readonly handoverAt: number,
  ) {
    this.seen = spec.success.map(() => false);
  }

  /** Feeds one Dom0 line (not a Xen line). */
  push(line: string, atMs: number): void {
    if (!line.trim()) return;
    this.tail.push(line);
    this.spec.success.forEach((re, i) => {
      if (!this.seen[i] && re.test(line)) this.seen[i] = true;
    });
    if (this.upAt === null && this.seen.every(Boolean)) this.upAt = atMs;
    if (this.failureLine === null && this.spec.failure?.test(line)) this.failureLine = line;
  }

  get status(): Dom0Status {
    if (this.failureLine !== null) return 'failed';
    if (this.upAt !== null) return 'up';
    return 'pending';
  }

  outcome(final?: Dom0Status): Dom0Outcome {
    const src = (re: LinePattern) => re.source;
    return {
      status: final ?? this.status,
      seen: this.spec.success.filter((_, i) => this.seen[i]).map(src),
      missing: this.spec.success.filter((_, i) => !this.seen[i]).map(src),
      failureLine: this.failureLine,
      lines: this.tail.values(),
      upAfterMs: this.upAt === null ? null : Math.round(this.upAt - this.handoverAt),
    };
  }
}

export const NOT_WATCHED: Dom0Outcome = { status: 'not-watched', seen: [], missing: [], failureLine: null, lines: [], upAfterMs: null };
