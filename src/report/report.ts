/** report.json's record types and its builder (schema/report.schema.json): a pure function of what the run learned. */
import type { FailureDetails, ToolError } from '../base/errors.js';
import type { InputChange } from '../overlay/lock-inputs.js';
import type { FieldChange } from '../xen/layout-diff.js';
import type { Layout } from '../xen/layout.js';
import { layoutToJson, type LayoutJson } from '../xen/layout-json.js';

export const REPORT_SCHEMA_VERSION = 2;
/** The schema's $id; the file ships as schema/report.schema.json. */
export const REPORT_SCHEMA_ID = 'https://xen-dom0-boot.invalid/schema/report.schema.json';

export type CommandName = 'learn' | 'boot' | 'check' | 'drift';

/** A named step of a run, as progress, the log, JUnit and the report all see it. */
export interface StepJson {
  name: string;
  status: 'ok' | 'failed' | 'skipped' | 'interrupted';
  /** From the run's start. */
  startMs: number;
  ms: number;
  detail: string | null;
}

/** Dom0 after the hand-over: its patterns seen and missing, its last lines. */
export interface Dom0Json {
  status: 'not-watched' | 'up' | 'failed' | 'silent' | 'crashed' | 'pending';
  /** Patterns seen so far (source text). */
  seen: string[];
  /** Patterns never seen (source text). */
  missing: string[];
  failureLine: string | null;
  /** Last lines Dom0 printed. */
  lines: string[];
  /** From the hand-over to the last success pattern. */
  upAfterMs: number | null;
}

export interface BootDurationsJson {
  qemuStartToFirstXenLineMs: number | null;
  qemuStartToHandoverMs: number | null;
  qemuStartToDom0UpMs: number | null;
  stopMs: number;
  qemuLifetimeMs: number;
}

export type StopReason = 'handed-over' | 'dom0-up' | 'dom0-failed' | 'dom0-silent' | 'xen-failure' | 'qemu-exited' | 'timeout';

export interface BootJson {
  qemuArgv: string[];
  qemuCommand: string;
  serialLog: string;
  dtb: string | null;
  stopReason: StopReason | null;
  serialLines: number;
  events: { kind: string; line: number; [key: string]: unknown }[];
  dom0: Dom0Json;
  /** QEMU starts it took (more than 1 only after a transient start failure). */
  attempts: number;
  durations: BootDurationsJson | null;
}

export interface PassJson {
  pass: number;
  dir: string;
  overlay: string;
  built: LayoutJson;
  learned: LayoutJson | null;
  changes: FieldChange[];
  rebuildNeeded: boolean;
  build: {
    image: string;
    imageSize: number;
    ms: number;
    reused: boolean;
    log: string;
    commands: string[][];
    /** The build outputs checked against the layout (ELF, .config, merged devicetree); empty when none existed. */
    verified: string[];
    /** The merged devicetree the overlay's targets were read from, or 'default' (qemu_cortex_a53 with xen_dom0). */
    targets: string;
  };
  /** Index of this pass's boot in `boots`. */
  boot: number;
}

/** What the machine was: shared by every command that boots. */
export interface MachineInputs {
  profile: string;
  xen: string;
  qemu: string;
  qemuSource: string;
  memory: string;
  dom0Mem: string;
  /** Xen's command line as Xen was given it (the user's dtb's own when --dtb named one). */
  xenBootargs: string;
  dom0Bootargs: string;
  loadAddr: string;
}

export interface LearnInputs extends MachineInputs {
  image: string;
  imageSource: 'option' | 'test-image';
  imageSize: number;
  moduleSize: string;
  dtbSource: string;
  timeoutSeconds: number;
}

export interface BootInputs extends MachineInputs {
  builder: string;
  build: unknown;
  buildDir: string;
  buildOverlay: string;
  /** Where pass 1's layout came from (the same as `start.from`). */
  startLayout: StartJson['from'];
  successPatterns: string[];
  maxPasses: number;
}

/** How a boot or check got its first layout (src/pipeline/start-layout.ts). */
export interface StartJson {
  from: 'lock file' | 'recorded' | 'probe boot' | 'placeholder';
  /** --start-layout: auto, probe or placeholder. */
  mode: 'auto' | 'probe' | 'placeholder';
  reason: string;
  /** The deciding inputs that differ from those the lock was learned with. */
  lockChanges: InputChange[];
  /** The record a boot with the same inputs left (from: recorded). */
  recorded: { file: string; learnedAt: string; run: string } | null;
  /** The probe boot with a stand-in image, when one was tried; `boot` indexes `boots` (null: the stand-in could not be made). */
  probe: {
    image: string;
    imageSize: number;
    sizeFrom: 'last build' | 'lock' | 'estimate';
    boot: number | null;
    failure: { code: string; message: string } | null;
  } | null;
}

export interface DriftInputs {
  image: string;
  qemu: string;
  qemuSource: string;
  jobs: number;
  matrix: { xen: string[]; memory: string[]; dom0Mem: string[]; xenArgs: string[] };
  /** --shard K/N; null: the whole matrix. */
  shard: { index: number; total: number } | null;
  /** drift merge: the shards' run folders. */
  mergedFrom?: string[];
}

export type ReportInputs = LearnInputs | BootInputs | DriftInputs;

export interface FailureJson {
  stage: string;
  code: string;
  exitCode: number;
  message: string;
  details: FailureDetails;
}

export interface ReportJson {
  $schema: string;
  schemaVersion: number;
  tool: { name: string; version: string };
  command: CommandName;
  result: 'ok' | 'failed';
  failure: FailureJson | null;
  startedAt: string;
  endedAt: string;
  runDir: string;
  /** null when the run failed before its inputs were known (a config error, a missing file). */
  inputs: ReportInputs | null;
  steps: StepJson[];
  layout: LayoutJson | null;
  boots: BootJson[];
  durations: Record<string, number>;
  /** What the user should know although the run went on, e.g. a QEMU older than 8.2. */
  warnings: string[];
  /** boot and check: */
  /** boot and check: how pass 1's layout was obtained. */
  start?: StartJson;
  passes?: PassJson[];
  converged?: boolean;
  overlay?: string | null;
  lockFile?: string | null;
  /** drift: where the rows are. */
  drift?: { file: string; combinations: number; failed: number };
}

/** The inputs of a boot or check run, when it got that far. */
export const bootInputsOf = (report: ReportJson): BootInputs | null =>
  (report.command === 'boot' || report.command === 'check') && report.inputs ? (report.inputs as BootInputs) : null;

/** The QEMU and Xen a run used (learn, boot, check), when it got that far. */
export const machineOf = (report: ReportJson): MachineInputs | null =>
  report.command !== 'drift' && report.inputs ? (report.inputs as MachineInputs) : null;

export function failureJson(error: ToolError | null): FailureJson | null {
  if (!error) return null;
  return { stage: error.stage, code: error.code, exitCode: error.exitCode, message: error.message, details: { ...error.details } };
}

/** What a command learned, as it learned it: the run skeleton turns it into report.json at the end, failed or not. */
export interface RunRecord {
  inputs: ReportInputs | null;
  layout: Layout | null;
  boots: BootJson[];
  durations: Record<string, number>;
  warnings: string[];
  start?: StartJson;
  passes?: { passes: PassJson[]; converged: boolean; overlay: string | null; lockFile: string | null };
  drift?: ReportJson['drift'];
}

export const emptyRecord = (): RunRecord => ({ inputs: null, layout: null, boots: [], durations: {}, warnings: [] });

export function buildReport(parts: {
  tool: { name: string; version: string };
  command: CommandName;
  startedAt: Date;
  endedAt: Date;
  runDir: string;
  record: RunRecord;
  steps: StepJson[];
  failure: ToolError | null;
}): ReportJson {
  const { record } = parts;
  return {
    $schema: REPORT_SCHEMA_ID,
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: parts.tool,
    command: parts.command,
    result: parts.failure ? 'failed' : 'ok',
    failure: failureJson(parts.failure),
    startedAt: parts.startedAt.toISOString(),
    endedAt: parts.endedAt.toISOString(),
    runDir: parts.runDir,
    inputs: record.inputs,
    steps: parts.steps,
    layout: record.layout ? layoutToJson(record.layout) : null,
    boots: record.boots,
    durations: record.durations,
    warnings: record.warnings,
    ...(record.start ? { start: record.start } : {}),
    ...(record.passes ?? {}),
    ...(record.drift ? { drift: record.drift } : {}),
  };
}
