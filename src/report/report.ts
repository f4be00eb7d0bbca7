/** Builds report.json (schema/report.schema.json): a pure function of what the run learned. */
import type { ToolError } from '../base/errors.js';
import type { BootRecord } from '../pipeline/boot.js';
import type { Dom0Outcome } from '../pipeline/dom0-watch.js';
import type { FieldChange } from '../xen/layout-diff.js';
import type { Layout } from '../xen/layout.js';
import { layoutToJson, type LayoutJson } from '../xen/layout-json.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface BootJson {
  qemuArgv: string[];
  qemuCommand: string;
  serialLog: string;
  dtb: string | null;
  stopReason: BootRecord['stopReason'] | null;
  serialLines: number;
  events: { kind: string; line: number; [key: string]: unknown }[];
  dom0: Dom0Outcome;
  /** QEMU starts it took (more than 1 only after a transient start failure). */
  attempts: number;
  durations: BootRecord['durations'] | null;
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
  boot: number;
}

export interface ReportJson {
  schemaVersion: number;
  tool: { name: string; version: string };
  command: string;
  result: 'ok' | 'failed';
  failure: { stage: string; code: string; exitCode: number; message: string; details: Record<string, unknown> } | null;
  startedAt: string;
  runDir: string;
  inputs: Record<string, unknown>;
  layout: LayoutJson | null;
  boots: BootJson[];
  durations: Record<string, number>;
  /** What the user should know although the run went on, e.g. a QEMU older than 8.2. */
  warnings: string[];
  passes?: PassJson[];
  converged?: boolean;
  overlay?: string | null;
  lockFile?: string | null;
}

export function failureJson(error: ToolError | null): ReportJson['failure'] {
  if (!error) return null;
  return { stage: error.stage, code: error.code, exitCode: error.exitCode, message: error.message, details: error.details };
}

/** One boot as the report shows it; `record` is null when QEMU never ran. */
export function bootJson(parts: {
  qemuArgv: string[];
  qemuCommand: string;
  serialLog: string;
  dtb: string | null;
  record: (BootRecord & { attempts?: number }) | null;
}): BootJson {
  const { record } = parts;
  return {
    qemuArgv: parts.qemuArgv,
    qemuCommand: parts.qemuCommand,
    serialLog: parts.serialLog,
    dtb: parts.dtb,
    stopReason: record?.stopReason ?? null,
    serialLines: record?.serialLines ?? 0,
    events: record?.events.map((e) => ({ ...e })) ?? [],
    dom0: record?.dom0 ?? { status: 'not-watched', seen: [], missing: [], failureLine: null, lines: [], upAfterMs: null },
    attempts: record?.attempts ?? (record ? 1 : 0),
    durations: record?.durations ?? null,
  };
}

export function buildReport(parts: {
  tool: { name: string; version: string };
  command: string;
  startedAt: Date;
  runDir: string;
  inputs: Record<string, unknown>;
  layout: Layout | null;
  boots: BootJson[];
  failure: ToolError | null;
  durations: Record<string, number>;
  warnings?: string[];
  passes?: { passes: PassJson[]; converged: boolean; overlay: string | null; lockFile: string | null };
}): ReportJson {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: parts.tool,
    command: parts.command,
    result: parts.failure ? 'failed' : 'ok',
    failure: failureJson(parts.failure),
    startedAt: parts.startedAt.toISOString(),
    runDir: parts.runDir,
    inputs: parts.inputs,
    layout: parts.layout ? layoutToJson(parts.layout) : null,
    boots: parts.boots,
    durations: parts.durations,
    warnings: parts.warnings ?? [],
    ...(parts.passes ?? {}),
  };
}
