/**
 * Pure: the live view's frame and the final view, bounded to the terminal: never more than rows - 1
 * lines, none wider than columns - 1 (the last column would wrap in some terminals). Steps that do
 * not fit are counted on one line at the top.
 */
import { clip, paint, printable } from './style.js';

export interface StepView {
  name: string;
  state: 'running' | 'done' | 'failed';
  /** Clock times (ms) of its start and end (null while running). */
  startedMs: number;
  endedMs: number | null;
  detail: string;
}

export interface Screen {
  rows: number;
  columns: number;
  colour: boolean;
}

/** The final view's height at most, whatever the terminal's: the steps that matter, not a second scrollback. */
export const FINAL_ROWS = 12;

const MARK = { running: '…', done: '✔', failed: '✖' } as const;
const MARK_STYLE = { running: 'cyan', done: 'green', failed: 'red' } as const;

const seconds = (ms: number): string => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;

/** "+ 26 more steps: 25 ok, 1 failed": what the view leaves out. */
function hiddenLine(hidden: StepView[], width: number, colour: boolean): string {
  const count = (state: StepView['state']): number => hidden.filter((s) => s.state === state).length;
  const parts = [
    [count('done'), 'ok'],
    [count('failed'), 'failed'],
    [count('running'), 'running'],
  ].flatMap(([n, what]) => (n ? [`${n} ${what}`] : []));
  return paint(colour, 'dim', clip(`+ ${hidden.length} more step${hidden.length === 1 ? '' : 's'}: ${parts.join(', ')}`, width));
}

/** The lines of `shown` (in the order they started) with aligned names and times, each cut to `width`. */
function stepLines(shown: StepView[], now: number, width: number, colour: boolean): string[] {
  const nameWidth = Math.min(Math.max(0, ...shown.map((s) => printable(s.name).length)), Math.max(8, width - 20));
  return shown.map((step) => {
    const ms = (step.endedMs ?? now) - step.startedMs;
    const name = printable(step.name).padEnd(nameWidth);
    const detail = printable(step.detail);
    const rest = clip(` ${name}  ${seconds(ms).padStart(7)}${detail ? `  ${detail}` : ''}`, width - 1);
    return `${paint(colour, MARK_STYLE[step.state], MARK[step.state])}${rest}`;
  });
}

/** Picks at most `room` steps by `priority` (most wanted first); returns them in start order and the rest. */
function pick(steps: StepView[], priority: StepView[], room: number): { shown: StepView[]; hidden: StepView[] } {
  const chosen = new Set(priority.slice(0, Math.max(0, room)));
  return { shown: steps.filter((s) => chosen.has(s)), hidden: steps.filter((s) => !chosen.has(s)) };
}

const latestFirst = (a: StepView, b: StepView): number => (b.endedMs ?? 0) - (a.endedMs ?? 0);

/** `steps` in `budget` lines: all of them, or the count of the others on top and the `priority` ones. */
function bounded(steps: StepView[], priority: StepView[], budget: number, now: number, width: number, colour: boolean): string[] {
  if (budget <= 0 || width < 1 || steps.length === 0) return [];
  if (steps.length <= budget) return stepLines(steps, now, width, colour);
  const { shown, hidden } = pick(steps, priority, budget - 1);
  return [hiddenLine(hidden, width, colour), ...stepLines(shown, now, width, colour)];
}

/** The view while steps run: the running ones first to be kept, then the latest finished; the running boot's last serial line. */
export function liveFrame(steps: StepView[], serial: string, now: number, screen: Screen): string[] {
  const width = screen.columns - 1;
  const budget = screen.rows - 1;
  const running = steps.filter((s) => s.state === 'running');
  const finished = steps.filter((s) => s.state !== 'running').sort(latestFirst);
  const tail = running.length > 0 && printable(serial).trim() !== '' && budget >= 2 ? [serial] : [];
  const lines = bounded(steps, [...running, ...finished], budget - tail.length, now, width, screen.colour);
  return [...lines, ...tail.map((line) => paint(screen.colour, 'dim', clip(`  | ${printable(line).trim()}`, width)))];
}

/** The view left on the terminal after the run: failures first to be kept, then the latest; at most FINAL_ROWS lines. */
export function finalFrame(steps: StepView[], now: number, screen: Screen): string[] {
  const failed = steps.filter((s) => s.state === 'failed').sort(latestFirst);
  const others = steps.filter((s) => s.state !== 'failed').sort(latestFirst);
  const budget = Math.min(screen.rows - 1, FINAL_ROWS);
  return bounded(steps, [...failed, ...others], budget, now, screen.columns - 1, screen.colour);
}
