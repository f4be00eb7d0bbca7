/**
 * Progress on stderr: a live view bounded to the terminal (progress/live.ts) in a terminal that is
 * not CI and not TERM=dumb, else one plain line per finished step (progress/plain.ts); see
 * progress/display.ts for the decision, colour included.
 */
import { displayOf, type Env } from './progress/display.js';
import { LiveView, type LiveOptions, type Terminal } from './progress/live.js';
import { PlainLines } from './progress/plain.js';

/** Where log lines for a person go while progress shows (above the live view), and whether they may be coloured. */
export interface HumanOutput {
  colour: boolean;
  write(text: string): void;
}

export interface Progress {
  start(step: string): void;
  done(step: string, detail?: string): void;
  fail(step: string, detail: string): void;
  /** The latest serial line of the running boot (shown live in a terminal only). */
  serial(line: string): void;
  close(): void;
  /** Set when a person reads stderr (a terminal outside CI): --verbose then prints the human log through it. */
  readonly human?: HumanOutput;
}

/** One line per finished step: for logs, CI, pipes and TERM=dumb; `human` when that is still a terminal. */
export class PlainProgress implements Progress {
  private readonly lines: PlainLines;
  readonly human?: HumanOutput;
  constructor(out: { write(chunk: string): unknown }, human = false) {
    this.lines = new PlainLines(out);
    if (human) this.human = { colour: false, write: (text) => this.lines.print(text) };
  }
  start(step: string): void {
    this.lines.start(step);
  }
  done(step: string, detail = ''): void {
    this.lines.finish(step, 'ok', detail);
  }
  fail(step: string, detail: string): void {
    this.lines.finish(step, 'FAILED', detail);
  }
  serial(_line: string): void {}
  close(): void {
    this.lines.close();
  }
}

/** The live view: running steps, the latest finished, the latest serial line; a compact final view on close. */
export class LiveProgress implements Progress {
  private readonly view: LiveView;
  readonly human: HumanOutput;
  constructor(out: Terminal, options: LiveOptions) {
    this.view = new LiveView(out, options);
    this.human = { colour: options.colour, write: (text) => this.view.print(text) };
  }
  start(step: string): void {
    this.view.start(step);
  }
  done(step: string, detail = ''): void {
    this.view.finish(step, 'done', detail);
  }
  fail(step: string, detail: string): void {
    this.view.finish(step, 'failed', detail);
  }
  serial(line: string): void {
    this.view.serial(line);
  }
  close(): void {
    this.view.close();
  }
}

export const NO_PROGRESS: Progress = { start() {}, done() {}, fail() {}, serial() {}, close() {} };

/** Live in a terminal outside CI (as ci-info decides: CI=false is not CI) unless TERM=dumb; plain lines otherwise. */
export function createProgress(out: NodeJS.WriteStream = process.stderr, env: Env = process.env): Progress {
  const display = displayOf(out, env);
  return display.live ? new LiveProgress(out, { colour: display.colour }) : new PlainProgress(out, display.human);
}
