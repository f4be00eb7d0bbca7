/**
 * The live view in a terminal, drawn by log-update: the frame (frame.ts) redrawn in place, sized
 * from the terminal at each draw; log lines printed above it; a compact final view left on close.
 */
import { createLogUpdate } from 'log-update';
import { finalFrame, liveFrame, type StepView } from './frame.js';

/** A terminal stream as the view uses it (process.stderr, or a test's). */
export interface Terminal {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  write(chunk: string): boolean;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export interface LiveOptions {
  colour: boolean;
  /** The clock (ms); tests pass their own. */
  now?: () => number;
  /** Redraws per second for the elapsed times; 0: only on events (tests). */
  tick?: number;
}

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

/** Steps as a bounded view redrawn in place; log lines and the final view stay in the scrollback. */
export class LiveView {
  private readonly steps: StepView[] = [];
  private serialLine = '';
  private readonly render: ReturnType<typeof createLogUpdate>;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  /** Something is on screen (a frame log-update will erase before it draws the next). */
  private drawn = false;
  private cursorHidden = false;
  private closed = false;
  private readonly showCursor = (): void => void this.out.write(SHOW_CURSOR);
  /** A new size is drawn at once (log-update erases the old frame; a terminal that rewrapped it may keep a copy in its scrollback). */
  private readonly onResize = (): void => this.draw();

  constructor(
    private readonly out: Terminal,
    private readonly options: LiveOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    // The cursor is hidden and shown here (and at exit), not by log-update on every draw.
    this.render = createLogUpdate(out as NodeJS.WriteStream, { showCursor: true });
    out.on?.('resize', this.onResize);
  }

  start(name: string): void {
    if (this.closed) return;
    this.steps.push({ name, state: 'running', startedMs: this.now(), endedMs: null, detail: '' });
    this.serialLine = '';
    if (!this.timer && (this.options.tick ?? 10) > 0) {
      this.timer = setInterval(() => this.draw(), 1000 / (this.options.tick ?? 10));
      this.timer.unref();
    }
    this.draw();
  }

  finish(name: string, state: 'done' | 'failed', detail: string): void {
    const step = [...this.steps].reverse().find((s) => s.name === name && s.state === 'running');
    if (this.closed || !step) return;
    Object.assign(step, { state, detail, endedMs: this.now() });
    this.draw();
  }

  serial(line: string): void {
    if (line.trim()) this.serialLine = line;
  }

  /** A log line above the view (the view is redrawn below it); after close, written as it is. */
  print(text: string): void {
    if (this.closed || !this.drawn) return void this.out.write(text);
    this.render.persist(text.replace(/\n$/, ''));
    this.drawn = false;
    this.draw();
  }

  /** Replaces the view by the final one (failures kept first), shows the cursor; later calls change nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.out.off?.('resize', this.onResize);
    if (this.steps.length > 0) {
      const lines = finalFrame(this.steps, this.now(), this.screen());
      if (lines.length > 0) this.render.persist(lines.join('\n'));
      else this.render.clear();
    }
    this.render.done();
    if (this.cursorHidden) {
      this.showCursor();
      process.off('exit', this.showCursor);
    }
  }

  private screen(): { rows: number; columns: number; colour: boolean } {
    return { rows: this.out.rows ?? 24, columns: this.out.columns ?? 80, colour: this.options.colour };
  }

  private draw(): void {
    if (this.closed) return;
    const lines = liveFrame(this.steps, this.serialLine, this.now(), this.screen());
    if (lines.length === 0) {
      // A terminal of one row: nothing fits.
      if (this.drawn) this.render.clear();
      this.drawn = false;
      return;
    }
    if (!this.cursorHidden) {
      this.cursorHidden = true;
      this.out.write(HIDE_CURSOR);
      // A process that ends without close (a bug's exit) still gives the cursor back.
      process.once('exit', this.showCursor);
    }
    this.render(lines.join('\n'));
    this.drawn = true;
  }
}
