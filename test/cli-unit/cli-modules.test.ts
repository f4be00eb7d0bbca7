/** The command line's pure parts: config from argv and the one-line error, without running a command (argv: argv.test.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolError } from '../../src/base/errors.js';
import { parse, type Values } from '../../src/cli/argv.js';
import { configFrom, mergeOptions } from '../../src/cli/config-from-argv.js';
import { oneLine } from '../../src/cli/print.js';
import * as runtime from '../../src/cli/runtime.js';

/** The options `argv` gives its command (a run without a mistake). */
function values(...argv: string[]): Values {
  const parsed = parse(argv);
  assert.equal(parsed.kind, 'run');
  if (parsed.kind !== 'run') throw new Error('not a run');
  assert.equal(parsed.error, null);
  return parsed.values;
}

describe('config from argv', () => {
  it('refuses what goes with a Zephyr build only, or needs the config file', async () => {
    await assert.rejects(
      configFrom(runtime, values('boot', '--toolchain', 'cross-compile'), 'boot'),
      /--toolchain goes with a Zephyr build/,
    );
    await assert.rejects(configFrom(runtime, values('boot', '--builder', 'west'), 'boot'), /--builder west: --app PATH .* is required/);
    await assert.rejects(
      configFrom(runtime, values('boot', '--builder', 'command'), 'boot'),
      /--builder command: give the command in a --config file/,
    );
  });

  it("turns numbers and the build options into a config; --xen 4.17 is setup's copy", async () => {
    const config = await configFrom(runtime, values('boot', '--timeout', '7', '--app', '/x/app', '--xen', '4.17'), 'boot');
    assert.equal(config.timeout, 7);
    assert.deepEqual(config.build, { type: 'west', app: '/x/app' });
    assert.match(config.xen!, /\.cache\/xen\/4\.17\/xen$/);
  });

  it("drift merge's judging from --fail-on and --baseline", () => {
    assert.deepEqual(mergeOptions(runtime, values('drift', 'merge', 'a', '--fail-on', 'drift', '--out', 'o')), {
      failOn: 'drift',
      baseline: null,
    });
    assert.throws(() => mergeOptions(runtime, values('drift', 'merge', 'a', '--fail-on', 'sometimes')), { code: 'USAGE' });
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
