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
import { reportToJunit, type StepFailure, type SuiteExtras } from '../report/junit.js';
import type { Probed } from '../report/versions.js';
import { createLogger, prettyLog, type Logger } from '../util/log.js';
import { setFinisher, writeStderr } from '../util/shutdown.js';
import { assertApart, assertTarget } from './targets.js';
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
  /** A file the run could not write after it had failed for another reason (that one is `failure`). */
  artifactFailure: ToolError | null;
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
  /** A step's own failure for JUnit (a drift combination's message and Xen's last lines), by step name. */
  readonly stepFailures = new Map<string, StepFailure>();
  /** What the command puts in JUnit's suite instead of the defaults (drift: the table as system-out). */
  junitExtras: Partial<SuiteExtras> = {};
  output: string | null = null;
  folderTried = false;
  /** --junit and --bundle, until they prove to clash with the run folder. */
  junit: string | undefined;
  bundle: string | undefined;

  constructor(readonly spec: RunSpec) {
    this.progress = spec.progress ?? NO_PROGRESS;
    this.junit = spec.junit;
    this.bundle = spec.bundle;
    this.steps = new Steps(this.t0, this.progress, () => this.log);
  }

  /** Makes the run folder (`out`, else runs/<command>-<time>-<pid>) and opens tool.log in it; once. */
  async openFolder(out: string | undefined, logLevel: string): Promise<string> {
    if (this.runDir) return this.runDir;
    this.folderTried = true;
    const dir = await prepareRunFolder(this.spec.command, out, this.startedAt);
    this.runDir = dir;
    try {
      assertApart(dir, this.junit, this.bundle);
    } catch (error) {
      // Neither is written where it would clash: the report says why.
      this.junit = undefined;
      this.bundle = undefined;
      throw error;
    }
    // --verbose for a person (a terminal outside CI): pino-pretty's lines above the live view; else JSON lines.
    const human = this.spec.verbose ? this.progress.human : undefined;
    const pretty = human ? { pretty: await prettyLog(human.colour), write: human.write } : undefined;
    this.log = createLogger({ level: logLevel, file: path.join(this.runDir, 'tool.log'), verbose: this.spec.verbose, human: pretty });
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
    steps: run.steps.toJson(failure !== null),
    failure,
  });
}

/** The probe, or what is known after `ms`: a run cut short by a signal does not wait on a QEMU --version. */
function within(probe: Promise<Probed> | null, ms: number): Promise<Probed> | null {
  if (!probe) return null;
  const unknown: Probed = { qemu: null, crossCompiler: null, dtc: null, xenPackage: null, xenSha: null };
  return Promise.race([probe, new Promise<Probed>((resolve) => setTimeout(() => resolve(unknown), ms).unref())]);
}

/** Report, companions and JUnit for `failure` (null: ok); a run that failed before its folder existed makes it now. */
async function finish(run: Run, failure: ToolError | null, bundle = run.bundle): Promise<ReportJson | null> {
  if (!run.runDir && !run.folderTried && run.spec.out !== '') await run.openFolder(run.spec.out, 'info').catch(() => undefined);
  const report = reportOf(run, failure);
  if (failure) run.log.error({ failure: report.failure }, `${run.spec.command} failed`);
  else run.log.info({ layout: report.layout }, `${run.spec.command}: done`);
  await writeArtifacts(report, {
    folder: run.runDir !== null,
    junit: run.junit || undefined,
    junitText: (extras) => reportToJunit(report, { ...extras, ...run.junitExtras }, run.stepFailures),
    bundle,
    probe: run.probe,
  });
  return run.runDir ? report : null;
}

/** Runs `body` as a command's run; never throws: the command's failures, and the artifacts', are the result. */
export async function runCommand(spec: RunSpec, body: (run: Run) => Promise<void>): Promise<RunResult> {
  const run = new Run(spec);
  let state: 'running' | 'finishing' | 'done' = 'running';
  let interrupted = false;
  setFinisher(async (code, message) => {
    interrupted = true;
    if (state === 'done') return;
    const finishing = state === 'finishing';
    const stage = finishing ? 'report' : (run.steps.currentStage() ?? 'internal');
    const where = finishing ? 'writing the report and its files' : run.steps.running().at(-1)?.name;
    run.steps.cut(code === 'INTERRUPTED' ? 'interrupted' : 'failed', code);
    run.progress.close();
    run.probe = within(run.probe, 300);
    const failure = new ToolError(code, stage, where ? `${message} (during ${where})` : message);
    writeStderr(`xen-dom0-boot: ${failure.stage}: ${failure.message} [${failure.code}]\n`);
    // No bundle: packing can take long, and a person who pressed Ctrl-C wants out.
    await finish(run, failure, undefined).catch(() => undefined);
  });
  let failure: ToolError | null = null;
  try {
    await run.setup('outputs', 'config', async () => {
      if (spec.junit !== undefined) await assertTarget(spec.junit, '--junit', spec.out);
      if (spec.bundle !== undefined) await assertTarget(spec.bundle, '--bundle', spec.out);
    });
    await body(run);
  } catch (error) {
    failure = toToolError(error);
  }
  if (interrupted) return { report: null, failure, artifactFailure: null, output: null, interrupted };
  run.steps.cut('failed', failure?.code ?? 'unfinished');
  run.progress.close();
  state = 'finishing';
  let report: ReportJson | null = null;
  let artifactFailure: ToolError | null = null;
  try {
    report = await finish(run, failure);
  } catch (error) {
    // A file that could not be written (a full disk): the run's failure if it had none, and report.json says so if it can.
    artifactFailure = toToolError(error);
    if (!failure) {
      failure = artifactFailure;
      artifactFailure = null;
      // report.json and JUnit say so, as far as they can be written (no bundle: it is what failed, or the disk is full).
      report = await finish(run, failure, undefined).catch(() => (run.runDir ? reportOf(run, failure) : null));
    }
  }
  state = 'done';
  setFinisher(null);
  return { report, failure, artifactFailure, output: run.output, interrupted };
}
