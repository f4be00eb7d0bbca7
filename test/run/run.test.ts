/** The run skeleton: every run leaves report.json and JUnit, failed or not, from its first line to its last. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import { runCommand } from '../../src/run/run.js';
import { assertReportFolder } from '../helpers/schema.js';
import { tempDir } from '../helpers/tmp.js';

describe('runCommand', () => {
  it('a run that fails before its folder existed (a config error) still writes report.json and JUnit in --out', async () => {
    const dir = tempDir('run');
    const out = path.join(dir, 'run');
    const junit = path.join(dir, 'junit.xml');
    const result = await runCommand({ command: 'check', out, junit }, async (run) => {
      await run.setup('config', 'config', async () => {
        throw new ToolError('CONFIG_INVALID', 'config', 'config file x.json: field "memory": expected a size');
      });
    });
    assert.equal(result.failure?.code, 'CONFIG_INVALID');
    const { report, junit: counts } = assertReportFolder(out, { junit });
    assert.equal(report.command, 'check');
    assert.equal(report.inputs, null);
    assert.deepEqual(
      report.steps.map((s) => [s.name, s.status]),
      [
        ['outputs', 'ok'],
        ['config', 'failed'],
      ],
    );
    assert.equal(counts!.tests, 2, 'outputs and config');
    assert.equal(counts!.failures, 1);
    assert.match(readFileSync(junit, 'utf8'), /type="CONFIG_INVALID"/);
  });

  it('a bug thrown outside any step is INTERNAL in the report, never lost', async () => {
    const out = path.join(tempDir('run'), 'run');
    const result = await runCommand({ command: 'learn', out }, async (run) => {
      await run.openFolder(out, 'info');
      throw new TypeError('boom');
    });
    assert.equal(result.failure?.code, 'INTERNAL');
    const { report } = assertReportFolder(out);
    assert.equal(report.failure?.code, 'INTERNAL');
    assert.match(report.failure!.message, /boom/);
    assert.ok(existsSync(path.join(out, 'versions.json')) && existsSync(path.join(out, 'reproduce.sh')));
  });

  it('an ok run: its steps, inputs and output; the tool log goes in the folder', async () => {
    const out = path.join(tempDir('run'), 'run');
    const result = await runCommand({ command: 'learn', out }, async (run) => {
      await run.openFolder(out, 'info');
      await run.step('boot', 'xen-boot', async () => 1);
      run.output = 'printed instead of the summary\n';
    });
    assert.equal(result.failure, null);
    assert.equal(result.output, 'printed instead of the summary\n');
    assert.equal(result.report?.result, 'ok');
    assert.ok(existsSync(path.join(out, 'tool.log')));
    assert.deepEqual(
      result.report!.steps.map((s) => s.name),
      ['outputs', 'boot'],
    );
  });

  it('an --out the tool may not use gets no report, but JUnit still says why', async () => {
    const dir = tempDir('run');
    const out = path.join(dir, 'yours');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const junit = path.join(dir, 'junit.xml');
    const result = await runCommand({ command: 'learn', out, junit }, async (run) => {
      await run.setup('run folder', 'config', () => run.openFolder(out, 'info'));
    });
    assert.equal(result.report, null);
    assert.equal(result.failure?.code, 'OUTPUT_NOT_OURS');
    assert.equal(readFileSync(path.join(out, 'notes.txt'), 'utf8'), 'mine');
    assert.ok(!existsSync(path.join(out, 'report.json')));
    assert.match(readFileSync(junit, 'utf8'), /failures="1"/);
  });
});
