/** JUnit XML from real runs, loaded by a real XML parser, whatever bytes the serial log held. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { junitProperties, reportToJunit, xmlSafe, type SuiteExtras } from '../../src/report/junit.js';
import { NO_PROGRESS } from '../../src/report/progress.js';
import { Steps } from '../../src/run/steps.js';
import { createLogger } from '../../src/util/log.js';
import type { ReportJson } from '../../src/report/report.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

type Case = { '@_name': string; failure?: { '@_type': string; '#text': string }; skipped?: unknown };

function load(xml: string): Case[] {
  assert.equal(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(xml) as {
    testsuites: { testsuite: { testcase: Case | Case[] } };
  };
  const cases = doc.testsuites.testsuite.testcase;
  return Array.isArray(cases) ? cases : [cases];
}

describe('JUnit XML', () => {
  it('one case per step, in order, with its time; a skipped step is <skipped/>; no failures on an ok run', () => {
    const report = {
      command: 'boot',
      startedAt: '2026-12-02T00:00:00.000Z',
      durations: { totalMs: 2500 },
      boots: [],
      failure: null,
      steps: [
        { name: 'config', status: 'ok', startMs: 0, ms: 2, detail: null },
        { name: 'pass 1 build', status: 'ok', startMs: 3, ms: 1200, detail: '4488 bytes' },
        { name: 'pass 1 boot', status: 'ok', startMs: 1203, ms: 450, detail: 'handed-over' },
        { name: 'pass 2 rebuild', status: 'ok', startMs: 1653, ms: 300, detail: null },
        { name: 'pass 2 boot', status: 'ok', startMs: 1953, ms: 500, detail: 'Dom0 up' },
        { name: 'extra', status: 'skipped', startMs: 2453, ms: 0, detail: 'not needed' },
      ],
    } as unknown as ReportJson;
    const xml = reportToJunit(report);
    const cases = load(xml);
    assert.deepEqual(
      cases.map((c) => c['@_name']),
      ['config', 'pass 1 build', 'pass 1 boot', 'pass 2 rebuild', 'pass 2 boot', 'extra'],
    );
    assert.ok(cases.every((c) => !c.failure));
    assert.match(xml, /name="pass 1 build" time="1\.200"/);
    assert.match(xml, /<testcase classname="xen-dom0-boot boot" name="extra" time="0\.000">\s*<skipped message="not needed"\/>/);
    assert.match(xml, /tests="6" failures="0" errors="0" skipped="1" time="2\.500"/);
  });

  it('a failure before any step ran (argv) is a case named after its stage; a failure outside the failed steps gets its own case', () => {
    const base = { command: 'check', startedAt: 'x', durations: { totalMs: 1 }, boots: [] };
    const usage = { stage: 'config', code: 'USAGE', exitCode: 2, message: 'Unknown option', details: {} };
    const none = load(reportToJunit({ ...base, steps: [], failure: usage } as unknown as ReportJson));
    assert.deepEqual(
      none.map((c) => [c['@_name'], c.failure?.['@_type']]),
      [['config', 'USAGE']],
    );
    // A drift-like run: an earlier failed step keeps its own code; the run's failure goes on the last failed one.
    const steps = [
      { name: 'combination 1/2', status: 'failed', startMs: 0, ms: 5, detail: 'XEN_PANIC' },
      { name: 'combination 2/2', status: 'interrupted', startMs: 1, ms: 5, detail: 'INTERRUPTED' },
    ];
    const interrupted = { stage: 'xen-boot', code: 'INTERRUPTED', exitCode: 130, message: 'SIGINT', details: {} };
    const cases = load(reportToJunit({ ...base, steps, failure: interrupted } as unknown as ReportJson));
    assert.deepEqual(
      cases.map((c) => [c['@_name'], c.failure?.['@_type']]),
      [
        ['combination 1/2', 'XEN_PANIC'],
        ['combination 2/2', 'INTERRUPTED'],
      ],
    );
  });

  it('a failing run: the failing stage carries the message and the serial tail, with ANSI, NUL and bad bytes', async () => {
    const dir = tempDir('junit');
    const junit = path.join(dir, 'learn.xml');
    const dirty = path.join(dir, 'serial-in.log');
    const real = readFileSync(path.join(FIXTURES, 'xen', 'xen417-6G-256M.log'), 'latin1');
    writeFileSync(dirty, real.slice(0, real.indexOf('(XEN) BANK')) + '(XEN) \x1b[31mred\x00\x01\x7f bad \xff\xfe ]]> <&>\r\n', 'latin1');
    const out = path.join(dir, 'run');
    const run = await runCli(
      [
        'learn',
        '--junit',
        junit,
        '--qemu',
        path.join(FIXTURES, 'fake-qemu', 'replay.sh'),
        '--dtb',
        path.join(FIXTURES, 'dtb', 'xen-virt-6G.dts'),
        '--timeout',
        '2',
        '--out',
        out,
      ],
      {
        env: { FAKE_SERIAL: dirty },
      },
    );
    assert.equal(run.exitCode, 10);
    const cases = load(readFileSync(junit, 'utf8'));
    const failed = cases.find((c) => c.failure)!;
    assert.equal(failed['@_name'], 'boot');
    assert.equal(failed.failure!['@_type'], 'HANDOVER_TIMEOUT');
    assert.match(failed.failure!['#text'], /last lines/);
    assert.match(failed.failure!['#text'], /red/);
    assert.equal(cases.at(-1), failed, 'no stage after the failing one');
  });

  it('the same cases passed or failed: planned steps not reached are <skipped/>; properties and system-out carried', () => {
    const steps = new Steps(performance.now(), NO_PROGRESS, () => createLogger({ level: 'silent' }));
    steps.plan(['config', 'inputs', 'device tree', 'boot']);
    steps.begin('config', 'config');
    steps.end('config', 'ok');
    steps.begin('inputs', 'config');
    steps.end('inputs', 'failed', 'TOOL_MISSING');
    const failed = {
      command: 'learn',
      startedAt: 'x',
      durations: { totalMs: 5 },
      boots: [],
      steps: steps.toJson(true),
      failure: { stage: 'tools', code: 'TOOL_MISSING', exitCode: 3, message: 'dtc not found', details: {} },
    } as unknown as ReportJson;
    const extras: SuiteExtras = {
      properties: [
        ['inputs.memory', '6G'],
        ['versions.qemu.version', 'QEMU 10.0.2 <x>'],
      ],
      systemOut: '(XEN) last\x00 line',
    };
    const xml = reportToJunit(failed, extras);
    const cases = load(xml);
    assert.deepEqual(
      cases.map((c) => [c['@_name'], c.failure ? 'failed' : c.skipped !== undefined ? 'skipped' : 'ok']),
      [
        ['config', 'ok'],
        ['inputs', 'failed'],
        ['device tree', 'skipped'],
        ['boot', 'skipped'],
      ],
    );
    assert.match(xml, /<skipped message="not reached"\/>/);
    assert.match(xml, /<property name="versions\.qemu\.version" value="QEMU 10\.0\.2 &lt;x&gt;"\/>/);
    assert.match(xml, /<system-out>\(XEN\) last\uFFFD line<\/system-out>/);
    assert.match(xml, /tests="4" failures="1" errors="0" skipped="2"/);
  });

  it('flattens the inputs and versions into properties', () => {
    const report = { command: 'drift', inputs: { jobs: 2, matrix: { xen: ['4.17', '4.20'] }, shard: null } } as unknown as ReportJson;
    assert.deepEqual(junitProperties(report, { qemu: { version: 'QEMU 10' }, dtc: null }), [
      ['command', 'drift'],
      ['inputs.jobs', '2'],
      ['inputs.matrix.xen', '["4.17","4.20"]'],
      ['versions.qemu.version', 'QEMU 10'],
    ]);
  });

  it('escapes markup and replaces characters XML cannot hold', () => {
    assert.equal(xmlSafe('a<b>&"\'\x00\x1b\uFFFE\uD800z'), 'a&lt;b&gt;&amp;&quot;&apos;\uFFFD\uFFFD\uFFFD\uFFFDz');
    const report = {
      command: 'learn',
      startedAt: 'x',
      durations: { totalMs: 1 },
      boots: [],
      steps: [],
      failure: { stage: 'config', code: 'USAGE', exitCode: 2, message: 'bad <input> \x00', details: {} },
    } as unknown as ReportJson;
    const cases = load(reportToJunit(report));
    assert.equal(cases[0]!.failure!['@_type'], 'USAGE');
  });
});
