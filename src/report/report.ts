/** Builds report.json (schema/report.schema.json): a pure function of what the run learned. */
import type { ToolError } from '../errors.js';
import type { BootRecord } from '../pipeline/boot.js';
import { layoutToJson, type LayoutJson } from './layout-json.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface BootJson {
  qemuArgv: string[];
  qemuCommand: string;
  serialLog: string;
  dtb: string | null;
  stopReason: BootRecord['stopReason'] | null;
  serialLines: number;
  events: { kind: string; line: number; [key: string]: unknown }[];
  durations: BootRecord['durations'] | null;
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
}

export function failureJson(error: ToolError | null): ReportJson['failure'] {
  if (!error) return null;
  return { stage: error.stage, code: error.code, exitCode: error.exitCode, message: error.message, details: error.details };
}

/** Assembles the report; `boot` is absent when the run failed before QEMU started. */
export function buildReport(parts: {
  tool: { name: string; version: string };
  command: string;
  startedAt: Date;
  runDir: string;
  inputs: Record<string, unknown>;
  boot: (BootJson & { record: BootRecord | null }) | null;
  failure: ToolError | null;
  durations: Record<string, number>;
}): ReportJson {
  const record = parts.boot?.record ?? null;
  const boots: BootJson[] = parts.boot
    ? [
        {
          qemuArgv: parts.boot.qemuArgv,
          qemuCommand: parts.boot.qemuCommand,
          serialLog: parts.boot.serialLog,
          dtb: parts.boot.dtb,
          stopReason: record?.stopReason ?? null,
          serialLines: record?.serialLines ?? 0,
          events: record?.events.map((e) => ({ ...e })) ?? [],
          durations: record?.durations ?? null,
        },
      ]
    : [];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: parts.tool,
    command: parts.command,
    result: parts.failure ? 'failed' : 'ok',
    failure: failureJson(parts.failure),
    startedAt: parts.startedAt.toISOString(),
    runDir: parts.runDir,
    inputs: parts.inputs,
    layout: record ? layoutToJson(record.layout) : null,
    boots,
    durations: parts.durations,
  };
}
