/** A run's named steps with their durations: what progress, the log, JUnit and report.json all read. */
import type { Logger } from '../util/log.js';
import type { Progress } from '../report/progress.js';
import type { StepJson } from '../report/report.js';
import type { Stage } from '../base/errors.js';

/** `shown`: on the progress display (builds, boots); setup steps are only recorded. */
type Live = StepJson & { t0: number; stage: Stage; shown: boolean };

export class Steps {
  private readonly list: Live[] = [];
  /** The steps a run of this command and config takes when all goes well, in order (JUnit's stable test cases). */
  private planned: string[] = [];

  constructor(
    private readonly t0: number,
    private readonly progress: Progress,
    private readonly log: () => Logger,
  ) {}

  /** Declares every step the run may take, in order: one not run is reported skipped ("not reached" after a failure, else "not needed"). */
  plan(names: string[]): void {
    this.planned = names;
  }

  /** Marks `name` running (shown live in a terminal). */
  begin(name: string, stage: Stage, shown = true): void {
    const now = performance.now();
    this.list.push({ name, stage, shown, status: 'ok', startMs: Math.round(now - this.t0), ms: 0, detail: null, t0: now });
    if (shown) this.progress.start(name);
  }

  /** Ends the latest running step of that name: ok, or failed with a short reason. */
  end(name: string, status: 'ok' | 'failed', detail: string | null = null): void {
    const step = this.running()
      .reverse()
      .find((s) => s.name === name);
    if (!step) return;
    step.ms = Math.round(performance.now() - step.t0);
    step.status = status;
    step.detail = detail;
    step.t0 = -1;
    if (step.shown && status === 'ok') this.progress.done(name, detail ?? '');
    else if (step.shown) this.progress.fail(name, detail ?? 'failed');
    this.log()[status === 'ok' ? 'info' : 'error']({ step: name, ms: step.ms, detail }, `step ${status}`);
  }

  /**
   * Runs `work` as the step `name` of `stage`; a throw marks it failed (with the error's code) and
   * goes on up. `judge` tells a value that is itself a failure (a boot record's) and the detail shown.
   */
  async run<T>(
    name: string,
    stage: Stage,
    work: () => Promise<T>,
    judge?: (value: T) => { failed?: string; detail?: string },
    shown = true,
  ): Promise<T> {
    this.begin(name, stage, shown);
    try {
      const value = await work();
      const verdict = judge?.(value) ?? {};
      if (verdict.failed) this.end(name, 'failed', verdict.failed);
      else this.end(name, 'ok', verdict.detail ?? null);
      return value;
    } catch (error) {
      this.end(name, 'failed', (error as { code?: string }).code ?? 'failed');
      throw error;
    }
  }

  /** Marks a step that ended ok as failed after all (a boot whose Dom0 was then judged silent, say). */
  fail(name: string, detail: string): void {
    const step = this.list.filter((s) => s.name === name && s.t0 < 0).at(-1);
    if (step) Object.assign(step, { status: 'failed', detail });
  }

  /** Records a step another run took (a shard's combination, for drift merge), as it ended there. */
  record(name: string, stage: Stage, status: 'ok' | 'failed', ms: number, detail: string | null): void {
    this.list.push({ name, stage, shown: false, status, startMs: Math.round(performance.now() - this.t0), ms, detail, t0: -1 });
  }

  /** Records a step that was not run (e.g. the boot after --print-qemu-cmd). */
  notRun(name: string, stage: Stage, detail: string): void {
    this.list.push({
      name,
      stage,
      shown: false,
      status: 'skipped',
      startMs: Math.round(performance.now() - this.t0),
      ms: 0,
      detail,
      t0: -1,
    });
  }

  /** The steps still running: what a signal or an error cut short. */
  running(): Live[] {
    return this.list.filter((s) => s.t0 >= 0);
  }

  /** Ends every running step as `status` (a failure escaping its step, or a signal). */
  cut(status: 'failed' | 'interrupted', detail: string): void {
    for (const step of this.running()) {
      step.ms = Math.round(performance.now() - step.t0);
      step.status = status;
      step.detail = detail;
      step.t0 = -1;
      if (step.shown) this.progress.fail(step.name, detail);
    }
  }

  /** The stage of the step running now (the innermost), for a failure that names no stage of its own. */
  currentStage(): Stage | null {
    return this.running().at(-1)?.stage ?? null;
  }

  /** The steps in plan order (unplanned ones after), planned ones never run as skipped; `failed`: the run failed. */
  toJson(failed = false): StepJson[] {
    const now = performance.now();
    const json = (step: Live): StepJson => ({
      name: step.name,
      status: step.status,
      startMs: step.startMs,
      ms: step.t0 >= 0 ? Math.round(now - step.t0) : step.ms,
      detail: step.detail,
    });
    // A step not run is placed where the one before it ended, so start times never go back.
    let at = 0;
    const planned = this.planned.flatMap((name) => {
      const ran = this.list.filter((s) => s.name === name).map(json);
      if (ran.length === 0) ran.push({ name, status: 'skipped', startMs: at, ms: 0, detail: failed ? 'not reached' : 'not needed' });
      at = Math.max(at, ...ran.map((s) => s.startMs + s.ms));
      return ran;
    });
    return [...planned, ...this.list.filter((s) => !this.planned.includes(s.name)).map(json)];
  }
}
