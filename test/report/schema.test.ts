/** report.json must validate against the committed schema, for passing and failing runs alike. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { readReport, ROOT, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('report.json schema', () => {
  it('validates the report of a real successful boot', async () => {
    const dir = path.join(tempDir('schema'), 'run');
    const run = await runCli(['learn', '--out', dir]);
    assert.equal(run.exitCode, 0, run.stderr);
    const report = readReport(dir);
    assert.ok(validate(report), JSON.stringify(validate.errors));
  });

  it('validates the report of a failed boot', async () => {
    const dir = path.join(tempDir('schema'), 'run');
    const fake = path.join(FIXTURES, 'fake-qemu', 'exits.sh');
    await runCli(['learn', '--qemu', fake, '--dtb', path.join(FIXTURES, 'dtb', 'xen-virt-6G.dts'), '--out', dir]);
    const report = readReport(dir);
    assert.equal(report.result, 'failed');
    assert.ok(validate(report), JSON.stringify(validate.errors));
  });

  it('rejects padded or uppercase addresses (the schema can fail)', () => {
    const dir = path.join(tempDir('schema'), 'x');
    void dir;
    const bad = { start: '0x0000000050000000', end: '0x6000000A' };
    const wrapped = JSON.parse(JSON.stringify({ ...minimalReport(), layout: { ...minimalLayout(), grantTable: bad } }));
    assert.equal(validate(wrapped), false);
    assert.ok(validate(minimalReport()), JSON.stringify(validate.errors));
  });
});

function minimalLayout(): object {
  return { xenVersion: null, dom0Banks: [], grantTable: null, extendedRegions: [], eventChannelPpi: null, kernel: null, dom0Dtb: null };
}

function minimalReport(): object {
  return {
    schemaVersion: 1,
    tool: { name: 'xen-dom0-boot', version: '0.1.0' },
    command: 'learn',
    result: 'ok',
    failure: null,
    startedAt: '2026-11-24T07:00:00.000Z',
    runDir: '/tmp/x',
    inputs: {},
    layout: minimalLayout(),
    boots: [],
    durations: { totalMs: 1 },
  };
}
