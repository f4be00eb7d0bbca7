/** JUnit XML from real runs, loaded by a real XML parser, whatever bytes the serial log held. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { reportToJunit, xmlSafe } from '../../src/report/junit.js';
import type { ReportJson } from '../../src/report/report.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

type Case = { '@_name': string; failure?: { '@_type': string; '#text': string } };

function load(xml: string): Case[] {
  assert.equal(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(xml) as {
    testsuites: { testsuite: { testcase: Case | Case[] } };
  };
  const cases = doc.testsuites.testsuite.testcase;
  return Array.isArray(cases) ? cases : [cases];
}

describe('JUnit XML', () => {
  it('a passing two-pass boot: one case per stage per pass, no failures', async () => {
    const dir = tempDir('junit');
    const junit = path.join(dir, 'boot.xml');
    const run = await runCli([
      'boot',
      '--junit',
      junit,
      '--overlay',
      path.join(dir, 'a.overlay'),
      '--build-dir',
      path.join(dir, 'b'),
      '--out',
      path.join(dir, 'run'),
    ]);
    assert.equal(run.exitCode, 0, run.stderr);
    const cases = load(readFileSync(junit, 'utf8'));
    assert.deepEqual(
      cases.map((c) => c['@_name']),
      [
        'pass 1: build',
        'pass 1: QEMU start',
        'pass 1: Xen hand-over',
        'pass 1: layout learned',
        'pass 1: overlay written',
        'pass 2: rebuild',
        'pass 2: QEMU start',
        'pass 2: Xen hand-over',
        'pass 2: layout learned',
        'pass 2: Dom0 up',
        'converged',
      ],
    );
    assert.ok(cases.every((c) => !c.failure));
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
    assert.equal(failed['@_name'], 'Xen hand-over');
    assert.equal(failed.failure!['@_type'], 'HANDOVER_TIMEOUT');
    assert.match(failed.failure!['#text'], /last lines/);
    assert.match(failed.failure!['#text'], /red/);
    assert.equal(cases.at(-1), failed, 'no stage after the failing one');
  });

  it('escapes markup and replaces characters XML cannot hold', () => {
    assert.equal(xmlSafe('a<b>&"\'\x00\x1b\uFFFE\uD800z'), 'a&lt;b&gt;&amp;&quot;&apos;\uFFFD\uFFFD\uFFFD\uFFFDz');
    const report = {
      command: 'learn',
      startedAt: 'x',
      durations: { totalMs: 1 },
      boots: [],
      failure: { stage: 'config', code: 'USAGE', exitCode: 2, message: 'bad <input> \x00', details: {} },
    } as unknown as ReportJson;
    const cases = load(reportToJunit(report));
    assert.equal(cases[0]!.failure!['@_type'], 'USAGE');
  });
});
