/** Progress on stderr: a live step list in a terminal, one plain line per finished step in CI or a pipe. */

export interface Progress {
  start(step: string): void;
  done(step: string, detail?: string): void;
  fail(step: string, detail: string): void;
  /** The latest serial line of the running boot (shown live in a terminal only). */
  serial(line: string): void;
  close(): void;
}

interface Step {
  name: string;
  state: 'running' | 'done' | 'failed';
  started: number;
  ms: number;
  detail: string;
}

const clip = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** One line per finished step: for logs, CI and pipes. */
export class PlainProgress implements Progress {
  private readonly started = new Map<string, number>();
  constructor(private readonly out: NodeJS.WritableStream) {}
  start(step: string): void {
    this.started.set(step, performance.now());
  }
  done(step: string, detail = ''): void {
    this.line(step, 'ok', detail);
  }
  fail(step: string, detail: string): void {
    this.line(step, 'FAILED', detail);
  }
  serial(_line: string): void {}
  close(): void {}
  private line(step: string, state: string, detail: string): void {
    const ms = Math.round(performance.now() - (this.started.get(step) ?? performance.now()));
    this.out.write(`xen-dom0-boot: ${step}: ${state} (${ms} ms)${detail ? ` ${detail}` : ''}\n`);
  }
}

/** A step list redrawn in place, with elapsed times and the latest serial line. */
export class LiveProgress implements Progress {
  private readonly steps: Step[] = [];
  private lastSerial = '';
  private drawn = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly out: NodeJS.WriteStream) {
    this.timer = setInterval(() => this.draw(), 100);
    this.timer.unref();
  }
  start(step: string): void {
    this.steps.push({ name: step, state: 'running', started: performance.now(), ms: 0, detail: '' });
    this.lastSerial = '';
    this.draw();
  }
  done(step: string, detail = ''): void {
    this.finish(step, 'done', detail);
  }
  fail(step: string, detail: string): void {
    this.finish(step, 'failed', detail);
  }
  serial(line: string): void {
    if (line.trim()) this.lastSerial = line;
  }
  close(): void {
    clearInterval(this.timer);
    this.draw();
  }
  private finish(name: string, state: Step['state'], detail: string): void {
    const step = [...this.steps].reverse().find((s) => s.name === name && s.state === 'running');
    if (!step) return;
    step.state = state;
    step.ms = Math.round(performance.now() - step.started);
    step.detail = detail;
    this.draw();
  }
  private draw(): void {
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const lines = this.steps.map((s) => {
      const mark = s.state === 'done' ? '✔' : s.state === 'failed' ? '✖' : '…';
      const ms = s.state === 'running' ? Math.round(performance.now() - s.started) : s.ms;
      return clip(`${mark} ${s.name.padEnd(18)} ${(ms / 1000).toFixed(1).padStart(5)} s ${s.detail}`, width);
    });
    const running = this.steps.some((s) => s.state === 'running');
    if (running && this.lastSerial) lines.push(clip(`  | ${this.lastSerial}`, width));
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const line of lines) text += `\x1b[2K${line}\n`;
    for (let i = lines.length; i < this.drawn; i += 1) text += '\x1b[2K\n';
    this.drawn = Math.max(lines.length, this.drawn);
    this.out.write(text);
  }
}

export const NO_PROGRESS: Progress = { start() {}, done() {}, fail() {}, serial() {}, close() {} };

/** Live in a terminal that is not CI; plain lines otherwise. */
export function createProgress(out: NodeJS.WriteStream = process.stderr, env = process.env): Progress {
  return out.isTTY && !env.CI ? new LiveProgress(out) : new PlainProgress(out);
}
