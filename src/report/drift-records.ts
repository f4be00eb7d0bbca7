/** drift.json's record types (schema/drift.schema.json): one row per combination of the matrix. */
import type { LayoutJson } from '../xen/layout-json.js';

export const DRIFT_SCHEMA_VERSION = 1;
/** The schema's $id; the file ships as schema/drift.schema.json. */
export const DRIFT_SCHEMA_ID = 'https://xen-dom0-boot.invalid/schema/drift.schema.json';

/** One combination of the matrix. */
export interface ComboJson {
  index: number;
  /** As the user named it: a path, or a version fetched by setup ("4.17", "4.20"). */
  xenLabel: string;
  xen: string;
  memory: string;
  dom0Mem: string;
  xenArgs: string;
}

export interface DriftRow {
  combo: ComboJson;
  layout: LayoutJson | null;
  /** How the combination failed; `serialTail`: Xen's last lines when it booted. */
  failure: { code: string; stage: string; message: string; serialTail?: string[] } | null;
  runDir: string;
  bootMs: number | null;
  handoverMs: number | null;
}

/** drift.json as a run writes it (a shard's, or a merge of shards). */
export interface DriftJson {
  $schema: string;
  schemaVersion: number;
  tool: { name: string; version: string };
  command: 'drift';
  startedAt: string;
  runDir: string;
  image: string;
  jobs: number;
  wallMs: number;
  matrix: { xen: string[]; memory: string[]; dom0Mem: string[]; xenArgs: string[] };
  /** This run's slice of the matrix (--shard K/N); null: all of it, or a merge. */
  shard: { index: number; total: number } | null;
  /** drift merge: the shards' run folders. */
  mergedFrom?: string[];
  rows: DriftRow[];
}
