/**
 * report.json (v2) and drift.json (v1) against schema/*.schema.json, with formats and Ajv's strict
 * mode on, plus what a schema cannot say (exitCode = EXIT_CODES[code], endedAt after startedAt, a
 * drift summary that matches its drift.json); and a whole run folder with its JUnit file.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { EXIT_CODES, type ErrorCode } from '../../src/base/errors.js';
import type { DriftJson } from '../../src/report/drift-records.js';
import type { ReportJson } from '../../src/report/report.js';

export const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema');
export const REPORT_SCHEMA_ID = 'https://xen-dom0-boot.invalid/schema/report.schema.json';
export const DRIFT_SCHEMA_ID = 'https://xen-dom0-boot.invalid/schema/drift.schema.json';

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** The committed schemas, as parsed JSON. */
export const reportSchema = readJson(path.join(SCHEMA_DIR, 'report.schema.json'));
export const driftSchema = readJson(path.join(SCHEMA_DIR, 'drift.schema.json'));

/** An Ajv as strict as it goes (unknown keywords, loose types and undefined required keys all throw), with formats checked. */
export function strictAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  ajvFormats.default(ajv);
  return ajv.addSchema(reportSchema).addSchema(driftSchema);
}

let compiled: { report: ValidateFunction; drift: ValidateFunction } | null = null;
function validators(): { report: ValidateFunction; drift: ValidateFunction } {
  if (!compiled) {
    const ajv = strictAjv();
    compiled = { report: ajv.getSchema(REPORT_SCHEMA_ID)!, drift: ajv.getSchema(DRIFT_SCHEMA_ID)! };
  }
  return compiled;
}

/** One line per Ajv error: where, what, and the parameters (the unknown key, the allowed values). */
export function formatErrors(errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => {
      const params = Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : '';
      return `  ${e.instancePath || '(root)'} ${e.message ?? e.keyword}${params}`;
    })
    .join('\n');
}

function check(validate: ValidateFunction, json: unknown, what: string): void {
  if (validate(json)) return;
  const errors = validate.errors ?? [];
  assert.fail(`${what} does not match its schema (${errors.length} error(s)):\n${formatErrors(errors)}`);
}

/** Throws an AssertionError listing every problem when `json` is not a valid report.json (v2). */
export function validateReport(json: unknown): void {
  check(validators().report, json, 'report.json');
  const report = json as ReportJson;
  const problems: string[] = [];
  if (report.failure) {
    const expected = EXIT_CODES[report.failure.code as ErrorCode];
    if (report.failure.exitCode !== expected) {
      problems.push(`/failure/exitCode is ${report.failure.exitCode} but EXIT_CODES.${report.failure.code} is ${expected}`);
    }
  }
  if (Date.parse(report.endedAt) < Date.parse(report.startedAt)) {
    problems.push(`/endedAt ${report.endedAt} is before /startedAt ${report.startedAt}`);
  }
  // Steps are in the command's plan order (drift: matrix order, booted costliest first; a merge's carry
  // their shard's times), each named once: a JUnit test case each.
  report.steps.forEach((step, i) => {
    if (report.steps.findIndex((s) => s.name === step.name) !== i) problems.push(`/steps/${i} "${step.name}" is listed twice`);
  });
  report.passes?.forEach((pass, i) => {
    if (pass.boot >= report.boots.length) problems.push(`/passes/${i}/boot is ${pass.boot} but there are ${report.boots.length} boot(s)`);
  });
  if (report.drift && report.drift.failed > report.drift.combinations) {
    problems.push(`/drift/failed ${report.drift.failed} is more than /drift/combinations ${report.drift.combinations}`);
  }
  if (problems.length > 0) assert.fail(`report.json is inconsistent:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

/** drift.json (v1): the tool's own record type, which the schema describes. */
export type { DriftJson };

/** Throws an AssertionError listing every problem when `json` is not a valid drift.json (v1). */
export function validateDrift(json: unknown): void {
  check(validators().drift, json, 'drift.json');
  const drift = json as DriftJson;
  const problems: string[] = [];
  drift.rows.forEach((row, i) => {
    const previous = drift.rows[i - 1];
    if (previous && row.combo.index <= previous.combo.index) {
      problems.push(`/rows/${i}/combo/index ${row.combo.index} does not follow ${previous.combo.index}: rows are in the matrix's order`);
    }
    const fromMatrix: [keyof DriftJson['matrix'], string][] = [
      ['xen', row.combo.xenLabel],
      ['memory', row.combo.memory],
      ['dom0Mem', row.combo.dom0Mem],
      ['xenArgs', row.combo.xenArgs],
    ];
    for (const [list, value] of fromMatrix) {
      if (!drift.matrix[list].includes(value)) problems.push(`/rows/${i}/combo: ${JSON.stringify(value)} is not in /matrix/${list}`);
    }
  });
  const combinations = Object.values(drift.matrix).reduce((n, list) => n * list.length, 1);
  if (drift.rows.length > combinations) problems.push(`${drift.rows.length} rows but the matrix has ${combinations} combination(s)`);
  if (problems.length > 0) assert.fail(`drift.json is inconsistent:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

function readJsonFile(file: string, what: string): unknown {
  assert.ok(existsSync(file), `${what}: ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    assert.fail(`${what}: ${file} is not JSON: ${(error as Error).message}`);
  }
}

const samePath = (a: string, b: string): boolean => {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : path.resolve(p));
  return real(a) === real(b);
};

/** The counts of a JUnit file's <testsuites> root. */
export interface JunitCounts {
  tests: number;
  failures: number;
}

/** A JUnit file must be well-formed XML with a <testsuites> root whose tests and failures are integers. */
export function assertJunit(file: string): JunitCounts {
  assert.ok(existsSync(file), `JUnit: ${file} does not exist`);
  const xml = readFileSync(file, 'utf8');
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    assert.fail(`JUnit: ${file} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false }).parse(xml) as Record<
    string,
    unknown
  >;
  const roots = Object.keys(doc).filter((key) => key !== '?xml');
  assert.deepEqual(
    roots,
    ['testsuites'],
    `JUnit: ${file} must have one <testsuites> root, has ${roots.map((r) => `<${r}>`).join(', ') || 'none'}`,
  );
  const root = doc.testsuites as Record<string, unknown> | string;
  const attribute = (name: string): number => {
    const value = typeof root === 'object' && root !== null ? root[`@_${name}`] : undefined;
    assert.ok(
      typeof value === 'string' && /^\d+$/.test(value),
      `JUnit: ${file}: <testsuites ${name}> must be an integer, is ${JSON.stringify(value)}`,
    );
    return Number(value);
  };
  const counts = { tests: attribute('tests'), failures: attribute('failures') };
  assert.ok(counts.failures <= counts.tests, `JUnit: ${file}: ${counts.failures} failures out of ${counts.tests} tests`);
  return counts;
}

/**
 * Checks a run folder: `<runDir>/report.json` is a valid v2 report of this folder; a drift report's
 * drift.json is valid and agrees with the report's summary; `junit`, when given, is a JUnit file.
 */
export function assertReportFolder(
  runDir: string,
  options: { junit?: string } = {},
): { report: ReportJson; drift: DriftJson | null; junit: JunitCounts | null } {
  const file = path.join(runDir, 'report.json');
  const report = readJsonFile(file, 'report.json') as ReportJson;
  try {
    validateReport(report);
  } catch (error) {
    if (error instanceof assert.AssertionError) error.message = `${file}: ${error.message}`;
    throw error;
  }
  assert.ok(samePath(report.runDir, runDir), `${file}: runDir is ${report.runDir}, not the folder it is in (${runDir})`);
  let drift: DriftJson | null = null;
  if (report.drift) {
    const driftFile = path.resolve(runDir, report.drift.file);
    drift = readJsonFile(driftFile, 'drift.json') as DriftJson;
    try {
      validateDrift(drift);
    } catch (error) {
      if (error instanceof assert.AssertionError) error.message = `${driftFile}: ${error.message}`;
      throw error;
    }
    assert.equal(drift.rows.length, report.drift.combinations, `${driftFile}: rows disagree with report.json's drift.combinations`);
    assert.equal(
      drift.rows.filter((row) => row.failure !== null).length,
      report.drift.failed,
      `${driftFile}: failed rows disagree with report.json's drift.failed`,
    );
    assert.ok(samePath(drift.runDir, report.runDir), `${driftFile}: runDir ${drift.runDir} is not report.json's ${report.runDir}`);
  }
  return { report, drift, junit: options.junit === undefined ? null : assertJunit(options.junit) };
}

/**
 * A deep copy of `doc` with changes at JSON pointers ('/failure/details/bogus'); undefined deletes
 * the key. For building one-thing-wrong documents from a valid one.
 */
export function patched(doc: object, changes: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(doc) as Record<string, unknown>;
  for (const [pointer, value] of Object.entries(changes)) {
    const keys = pointer.split('/').slice(1);
    const last = keys.pop();
    assert.ok(last !== undefined, `patched: ${pointer} is not a JSON pointer`);
    let node = copy;
    for (const key of keys) {
      assert.ok(typeof node[key] === 'object' && node[key] !== null, `patched: ${pointer}: nothing at ${key}`);
      node = node[key] as Record<string, unknown>;
    }
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy;
}
