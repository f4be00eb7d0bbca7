/** The command line's pure parts: argv, config from argv, --help, the one-line error; without running a command. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeRows, ToolError } from '../../src/base/errors.js';
import { OPTIONS, parse } from '../../src/cli/argv.js';
import { configFrom, mergeOptions } from '../../src/cli/config-from-argv.js';
import { HELP } from '../../src/cli/help.js';
import { oneLine } from '../../src/cli/print.js';
import * as runtime from '../../src/cli/runtime.js';

const values = (...argv: string[]) => parse(argv).parsed.values;

describe('argv', () => {
  it('parses options and positionals; a mistake is one USAGE line, with --out/--junit kept only when they are values', () => {
    const ok = parse(['learn', '--memory', '2G', '--xen-args', 'a', '--xen-args', 'b']);
    assert.equal(ok.error, null);
    assert.deepEqual(ok.parsed.positionals, ['learn']);
    assert.deepEqual(ok.parsed.values['xen-args'], ['a', 'b']);
    const bad = parse(['learn', '--out', '--junit', 'j.xml', '--dom0mem', '1G']);
    assert.equal(bad.error?.code, 'USAGE');
    assert.ok(!bad.error!.message.includes('\n'), 'one line');
    assert.equal(bad.parsed.values.out, undefined, '"--junit" is no folder to write to');
  });
});

describe('--help', () => {
  it('names every option and every exit code with its number, from the one table', () => {
    for (const option of Object.keys(OPTIONS)) assert.match(HELP, new RegExp(`--${option}\\b`), `--${option} in --help`);
    for (const row of codeRows()) assert.match(HELP, new RegExp(`^ +${row.exit} +${row.code} `, 'm'), `${row.code} in --help`);
    for (const line of HELP.split('\n').filter((l) => /^ +\d+ +[A-Z_]+ /.test(l))) assert.ok(line.length <= 100, line);
  });
});

describe('config from argv', () => {
  it('refuses options that go with another command, naming it', async () => {
    await assert.rejects(configFrom(runtime, values('--fix'), 'boot'), /--fix goes with check/);
    await assert.rejects(configFrom(runtime, values('--shard', '1/2'), 'learn'), /--shard goes with drift/);
    await assert.rejects(configFrom(runtime, values('--print-qemu-cmd'), 'boot'), /--print-qemu-cmd goes with learn/);
    await assert.rejects(configFrom(runtime, values('--toolchain', 'cross-compile'), 'boot'), /--toolchain goes with a Zephyr build/);
    await assert.rejects(configFrom(runtime, values('--builder', 'west'), 'boot'), /--builder west: --app PATH .* is required/);
  });

  it("turns numbers and the build options into a config; --xen 4.17 is setup's copy", async () => {
    const config = await configFrom(runtime, values('--timeout', '7', '--app', '/x/app', '--xen', '4.17'), 'boot');
    assert.equal(config.timeout, 7);
    assert.deepEqual(config.build, { type: 'west', app: '/x/app' });
    assert.match(config.xen!, /\.cache\/xen\/4\.17\/xen$/);
  });

  it('drift merge takes only its own options', () => {
    assert.deepEqual(mergeOptions(runtime, values('--fail-on', 'drift', '--out', 'o')), { failOn: 'drift', baseline: null });
    assert.throws(() => mergeOptions(runtime, values('--memory', '2G')), /--memory goes with drift, not drift merge/);
  });
});

describe('the one-line error', () => {
  it('is the first line of the message, saying where the rest is', () => {
    assert.equal(oneLine(new ToolError('USAGE', 'config', 'bad')), 'xen-dom0-boot: config: bad [USAGE]');
    const drift = new ToolError('DRIFT', 'drift', "Xen's layout drifted:\nfield lock now\n---", {
      details: { changes: [], inputChanges: [] },
    });
    assert.equal(oneLine(drift), "xen-dom0-boot: drift: Xen's layout drifted: (the rest is in the summary and report.json) [DRIFT]");
  });
});
