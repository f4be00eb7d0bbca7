/**
 * A real terminal for tests: a tmux server of its own (a unique socket, no user config) with one
 * pane of a fixed size running one command of the built CLI; the pane's screen, its scrollback and
 * the raw bytes written to it can be read during and after the run.
 */
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli.js';
import { which } from '../../src/util/which.js';

/** The built command (npm run build): what a user runs. */
export const CLI = path.join(ROOT, 'dist', 'xen-dom0-boot.cjs');

export interface Capture {
  /** The pane's rows (or the whole scrollback), wrapped lines joined, trailing spaces cut. */
  lines: string[];
  ms: number;
}

export class Tmux {
  readonly socket = `xdb-term-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly raw: string;
  private readonly t0 = performance.now();
  /** The server's socket file (tmux leaves it behind when its server is killed). */
  private socketPath = '';

  private constructor(
    readonly dir: string,
    readonly columns: number,
    readonly rows: number,
  ) {
    this.raw = path.join(dir, `${this.socket}.raw`);
  }

  /**
   * A pane of `columns` x `rows` in `dir` that runs `command` (sh syntax) once Enter is sent (see go()),
   * then prints EXIT=<its exit code> and stays. The environment is clean: no CI variable, no NO_COLOR
   * from the test's own environment; `env` adds to it.
   */
  static async open(dir: string, columns: number, rows: number, command: string, env: Record<string, string> = {}): Promise<Tmux> {
    if (!which('tmux')) throw new Error('tmux is not installed: the terminal tests need it (apt-get install tmux)');
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    const t = new Tmux(dir, columns, rows);
    writeFileSync(path.join(dir, 'run.sh'), `trap 'true' INT\nread go\n${command}\necho EXIT=$?\nexec sleep 100000\n`);
    await t.tmux(['new-session', '-d', '-s', 'x', '-x', String(columns), '-y', String(rows), '-c', dir, 'sh run.sh'], env);
    t.socketPath = (await t.tmux(['display-message', '-p', '-t', 'x', '#{socket_path}'])).trim();
    await t.tmux(['set-option', '-t', 'x', 'history-limit', '50000']);
    // Every byte the pane's program writes, escape codes included.
    await t.tmux(['pipe-pane', '-t', 'x', '-o', `cat > '${t.raw}'`]);
    return t;
  }

  /** Gives the pane a new size, as a user dragging the window would (the program gets SIGWINCH). */
  async resize(columns: number, rows: number): Promise<void> {
    await this.tmux(['resize-window', '-t', 'x', '-x', String(columns), '-y', String(rows)]);
  }

  /** Milliseconds since the pane opened (the clock of Capture.ms). */
  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  /** Starts the command (the Enter its `read` waits for). */
  async go(): Promise<void> {
    await this.keys('Enter');
  }

  /** Keys for the pane, as tmux names them (Enter, C-c). */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux(['send-keys', '-t', 'x', ...keys]);
  }

  /** The visible pane, or with `history` the whole scrollback; with `escapes` its colours as SGR codes. */
  async capture(options: { history?: boolean; escapes?: boolean } = {}): Promise<Capture> {
    const args = ['capture-pane', '-p', '-J', '-t', 'x', ...(options.history ? ['-S', '-'] : []), ...(options.escapes ? ['-e'] : [])];
    const text = await this.tmux(args);
    const lines = text.split('\n').map((line) => line.trimEnd());
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    return { lines, ms: Math.round(performance.now() - this.t0) };
  }

  /** Captures the pane every 50 ms until the command printed EXIT=<code>; returns every capture and the code. */
  async watch(timeoutMs: number, onCapture?: (capture: Capture) => Promise<void> | void): Promise<{ captures: Capture[]; exit: number }> {
    const captures: Capture[] = [];
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const capture = await this.capture();
      captures.push(capture);
      await onCapture?.(capture);
      const exit = capture.lines.map((line) => /^EXIT=(\d+)$/.exec(line)?.[1]).find(Boolean);
      if (exit !== undefined) return { captures, exit: Number(exit) };
      if (performance.now() > deadline) throw new Error(`no EXIT= after ${timeoutMs} ms; the pane:\n${capture.lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The raw bytes the pane's program wrote so far. */
  rawOutput(): string {
    return existsSync(this.raw) ? readFileSync(this.raw, 'utf8') : '';
  }

  /** A tmux format for the pane (e.g. #{cursor_flag}: 1 when the cursor is shown). */
  async show(format: string): Promise<string> {
    return (await this.tmux(['display-message', '-p', '-t', 'x', format])).trim();
  }

  /** Ends the server, its pane and whatever still runs in it; removes its socket file. */
  async kill(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
    if (this.socketPath.includes(this.socket)) rmSync(this.socketPath, { force: true });
  }

  private async tmux(args: string[], env: Record<string, string> = {}): Promise<string> {
    const clean = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', PS1: '$ ', ...env };
    const result = await execa('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: clean, extendEnv: false, timeout: 10_000 });
    return String(result.stdout);
  }
}
