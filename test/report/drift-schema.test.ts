/** schema/drift.schema.json (v1) itself, and a drift run folder: report.json's summary against its drift.json. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import {
  assertReportFolder,
  DRIFT_SCHEMA_ID,
  driftSchema,
  patched,
  REPORT_SCHEMA_ID,
  strictAjv,
  validateDrift,
} from '../helpers/schema.js';
import { tempDir } from '../helpers/tmp.js';

const STARTED = '2026-11-24T07:00:00.000Z';
const TOOL = { name: 'xen-dom0-boot', version: '0.1.0' };

const layout = (bank = '0x40000000') => ({
  xenVersion: '4.20.0',
  dom0Banks: [{ start: bank, end: '0x50000000' }],
  grantTable: { start: '0x38000000', end: '0x38040000' },
  extendedRegions: [{ start: '0x0', end: '0x38000000' }],
  eventChannelPpi: 31,
  kernel: { start: '0x40600000', end: '0x40800000' },
  dom0Dtb: null,
});

const combo = (index: number, xenLabel: string, dom0Mem: string) => ({
  index,
  xen: `/cache/xen/${xenLabel}/xen`,
  xenLabel,
  memory: '6G',
  dom0Mem,
  xenArgs: '',
});

/** Two Xens by two dom0_mem: one boot Xen refused, one that never started. */
function driftJson() {
  return {
    $schema: DRIFT_SCHEMA_ID,
    schemaVersion: 1,
    tool: TOOL,
    command: 'drift',
    startedAt: STARTED,
    runDir: '/runs/drift',
    image: '/cache/test-image/Image',
    jobs: 2,
    wallMs: 4300,
    matrix: { xen: ['4.17', '4.20'], memory: ['6G'], dom0Mem: ['256M', '1G'], xenArgs: [''] },
    shard: null,
    rows: [
      { combo: combo(0, '4.17', '256M'), layout: layout(), failure: null, runDir: '/runs/drift/combo-01', bootMs: 2000, handoverMs: 1800 },
      {
        combo: combo(1, '4.17', '1G'),
        layout: layout('0x48000000'),
        failure: null,
        runDir: '/runs/drift/combo-02',
        bootMs: 2100,
        handoverMs: 1900,
      },
      {
        combo: combo(2, '4.20', '256M'),
        layout: { ...layout(), dom0Banks: [], grantTable: null },
        failure: { code: 'DOM0_NOT_BUILT', stage: 'xen-boot', message: 'Xen could not build Dom0: "not enough memory"' },
        runDir: '/runs/drift/combo-03',
        bootMs: 2000,
        handoverMs: null,
      },
      {
        combo: combo(3, '4.20', '1G'),
        layout: null,
        failure: { code: 'DTB_FAILED', stage: 'dtb', message: "cannot dump QEMU's device tree" },
        runDir: '/runs/drift/combo-04',
        bootMs: null,
        handoverMs: null,
      },
    ],
  };
}

/** Asserts `validateDrift` throws an AssertionError whose message matches every pattern. */
function rejects(doc: unknown, ...patterns: RegExp[]): void {
  assert.throws(
    () => validateDrift(doc),
    (error: unknown) => {
      assert.ok(error instanceof assert.AssertionError, `expected an AssertionError, got ${String(error)}`);
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('drift.json schema v1', () => {
  it('compiles under Ajv strict mode, its shared definitions taken from report.schema.json', () => {
    assert.equal(driftSchema.$id, DRIFT_SCHEMA_ID);
    assert.equal(typeof strictAjv().getSchema(DRIFT_SCHEMA_ID), 'function');
    // Without report.schema.json beside it, its references do not resolve.
    assert.throws(
      () => new Ajv({ strict: true, allowUnionTypes: true }).compile(driftSchema),
      /can't resolve reference report\.schema\.json#\/definitions\//,
    );
  });

  it('accepts a run with ok rows, a row that failed after Xen spoke and one that never booted', () => validateDrift(driftJson()));

  it('accepts a run whose every combination failed before booting', () =>
    validateDrift(
      patched(driftJson(), {
        '/rows': driftJson().rows.map((row) => ({
          ...row,
          layout: null,
          failure: { code: 'QEMU_START_FAILED', stage: 'qemu-start', message: 'spawn failed' },
          bootMs: null,
          handoverMs: null,
        })),
      }),
    ));

  it('refuses a wrong schemaVersion, a missing $schema, a bad startedAt', () => {
    rejects(patched(driftJson(), { '/schemaVersion': 2 }), /\/schemaVersion must be equal to constant \{"allowedValue":1\}/);
    rejects(patched(driftJson(), { '/$schema': undefined }), /\(root\) must have required property '\$schema'/);
    rejects(patched(driftJson(), { '/$schema': REPORT_SCHEMA_ID }), /\/\$schema must be equal to constant/);
    rejects(patched(driftJson(), { '/startedAt': 'Tue Nov 24 2026' }), /\/startedAt must match format "date-time"/);
  });

  it('refuses a row with a bad address', () => {
    rejects(
      patched(driftJson(), { '/rows/0/layout/dom0Banks/0/start': '0x4000000G' }),
      /\/rows\/0\/layout\/dom0Banks\/0\/start must match pattern/,
    );
    rejects(patched(driftJson(), { '/rows/1/layout/grantTable/end': '38040000' }), /\/rows\/1\/layout\/grantTable\/end must match pattern/);
  });

  it('refuses an ok row without its layout or boot time', () => {
    rejects(patched(driftJson(), { '/rows/0/layout': null }), /\/rows\/0\/layout must be object/);
    rejects(patched(driftJson(), { '/rows/1/bootMs': null }), /\/rows\/1\/bootMs must be integer/);
  });

  it('refuses a row failure with an unknown code or stage, or an exit code it does not carry', () => {
    rejects(
      patched(driftJson(), { '/rows/2/failure/code': 'DOM0_GONE' }),
      /\/rows\/2\/failure\/code must be equal to one of the allowed values/,
    );
    rejects(
      patched(driftJson(), { '/rows/2/failure/stage': 'boot' }),
      /\/rows\/2\/failure\/stage must be equal to one of the allowed values/,
    );
    rejects(
      patched(driftJson(), { '/rows/2/failure/exitCode': 8 }),
      /\/rows\/2\/failure must NOT have additional properties \{"additionalProperty":"exitCode"\}/,
    );
  });

  it('refuses bad numbers: jobs 0, a negative index, a fractional wallMs, a negative handoverMs', () => {
    rejects(patched(driftJson(), { '/jobs': 0 }), /\/jobs must be >= 1/);
    rejects(patched(driftJson(), { '/rows/0/combo/index': -1 }), /\/rows\/0\/combo\/index must be >= 0/);
    rejects(patched(driftJson(), { '/wallMs': 4300.5 }), /\/wallMs must be integer/);
    rejects(patched(driftJson(), { '/rows/0/handoverMs': -3 }), /\/rows\/0\/handoverMs must be >= 0/);
  });

  it('refuses unknown keys and a bad memory size', () => {
    rejects(
      patched(driftJson(), { '/rows/0/notes': 'x' }),
      /\/rows\/0 must NOT have additional properties \{"additionalProperty":"notes"\}/,
    );
    rejects(patched(driftJson(), { '/rows/0/combo/memory': '6 GB' }), /\/rows\/0\/combo\/memory must match pattern/);
    rejects(patched(driftJson(), { '/matrix/dom0Mem': [] }), /\/matrix\/dom0Mem must NOT have fewer than 1 items/);
    rejects(patched(driftJson(), { '/command': 'learn' }), /\/command must be equal to constant/);
  });

  it('refuses rows out of the matrix order, and combinations the matrix does not hold (the helper)', () => {
    const rows = driftJson().rows;
    rejects(patched(driftJson(), { '/rows': [rows[1], rows[0], rows[2], rows[3]] }), /\/rows\/1\/combo\/index 0 does not follow 1/);
    rejects(patched(driftJson(), { '/rows/3/combo/dom0Mem': '512M' }), /\/rows\/3\/combo: "512M" is not in \/matrix\/dom0Mem/);
    rejects(patched(driftJson(), { '/rows/3/combo/xenLabel': '4.19' }), /\/rows\/3\/combo: "4\.19" is not in \/matrix\/xen/);
    rejects(
      patched(driftJson(), { '/matrix/dom0Mem': ['256M'], '/rows': rows.map((r) => ({ ...r, combo: { ...r.combo, dom0Mem: '256M' } })) }),
      /4 rows but the matrix has 2 combination/,
    );
  });
});

/** A drift report.json, as the run skeleton writes it. */
function driftReport(runDir: string) {
  return {
    $schema: REPORT_SCHEMA_ID,
    schemaVersion: 2,
    tool: TOOL,
    command: 'drift',
    result: 'ok',
    failure: null,
    startedAt: STARTED,
    endedAt: '2026-11-24T07:00:04.300Z',
    runDir,
    inputs: {
      image: '/cache/test-image/Image',
      qemu: '/usr/bin/qemu-system-aarch64',
      qemuSource: 'path',
      jobs: 2,
      matrix: driftJson().matrix,
      shard: null,
    },
    steps: [1, 2, 3, 4].map((n) => ({
      name: `combination ${n}/4`,
      status: n > 2 ? 'failed' : 'ok',
      startMs: 100 * n,
      ms: 2000,
      detail: null,
    })),
    layout: null,
    boots: [],
    durations: { totalMs: 4300 },
    warnings: [],
    drift: { file: 'drift.json', combinations: 4, failed: 2 },
  };
}

/** A drift run folder: report.json and drift.json, both with the folder as runDir. */
function driftFolder(report: (dir: string) => object = driftReport, drift: object = driftJson()): string {
  const dir = path.join(tempDir('drift-schema'), 'run');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report(dir)));
  writeFileSync(path.join(dir, 'drift.json'), JSON.stringify(patched(drift, { '/runDir': dir })));
  return dir;
}

describe('assertReportFolder on a drift run', () => {
  it('accepts a report whose summary matches its drift.json, and returns both', () => {
    const dir = driftFolder();
    const read = assertReportFolder(dir);
    assert.equal(read.report.drift?.combinations, 4);
    assert.equal(read.drift?.rows.length, 4);
  });

  it('refuses a summary whose counts disagree with the rows', () => {
    const combinations = driftFolder((dir) => patched(driftReport(dir), { '/drift/combinations': 3 }));
    assert.throws(() => assertReportFolder(combinations), /rows disagree with report\.json's drift\.combinations/);
    const failed = driftFolder((dir) => patched(driftReport(dir), { '/drift/failed': 1 }));
    assert.throws(() => assertReportFolder(failed), /failed rows disagree with report\.json's drift\.failed/);
  });

  it('refuses a summary naming a drift.json that is not there', () => {
    const dir = driftFolder((d) => patched(driftReport(d), { '/drift/file': 'elsewhere.json' }));
    assert.throws(() => assertReportFolder(dir), /drift\.json: .*elsewhere\.json does not exist/);
  });

  it('refuses an invalid drift.json, naming the file', () => {
    const dir = driftFolder(driftReport, patched(driftJson(), { '/rows/0/layout/kernel/start': '0X40600000' }));
    assert.throws(
      () => assertReportFolder(dir),
      (error: Error) => {
        assert.ok(error.message.includes(path.join(dir, 'drift.json')), error.message);
        assert.match(error.message, /\/rows\/0\/layout\/kernel\/start must match pattern/);
        return true;
      },
    );
  });
});
