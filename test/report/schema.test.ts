/** schema/report.schema.json (v2) itself: hand-built reports of each command pass, one-thing-wrong ones fail and say why. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { EXIT_CODES } from '../../src/base/errors.js';
import { assertReportFolder, patched, REPORT_SCHEMA_ID, reportSchema, SCHEMA_DIR, strictAjv, validateReport } from '../helpers/schema.js';
import { tempDir } from '../helpers/tmp.js';

const STARTED = '2026-11-24T07:00:00.000Z';
const ENDED = '2026-11-24T07:00:09.500Z';
const TOOL = { name: 'xen-dom0-boot', version: '0.1.0' };

const layout = () => ({
  xenVersion: '4.20.0',
  dom0Banks: [{ start: '0x40000000', end: '0x50000000' }],
  grantTable: { start: '0x38000000', end: '0x38040000' },
  extendedRegions: [{ start: '0x0', end: '0x38000000' }],
  eventChannelPpi: 31,
  kernel: { start: '0x40600000', end: '0x40800000' },
  dom0Dtb: { start: '0x48000000', end: '0x48002000' },
});

/** The same layout after Xen moved Dom0's bank and grant table. */
const movedLayout = () => ({
  ...layout(),
  dom0Banks: [{ start: '0x60000000', end: '0x70000000' }],
  grantTable: { start: '0x39000000', end: '0x39040000' },
});

const machine = () => ({
  profile: 'virt-cortex-a53',
  xen: '/cache/xen/4.20/xen',
  qemu: '/usr/bin/qemu-system-aarch64',
  qemuSource: 'path',
  memory: '6G',
  dom0Mem: '256M',
  xenBootargs: 'bootscrub=0 dom0_mem=256M console=dtuart',
  dom0Bootargs: 'console=hvc0',
  loadAddr: '0x40600000',
});

const learnInputs = () => ({
  ...machine(),
  image: '/cache/test-image/Image',
  imageSource: 'test-image',
  imageSize: 65536,
  moduleSize: '0x200000',
  dtbSource: 'qemu-dumpdtb',
  timeoutSeconds: 60,
});

const bootInputs = () => ({
  ...machine(),
  builder: 'demo',
  build: { type: 'demo' },
  buildDir: '/work/build',
  buildOverlay: '/work/build.overlay',
  startLayout: 'placeholder',
  successPatterns: ['Hello from Dom0'],
  maxPasses: 3,
});

const bootJson = (dom0Status = 'not-watched') => ({
  qemuArgv: ['qemu-system-aarch64', '-machine', 'virt'],
  qemuCommand: 'qemu-system-aarch64 -machine virt',
  serialLog: '/runs/x/serial.log',
  dtb: '/runs/x/xen.dtb',
  stopReason: dom0Status === 'up' ? 'dom0-up' : dom0Status === 'silent' ? 'dom0-silent' : 'handed-over',
  serialLines: 120,
  events: [{ kind: 'handover', line: 118 }],
  durations: { qemuStartToFirstXenLineMs: 300, qemuStartToHandoverMs: 2100, qemuStartToDom0UpMs: null, stopMs: 20, qemuLifetimeMs: 2200 },
  dom0: {
    status: dom0Status,
    seen: [],
    missing: dom0Status === 'not-watched' ? [] : ['Hello from Dom0'],
    failureLine: null,
    lines: [],
    upAfterMs: null,
  },
  attempts: 1,
});

const passJson = (n: number, built: object, learned: object | null, changes: object[]) => ({
  pass: n,
  dir: `/runs/boot/pass-${n}`,
  overlay: `/runs/boot/pass-${n}/xen-dom0.overlay`,
  built,
  learned,
  changes,
  rebuildNeeded: changes.length > 0,
  build: {
    image: '/work/build/zephyr/zephyr.bin',
    imageSize: 65536,
    ms: 1500,
    log: `/runs/boot/pass-${n}/build.log`,
    commands: [['west', 'build']],
    reused: false,
    verified: ['/work/build/zephyr/zephyr.elf'],
    targets: 'default',
  },
  boot: n - 1,
});

const step = (name: string, startMs: number, ms: number, status = 'ok', detail: string | null = null) => ({
  name,
  status,
  startMs,
  ms,
  detail,
});

const common = (command: string) => ({
  $schema: REPORT_SCHEMA_ID,
  schemaVersion: 2,
  tool: TOOL,
  command,
  startedAt: STARTED,
  endedAt: ENDED,
  runDir: `/runs/${command}`,
  warnings: [],
});

function learnOk() {
  return {
    ...common('learn'),
    result: 'ok',
    failure: null,
    inputs: learnInputs(),
    steps: [step('inputs', 0, 40), step('dtb', 40, 200, 'ok', 'qemu-dumpdtb'), step('boot', 240, 2200, 'ok', 'hand-over after 2100 ms')],
    layout: layout(),
    boots: [bootJson()],
    durations: { dtbMs: 200, bootMs: 2200, totalMs: 2500 },
  };
}

/** boot that ran out of passes: Xen moved the layout every time. */
function bootFailed() {
  const changes = [
    { field: 'dom0Banks', from: layout().dom0Banks, to: movedLayout().dom0Banks },
    { field: 'grantTable', from: layout().grantTable, to: movedLayout().grantTable },
  ];
  return {
    ...common('boot'),
    result: 'failed',
    failure: {
      stage: 'converge',
      code: 'NOT_CONVERGED',
      exitCode: EXIT_CODES.NOT_CONVERGED,
      message: "Xen's layout still moved after 1 pass(es) (--max-passes): dom0Banks, grantTable changed again",
      details: { lastTwoLayouts: [layout(), movedLayout()] },
    },
    inputs: { ...bootInputs(), maxPasses: 1 },
    steps: [step('pass 1 build', 10, 1500), step('pass 1 boot', 1510, 2300, 'failed', 'NOT_CONVERGED')],
    layout: null,
    boots: [bootJson()],
    durations: { totalMs: 3900, pass1BuildMs: 1500, pass1BootMs: 2200 },
    passes: [passJson(1, layout(), movedLayout(), changes)],
    converged: false,
    overlay: null,
    lockFile: null,
  };
}

function checkOk() {
  return {
    ...common('check'),
    result: 'ok',
    failure: null,
    inputs: {
      ...bootInputs(),
      startLayout: 'lock file',
      build: { type: 'west', app: '/work/app', board: 'qemu_cortex_a53' },
      builder: 'west',
    },
    steps: [step('pass 1 build', 5, 900), step('pass 1 boot', 905, 3000, 'ok', 'Dom0 up')],
    layout: layout(),
    boots: [{ ...bootJson('up'), dom0: { ...bootJson('up').dom0, missing: [], seen: ['Hello from Dom0'], upAfterMs: 400 } }],
    durations: { totalMs: 4000, pass1BuildMs: 900, pass1BootMs: 3000 },
    start: {
      from: 'lock file',
      mode: 'auto',
      reason: 'check builds with the committed overlay',
      lockChanges: [{ input: 'qemu', lock: 'QEMU emulator version 8.2.2', now: 'QEMU emulator version 10.0.2' }],
      recorded: null,
      probe: null,
    },
    passes: [passJson(1, layout(), layout(), [])],
    converged: true,
    overlay: '/work/app/xen-dom0.overlay',
    lockFile: '/work/app/xen-dom0.lock.json',
  };
}

function driftOk() {
  return {
    ...common('drift'),
    result: 'ok',
    failure: null,
    inputs: {
      image: '/cache/test-image/Image',
      qemu: '/usr/bin/qemu-system-aarch64',
      qemuSource: 'path',
      jobs: 2,
      matrix: { xen: ['4.17', '4.20'], memory: ['6G'], dom0Mem: ['256M', '1G'], xenArgs: [''] },
      shard: null,
    },
    steps: [
      step('combination 1/4', 100, 2000),
      step('combination 2/4', 100, 2100),
      step('combination 3/4', 2100, 2000, 'failed', 'DOM0_NOT_BUILT'),
      step('combination 4/4', 2200, 1900),
    ],
    layout: null,
    boots: [],
    durations: { totalMs: 4300 },
    drift: { file: 'drift.json', combinations: 4, failed: 1 },
  };
}

/** A config error: the run failed before its inputs were known. */
function configFailure(command = 'boot') {
  return {
    ...common(command),
    endedAt: STARTED,
    result: 'failed',
    failure: {
      stage: 'config',
      code: 'CONFIG_INVALID',
      exitCode: 2,
      message: 'config file /work/xdb.json: memory: expected a QEMU memory size like 6G or 2048M',
      details: {},
    },
    inputs: null,
    steps: [step('config', 0, 3, 'failed', 'CONFIG_INVALID')],
    layout: null,
    boots: [],
    durations: { totalMs: 3 },
  };
}

const FAILURE_CODES = Object.keys(EXIT_CODES).filter((code) => code !== 'OK');
type FailureCode = Exclude<keyof typeof EXIT_CODES, 'OK'>;

const dom0Watch = () => ({
  dom0Lines: ['*** Booting Zephyr OS'],
  missingPatterns: ['Hello from Dom0'],
  builtWith: layout(),
  xenPicked: movedLayout(),
});
const command = { command: ['dtc', '-I', 'dts', '-O', 'dtb'] };

/** Each code with every fact it may carry (DetailsByCode in src/base/errors.ts); a new code fails to compile here. */
const DETAILS: Record<FailureCode, Record<string, unknown>> = {
  INTERNAL: {},
  USAGE: {},
  CONFIG_INVALID: {},
  INPUT_NOT_FOUND: {},
  DTB_MISMATCH: command,
  OUTPUT_NOT_OURS: {},
  OUTPUT_WRITE_FAILED: {},
  RUN_LOCKED: {},
  LOCK_CHANGED: {},
  OVERLAY_MISMATCH: { differences: ['reg: 0x40000000 in the overlay, 0x60000000 in the lock'] },
  BUNDLE_FAILED: {},
  TOOL_MISSING: command,
  IMAGE_BUILD_FAILED: command,
  BUILD_FAILED: { logTail: ['ninja: build stopped: subcommand failed.'] },
  BUILD_TIMEOUT: {},
  BUILD_STALE: { findings: ['zephyr.elf loads at 0x40000000, the layout says 0x60000000'] },
  DT_TARGET_MISSING: {},
  DT_CELLS_MISMATCH: {},
  QEMU_START_FAILED: {},
  QEMU_EXITED: { stderrTail: ['qemu: terminating on signal 9'], serialTail: ['(XEN) ...'], ...dom0Watch() },
  XEN_SILENT: { serialTail: [] },
  XEN_PANIC: { serialTail: ['(XEN) Panic on CPU 0:'] },
  DOM0_NOT_BUILT: { serialTail: ['(XEN) Could not set up DOM0 guest OS'] },
  LAYOUT_INCOMPLETE: { serialTail: ['(XEN) ...'], anomalies: ['two grant tables'], missing: ['grantTable', 'eventChannelPpi'] },
  HANDOVER_TIMEOUT: { serialTail: ['(XEN) Loading d0 kernel'] },
  DOM0_CRASHED: { serialTail: ['(XEN) d0 crashed'], ...dom0Watch() },
  DTB_FAILED: command,
  DOM0_SILENT: { ...dom0Watch(), qemuVersion: 'QEMU emulator version 7.2.0' },
  DOM0_FAILED: dom0Watch(),
  NOT_CONVERGED: { lastTwoLayouts: [layout(), movedLayout()] },
  DRIFT: {
    changes: [
      { field: 'dom0Banks', from: layout().dom0Banks, to: movedLayout().dom0Banks },
      { field: 'grantTable', from: null, to: layout().grantTable },
      { field: 'extendedRegions', from: [], to: layout().extendedRegions },
      { field: 'eventChannelPpi', from: 31, to: null },
    ],
    inputChanges: [{ input: 'dom0Mem', lock: '256M', now: '1G' }],
  },
  COMBOS_FAILED: { combinations: ['#3 xen 4.17, -m 2G, dom0_mem=3G: DOM0_NOT_BUILT'] },
  MATRIX_DRIFT: { combinations: ['#2 xen 4.17, -m 2G, dom0_mem=256M: extended regions'] },
  SHARDS_MISMATCH: {},
  INTERRUPTED: {},
};

/** A learn report that failed with `code` and `details` (its exit code the right one). */
function failedWith(code: string, details: object) {
  return {
    ...learnOk(),
    result: 'failed',
    failure: { stage: 'xen-boot', code, exitCode: EXIT_CODES[code as FailureCode], message: `failed with ${code}`, details },
  };
}

/** Which details keys each code must and may carry, read from `export type DetailsByCode = {...}` in src/base/errors.ts. */
function detailsByCodeInSource(): Record<string, { required: string[]; allowed: string[] }> {
  const source = readFileSync(path.join(SCHEMA_DIR, '..', 'src', 'base', 'errors.ts'), 'utf8');
  const aliases = new Map([...source.matchAll(/^(?:export )?type (\w+) = ([^;\n]+);$/gm)].map((m) => [m[1]!, m[2]!]));
  const block = /^export type DetailsByCode = \{\n([\s\S]*?)\n\};$/m.exec(source);
  assert.ok(block, 'no `export type DetailsByCode = {...};` in src/base/errors.ts');
  const keys = (list: string) => [...list.matchAll(/'(\w+)'/g)].map((m) => m[1]!);
  const evaluate = (expr: string): { required: string[]; allowed: string[] } => {
    const out = { required: [] as string[], allowed: [] as string[] };
    for (const term of expr.split('&').map((t) => t.trim())) {
      let m: RegExpExecArray | null;
      if (term === 'Empty') continue;
      if ((m = /^Has<([^>]+)>$/.exec(term))) out.required.push(...keys(m[1]!));
      else if ((m = /^May<([^>]+)>$/.exec(term))) out.allowed.push(...keys(m[1]!));
      else if ((m = /^Partial<(\w+)>$/.exec(term))) {
        const inner = evaluate(aliases.get(m[1]!) ?? assert.fail(`DetailsByCode: unknown type ${m[1]}`));
        out.allowed.push(...inner.required, ...inner.allowed);
      } else if (aliases.has(term) && /^(Has|May|Partial)</.test(aliases.get(term)!)) {
        const inner = evaluate(aliases.get(term)!);
        out.required.push(...inner.required);
        out.allowed.push(...inner.allowed);
      } else assert.fail(`DetailsByCode: cannot read ${JSON.stringify(term)} (extend detailsByCodeInSource)`);
    }
    return out;
  };
  const byCode: Record<string, { required: string[]; allowed: string[] }> = {};
  for (const m of block[1]!.matchAll(/^\s*([A-Z][A-Z0-9_]*): ([^;]+);$/gm)) {
    const { required, allowed } = evaluate(m[2]!);
    byCode[m[1]!] = { required: required.sort(), allowed: [...required, ...allowed].sort() };
  }
  return byCode;
}

/** The same, read from the schema's per-code rules on failure.details. */
function detailsByCodeInSchema(): Record<string, { required: string[]; allowed: string[] }> {
  type Rule = {
    if: { properties: { code: { const?: string; enum?: string[] } } };
    then: { properties: { details: { properties?: Record<string, unknown>; required?: string[]; maxProperties?: number } } };
  };
  const failure = (reportSchema.definitions as Record<string, { allOf: Rule[] }>).failure!;
  const byCode: Record<string, { required: string[]; allowed: string[] }> = {};
  for (const rule of failure.allOf) {
    const codes = rule.if.properties.code.enum ?? [rule.if.properties.code.const!];
    const details = rule.then.properties.details;
    for (const code of codes) {
      assert.equal(byCode[code], undefined, `${code} has two details rules in the schema`);
      byCode[code] = { required: [...(details.required ?? [])].sort(), allowed: Object.keys(details.properties ?? {}).sort() };
    }
  }
  return byCode;
}

/** The AssertionError message `validateReport` throws for `doc` (fails when it does not throw one). */
function errorOf(doc: unknown): string {
  try {
    validateReport(doc);
  } catch (error) {
    assert.ok(error instanceof assert.AssertionError, `expected an AssertionError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('validateReport accepted it');
}

/** Asserts `validateReport` throws an AssertionError whose message matches every pattern. */
function rejects(doc: unknown, ...patterns: RegExp[]): void {
  const message = errorOf(doc);
  for (const pattern of patterns) assert.match(message, pattern);
}

describe('report.json schema v2: the schema file', () => {
  it('compiles under Ajv strict mode with formats, together with drift.schema.json', () => {
    const ajv = strictAjv();
    assert.equal(typeof ajv.getSchema(REPORT_SCHEMA_ID), 'function');
    assert.equal(reportSchema.$id, REPORT_SCHEMA_ID);
    assert.equal(reportSchema.$schema, 'http://json-schema.org/draft-07/schema#');
  });

  it('stands alone: a default Ajv (as test/cli/boot.test.ts uses) compiles it and agrees on a valid report', () => {
    const validate = new Ajv({ strict: false, logger: false }).compile(
      JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'report.schema.json'), 'utf8')) as object,
    );
    assert.equal(validate(learnOk()), true, JSON.stringify(validate.errors));
    assert.equal(validate(patched(learnOk(), { '/schemaVersion': 1 })), false);
  });

  it("lists exactly EXIT_CODES' failure codes (every key but OK): a code added to src/base/errors.ts must be added here", () => {
    const definitions = reportSchema.definitions as Record<string, { enum: string[] }>;
    const inSchema = [...definitions.failureCode!.enum].sort();
    const inSource = Object.keys(EXIT_CODES)
      .filter((code) => code !== 'OK')
      .sort();
    assert.deepEqual(inSchema, inSource);
  });

  it('lists exactly the Stage union of src/base/errors.ts', () => {
    const source = readFileSync(path.join(SCHEMA_DIR, '..', 'src', 'base', 'errors.ts'), 'utf8');
    const union = /export type Stage =([^;]+);/.exec(source);
    assert.ok(union, 'no `export type Stage = ...;` in src/base/errors.ts');
    const stages = [...union[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    assert.ok(stages.length > 5, `parsed only ${stages.length} stages`);
    const definitions = reportSchema.definitions as Record<string, { enum: string[] }>;
    assert.deepEqual([...definitions.stage!.enum].sort(), stages.sort());
  });

  it('gives every failure code a details rule equal to DetailsByCode in src/base/errors.ts (which keys it must and may carry)', () => {
    const inSchema = detailsByCodeInSchema();
    assert.deepEqual(Object.keys(inSchema).sort(), FAILURE_CODES.slice().sort(), 'codes without (or with an unknown) details rule');
    assert.deepEqual(inSchema, detailsByCodeInSource());
  });
});

describe('report.json schema v2: valid reports', () => {
  it('learn, ok', () => validateReport(learnOk()));

  it('boot, failed after a pass (NOT_CONVERGED with the last two layouts)', () => validateReport(bootFailed()));

  it('check, ok and converged, west build', () => validateReport(checkOk()));

  it('drift, ok, with its drift.json summary', () => validateReport(driftOk()));

  it('a config failure with inputs null, for every command', () => {
    for (const command of ['learn', 'boot', 'check', 'drift']) validateReport(configFailure(command));
  });

  it('boot failed with a silent Dom0 under an old QEMU: the DOM0_SILENT details, qemuVersion included', () => {
    validateReport(
      patched(bootFailed(), {
        '/failure': {
          stage: 'dom0',
          code: 'DOM0_SILENT',
          exitCode: EXIT_CODES.DOM0_SILENT,
          message: 'Dom0 printed nothing after the hand-over (--dom0-timeout 20 s)',
          details: {
            dom0Lines: [],
            missingPatterns: ['Hello'],
            builtWith: layout(),
            xenPicked: layout(),
            qemuVersion: 'QEMU emulator version 7.2.0',
          },
        },
      }),
    );
  });

  it('boot that started from a probe boot (its boot first in boots), or from a recorded layout', () => {
    const probed = patched(checkOk(), {
      '/command': 'boot',
      '/inputs/startLayout': 'probe boot',
      '/start': {
        from: 'probe boot',
        mode: 'auto',
        reason: 'no lock file',
        lockChanges: [],
        recorded: null,
        probe: { image: '/runs/b/probe/stand-in.bin', imageSize: 2097152, sizeFrom: 'estimate', boot: 0, failure: null },
      },
    });
    validateReport(probed);
    validateReport(
      patched(probed, {
        '/inputs/startLayout': 'recorded',
        '/start/from': 'recorded',
        '/start/probe': null,
        '/start/recorded': { file: '/cache/layouts/ab.json', learnedAt: '2026-12-02T00:00:00.000Z', run: '/runs/a' },
      }),
    );
    assert.throws(() => validateReport(patched(probed, { '/start/probe/sizeFrom': 'guess' })), /sizeFrom/);
    assert.throws(() => validateReport(patched(probed, { '/start/lockChanges': [{ input: 'colour', lock: 'a', now: 'b' }] })), /input/);
  });

  it('check failed with DRIFT: changes typed per field', () => {
    validateReport(
      patched(checkOk(), {
        '/result': 'failed',
        '/converged': false,
        '/overlay': null,
        '/lockFile': null,
        '/failure': {
          stage: 'drift',
          code: 'DRIFT',
          exitCode: EXIT_CODES.DRIFT,
          message: "Xen's layout drifted from the lock file",
          details: {
            changes: [
              { field: 'eventChannelPpi', from: 31, to: null },
              { field: 'extendedRegions', from: [], to: layout().extendedRegions },
            ],
            inputChanges: [],
          },
        },
      }),
    );
  });

  it('a command build', () =>
    validateReport(
      patched(bootFailed(), {
        '/inputs/builder': 'command',
        '/inputs/build': { type: 'command', argv: ['make', 'dom0'], image: '/work/out/Image', cwd: '/work' },
      }),
    ));

  it('every failure code, with every fact it may carry', () => {
    assert.deepEqual(Object.keys(DETAILS).sort(), FAILURE_CODES.slice().sort());
    for (const [code, details] of Object.entries(DETAILS)) validateReport(failedWith(code, details));
  });
});

describe('report.json schema v2: one thing wrong', () => {
  it('a wrong schemaVersion', () =>
    rejects(patched(learnOk(), { '/schemaVersion': 1 }), /\/schemaVersion must be equal to constant/, /"allowedValue":2/));

  it('a missing $schema', () => rejects(patched(learnOk(), { '/$schema': undefined }), /\(root\) must have required property '\$schema'/));

  it('a $schema that is not the schema id', () =>
    rejects(patched(learnOk(), { '/$schema': 'http://json-schema.org/draft-07/schema#' }), /\/\$schema must be equal to constant/));

  it('a missing endedAt, and steps', () =>
    rejects(
      patched(learnOk(), { '/endedAt': undefined, '/steps': undefined }),
      /required property 'endedAt'/,
      /required property 'steps'/,
    ));

  it('a bad date-time', () => {
    rejects(patched(learnOk(), { '/startedAt': '2026-11-24 07:00' }), /\/startedAt must match format "date-time"/);
    rejects(patched(learnOk(), { '/endedAt': '2026-13-40T07:00:00.000Z' }), /\/endedAt must match format "date-time"/);
  });

  it('an endedAt before startedAt (the helper)', () =>
    rejects(patched(learnOk(), { '/endedAt': '2026-11-24T06:59:59.000Z' }), /\/endedAt .* is before \/startedAt/));

  it('an unknown details key', () =>
    rejects(
      patched(bootFailed(), { '/failure/details/bogus': ['x'] }),
      /\/failure\/details must NOT have additional properties/,
      /"additionalProperty":"bogus"/,
    ));

  it('a details key of the wrong type', () => {
    rejects(failedWith('XEN_PANIC', { serialTail: 'one line' }), /\/failure\/details\/serialTail must be array/);
    rejects(
      failedWith('LAYOUT_INCOMPLETE', { missing: ['kernel'] }),
      /\/failure\/details\/missing\/0 must be equal to one of the allowed values/,
    );
    rejects(failedWith('DOM0_SILENT', { ...dom0Watch(), builtWith: null }), /\/failure\/details\/builtWith must be object/);
    rejects(failedWith('DTB_FAILED', { command: [] }), /\/failure\/details\/command must NOT have fewer than 1 items/);
    rejects(
      patched(bootFailed(), { '/failure/details/lastTwoLayouts': [layout()] }),
      /\/failure\/details\/lastTwoLayouts must NOT have fewer than 2 items/,
    );
    rejects(
      patched(bootFailed(), { '/failure/details/lastTwoLayouts': [layout(), layout(), layout()] }),
      /\/failure\/details\/lastTwoLayouts must NOT have more than 2 items/,
    );
  });

  it("a code carrying another code's facts", () => {
    rejects(failedWith('CONFIG_INVALID', { serialTail: ['x'] }), /\/failure\/details must NOT have more than 0 properties/);
    rejects(
      failedWith('XEN_PANIC', { serialTail: [], qemuVersion: 'QEMU 7.2' }),
      /\/failure\/details must NOT have additional properties \{"additionalProperty":"qemuVersion"\}/,
    );
    rejects(failedWith('BUILD_FAILED', { logTail: [], command: ['make'] }), /"additionalProperty":"command"/);
  });

  it("a code's own details missing (NOT_CONVERGED without lastTwoLayouts, QEMU_EXITED without stderrTail)", () => {
    rejects(patched(bootFailed(), { '/failure/details': {} }), /\/failure\/details must have required property 'lastTwoLayouts'/);
    rejects(
      patched(bootFailed(), { '/failure/code': 'QEMU_EXITED', '/failure/exitCode': 5, '/failure/details': { serialTail: [] } }),
      /\/failure\/details must have required property 'stderrTail'/,
    );
  });

  it('a field change whose values do not fit its field', () =>
    rejects(
      patched(bootFailed(), { '/passes/0/changes/1': { field: 'grantTable', from: [], to: null } }),
      /\/passes\/0\/changes\/1\/from must be null/,
      /\/passes\/0\/changes\/1\/from must be object/,
    ));

  it('learn inputs on a boot report', () =>
    rejects(
      patched(bootFailed(), { '/inputs': learnInputs() }),
      /\/inputs must have required property 'builder'/,
      /\/inputs must NOT have additional properties \{"additionalProperty":"image"\}/,
    ));

  it('boot inputs on a learn report', () =>
    rejects(patched(learnOk(), { '/inputs': bootInputs() }), /\/inputs must have required property 'imageSource'/));

  it('inputs typed precisely: a padded address, a fractional imageSize, an unknown qemuSource, a string maxPasses', () => {
    rejects(patched(learnOk(), { '/inputs/loadAddr': '0x0040600000' }), /\/inputs\/loadAddr must match pattern/);
    rejects(patched(learnOk(), { '/inputs/imageSize': 1.5 }), /\/inputs\/imageSize must be integer/);
    rejects(patched(learnOk(), { '/inputs/qemuSource': 'apt' }), /\/inputs\/qemuSource must be equal to one of the allowed values/);
    rejects(patched(bootFailed(), { '/inputs/maxPasses': '3' }), /\/inputs\/maxPasses must be integer/);
    rejects(
      patched(bootFailed(), { '/inputs/build': { type: 'command', image: 'x' } }),
      /\/inputs\/build must have required property 'argv'/,
    );
    rejects(patched(driftOk(), { '/inputs/jobs': 0 }), /\/inputs\/jobs must be >= 1/);
    rejects(patched(driftOk(), { '/inputs/matrix/memory': [] }), /\/inputs\/matrix\/memory must NOT have fewer than 1 items/);
  });

  it('a step with a bad status', () =>
    rejects(
      patched(learnOk(), { '/steps/0/status': 'running' }),
      /\/steps\/0\/status must be equal to one of the allowed values/,
      /"interrupted"/,
    ));

  it('a step with a negative ms or startMs, a fractional one, an empty name, an unknown key', () => {
    rejects(patched(learnOk(), { '/steps/1/ms': -1 }), /\/steps\/1\/ms must be >= 0/);
    rejects(patched(learnOk(), { '/steps/1/startMs': -5 }), /\/steps\/1\/startMs must be >= 0/);
    rejects(patched(learnOk(), { '/steps/1/ms': 2.5 }), /\/steps\/1\/ms must be integer/);
    rejects(patched(learnOk(), { '/steps/1/name': '' }), /\/steps\/1\/name must NOT have fewer than 1 characters/);
    rejects(
      patched(learnOk(), { '/steps/1/stage': 'dtb' }),
      /\/steps\/1 must NOT have additional properties \{"additionalProperty":"stage"\}/,
    );
  });

  it('a step named twice: two JUnit cases of one name (the helper)', () =>
    rejects(patched(learnOk(), { '/steps/1/name': 'boot' }), /\/steps\/2 "boot" is listed twice/));

  it('an exitCode that is not EXIT_CODES[code] (the helper; the schema cannot compare)', () =>
    rejects(patched(bootFailed(), { '/failure/exitCode': 2 }), /\/failure\/exitCode is 2 but EXIT_CODES\.NOT_CONVERGED is 15/));

  it('a code EXIT_CODES does not have, and OK as a failure code', () => {
    rejects(patched(configFailure(), { '/failure/code': 'NO_SUCH_CODE' }), /\/failure\/code must be equal to one of the allowed values/);
    rejects(
      patched(configFailure(), { '/failure/code': 'OK', '/failure/exitCode': 0 }),
      /\/failure\/code must be equal to one of the allowed values/,
    );
  });

  it('a stage the Stage union does not have', () =>
    rejects(patched(configFailure(), { '/failure/stage': 'setup' }), /\/failure\/stage must be equal to one of the allowed values/));

  it('result and failure disagree', () => {
    rejects(patched(learnOk(), { '/result': 'failed' }), /\/failure must be object/);
    rejects(patched(configFailure(), { '/result': 'ok' }), /\/failure must be null/);
  });

  it("boot-only fields on a learn report, drift's summary on a boot report", () => {
    rejects(
      patched(learnOk(), { '/passes': [], '/converged': false, '/overlay': null, '/lockFile': null }),
      /\/passes boolean schema is false/,
      /\/lockFile boolean schema is false/,
    );
    rejects(patched(bootFailed(), { '/drift': { file: 'drift.json', combinations: 1, failed: 0 } }), /\/drift boolean schema is false/);
  });

  it('passes without converged, overlay and lockFile', () =>
    rejects(
      patched(bootFailed(), { '/converged': undefined }),
      /must have properties converged, overlay, lockFile when property passes is present/,
    ));

  it('a pass whose boot is not in boots (the helper)', () =>
    rejects(patched(bootFailed(), { '/passes/0/boot': 1 }), /\/passes\/0\/boot is 1 but there are 1 boot/));

  it('a padded or uppercase layout address', () => {
    rejects(patched(learnOk(), { '/layout/grantTable/start': '0x0000000038000000' }), /\/layout\/grantTable\/start must match pattern/);
    rejects(patched(learnOk(), { '/layout/dom0Banks/0/end': '0x5000000A' }), /\/layout\/dom0Banks\/0\/end must match pattern/);
  });

  it('a drift summary with more failures than combinations (the helper)', () =>
    rejects(patched(driftOk(), { '/drift/failed': 5 }), /\/drift\/failed 5 is more than \/drift\/combinations 4/));

  it('lists every error, not just the first', () => {
    const message = errorOf(patched(learnOk(), { '/schemaVersion': 3, '/steps/0/ms': -1, '/layout/eventChannelPpi': 40 }));
    for (const where of ['/schemaVersion', '/steps/0/ms', '/layout/eventChannelPpi'])
      assert.ok(message.includes(where), `${where} missing from:\n${message}`);
  });

  it('a non-object', () => {
    rejects(null, /\(root\) must be object/);
    rejects([], /\(root\) must be object/);
  });
});

const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="xen-dom0-boot" tests="3" failures="1" time="9.500">
  <testsuite name="xen-dom0-boot learn" tests="3" failures="1" errors="0" skipped="0" time="9.500" timestamp="${STARTED}">
    <testcase classname="xen-dom0-boot learn" name="QEMU start" time="0.300"/>
    <testcase classname="xen-dom0-boot learn" name="Xen hand-over" time="1.800"/>
    <testcase classname="xen-dom0-boot learn" name="layout learned" time="0.000">
      <failure type="LAYOUT_INCOMPLETE" message="no grant table">no grant table</failure>
    </testcase>
  </testsuite>
</testsuites>
`;

/** A run folder holding `report` (its runDir set to the folder) and, when given, a JUnit file. */
function runFolder(report: object, junit?: string): { dir: string; junit: string } {
  const dir = path.join(tempDir('schema-folder'), 'run');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(patched(report, { '/runDir': dir }), null, 2));
  const junitFile = path.join(dir, 'junit.xml');
  if (junit !== undefined) writeFileSync(junitFile, junit);
  return { dir, junit: junitFile };
}

describe('assertReportFolder', () => {
  it('accepts a valid report and JUnit file, and returns what it read', () => {
    const folder = runFolder(learnOk(), JUNIT);
    const read = assertReportFolder(folder.dir, { junit: folder.junit });
    assert.equal(read.report.command, 'learn');
    assert.deepEqual(read.junit, { tests: 3, failures: 1 });
    assert.equal(read.drift, null);
    assert.equal(assertReportFolder(folder.dir).junit, null);
  });

  it('refuses a folder without report.json', () => {
    const dir = tempDir('schema-empty');
    assert.throws(() => assertReportFolder(dir), /report\.json: .*report\.json does not exist/);
  });

  it('refuses an invalid report, naming the file', () => {
    const folder = runFolder(patched(learnOk(), { '/schemaVersion': 1 }));
    assert.throws(
      () => assertReportFolder(folder.dir),
      (error: Error) => {
        assert.ok(error.message.includes(path.join(folder.dir, 'report.json')), error.message);
        assert.match(error.message, /\/schemaVersion must be equal to constant/);
        return true;
      },
    );
  });

  it('refuses a report whose runDir is another folder', () => {
    const folder = runFolder(learnOk());
    writeFileSync(path.join(folder.dir, 'report.json'), JSON.stringify(learnOk()));
    assert.throws(() => assertReportFolder(folder.dir), /runDir is \/runs\/learn, not the folder it is in/);
  });

  it('refuses JUnit that is not well-formed XML', () => {
    const folder = runFolder(learnOk(), JUNIT.replace('</testsuite>', ''));
    assert.throws(() => assertReportFolder(folder.dir, { junit: folder.junit }), /is not well-formed XML/);
  });

  it('refuses JUnit whose root is not <testsuites>', () => {
    const folder = runFolder(learnOk(), '<?xml version="1.0"?>\n<testsuite name="x" tests="1" failures="0"></testsuite>\n');
    assert.throws(() => assertReportFolder(folder.dir, { junit: folder.junit }), /must have one <testsuites> root, has <testsuite>/);
  });

  it('refuses <testsuites> whose tests or failures are not integers', () => {
    const noCount = runFolder(learnOk(), JUNIT.replace('tests="3" failures="1" time', 'failures="1" time'));
    assert.throws(() => assertReportFolder(noCount.dir, { junit: noCount.junit }), /<testsuites tests> must be an integer, is undefined/);
    const fraction = runFolder(learnOk(), JUNIT.replace('failures="1" time="9.500">', 'failures="1.5" time="9.500">'));
    assert.throws(() => assertReportFolder(fraction.dir, { junit: fraction.junit }), /<testsuites failures> must be an integer, is "1\.5"/);
  });

  it('refuses a missing JUnit file', () => {
    const folder = runFolder(learnOk());
    assert.throws(() => assertReportFolder(folder.dir, { junit: folder.junit }), /JUnit: .*junit\.xml does not exist/);
  });
});
