/**
 * The run skeleton every command goes through: it owns the run folder, the logger, the named steps
 * and every artifact, and captures the failure from the first line of the command to the last
 * (config errors, missing inputs, bugs, signals), so every run that knew --out or --junit leaves
 * report.json and JUnit saying where it stopped.
 */
import path from 'node:path';
import { ToolError, toToolError, type Stage } from '../base/errors.js';
import { TOOL } from '../base/version.js';
import { NO_PROGRESS, type Progress } from '../report/progress.js';
import { buildReport, emptyRecord, type CommandName, type ReportJson, type RunRecord } from '../report/report.js';
import { reportToJunit } from '../report/junit.js';
import type { Probed } from '../report/versions.js';
import { createLogger, type Logger } from '../util/log.js';
import { setFinisher } from '../util/shutdown.js';
import { writeArtifacts } from './artifacts.js';
import { prepareRunFolder } from './run-folder.js';
import { Steps } from './steps.js';

export interface RunSpec {
  command: CommandName;
  /** --out from the command line: where a run that failed before its config was read still reports. */
  out?: string;
  junit?: string;
  bundle?: string;
  verbose?: boolean;
  progress?: Progress;
}

export interface RunResult {
  /** null when no run folder could be made (e.g. --out names a folder of yours). */
  report: ReportJson | null;
  failure: ToolError | null;
  /** What the command prints instead of the summary (learn --print-qemu-cmd). */
  output: string | null;
  /** A signal or a closed pipe ended the run; the process exits from util/shutdown.ts. */
  interrupted: boolean;
}

/** What a command sees of its run. */
export class Run {
  readonly startedAt = new Date();
  readonly t0 = performance.now();
  readonly record: RunRecord = emptyRecord();
  readonly steps: Steps;
  readonly progress: Progress;
  log: Logger = createLogger({ level: 'silent' });
  runDir: string | null = null;
  /** The version probe, started once the inputs are known (versions.json). */
  probe: Promise<Probed> | null = null;
  /** A command whose JUnit is not one case per step (drift: one per combination). */
  junitText: ((report: ReportJson) => string) | null = null;
  output: string | null = null;
  folderTried = false;

  constructor(readonly spec: RunSpec) {
    this.progress = spec.progress ?? NO_PROGRESS;
    this.steps = new Steps(this.t0, this.progress, () => this.log);
  }

  /** Makes the run folder (`out`, else runs/<command>-<time>-<pid>) and opens tool.log in it; once. */
  async openFolder(out: string | undefined, logLevel: string): Promise<string> {
    if (this.runDir) return this.runDir;
    this.folderTried = true;
    this.runDir = await prepareRunFolder(this.spec.command, out, this.startedAt);
    this.log = createLogger({ level: logLevel, file: path.join(this.runDir, 'tool.log'), verbose: this.spec.verbose });
    return this.runDir;
  }

  /** A setup step (config, inputs, locks): recorded in the report, the log and JUnit, not shown as progress. */
  setup<T>(name: string, stage: Stage, work: () => Promise<T>): Promise<T> {
    return this.steps.run(name, stage, work, undefined, false);
  }

  /** One named step, shown as progress (see Steps.run). */
  step<T>(name: string, stage: Stage, work: () => Promise<T>, judge?: (value: T) => { failed?: string; detail?: string }): Promise<T> {
    return this.steps.run(name, stage, work, judge);
  }
}

/** The report of `run` as it stands, with `failure`. */
function reportOf(run: Run, failure: ToolError | null): ReportJson {
  run.record.durations.totalMs = Math.round(performance.now() - run.t0);
  return buildReport({
    tool: TOOL,
    command: run.spec.command,
    startedAt: run.startedAt,
    endedAt: new Date(),
    runDir: run.runDir ?? '',
    record: run.record,
    steps: run.steps.toJson(),
    failure,
  });
}

/** Report, companions and JUnit for `failure` (null: ok); a run that failed before its folder existed makes it now. */
async function finish(run: Run, failure: ToolError | null): Promise<ReportJson | null> {
  if (!run.runDir && !run.folderTried) await run.openFolder(run.spec.out, 'info').catch(() => undefined);
  const report = reportOf(run, failure);
  if (failure) run.log.error({ failure: report.failure }, `${run.spec.command} failed`);
  else run.log.info({ layout: report.layout }, `${run.spec.command}: done`);
  await writeArtifacts(report, {
    folder: run.runDir !== null,
    junit: run.spec.junit,
    junitText: (run.junitText ?? reportToJunit)(report),
    bundle: run.spec.bundle,
    probe: run.probe,
  });
  return run.runDir ? report : null;
}

/** Runs `body` as a command's run; never throws for the command's own failures (they are the result). */
export async function runCommand(spec: RunSpec, body: (run: Run) => Promise<void>): Promise<RunResult> {
  const run = new Run(spec);
  let interrupted = false;
  setFinisher(async (code, message) => {
    interrupted = true;
    const stage = run.steps.currentStage() ?? 'internal';
    const where = run.steps.running().at(-1)?.name;
    run.steps.cut(code === 'INTERRUPTED' ? 'interrupted' : 'failed', code);
    run.progress.close();
    await finish(run, new ToolError(code, stage, where ? `${message} (during ${where})` : message));
  });
  let failure: ToolError | null = null;
  try {
    await body(run);
  } catch (error) {
    failure = toToolError(error);
  }
  if (interrupted) return { report: null, failure, output: null, interrupted };
  setFinisher(null);
  run.steps.cut('failed', failure?.code ?? 'unfinished');
  run.progress.close();
  const report = await finish(run, failure);
  return { report, failure, output: run.output, interrupted: false };
}
