/** runSetup (src/cli/setup.ts): the package's scripts/setup.sh with its arguments, its exit code returned. */
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { exitCodeOf, SETUP_SCRIPT } from '../../src/cli/setup.js';
import { ROOT } from '../helpers/cli.js';

/** runSetup in a child process, its output captured (it inherits the terminal). */
async function runSetupChild(args: string[], env: Record<string, string> = {}) {
  const code = `import { runSetup } from ${JSON.stringify(path.join(ROOT, 'src', 'cli', 'setup.ts'))};\nprocess.exitCode = await runSetup(${JSON.stringify(args)});`;
  return execa(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { reject: false, env });
}

describe('runSetup', () => {
  it("runs this package's scripts/setup.sh", () => {
    assert.equal(SETUP_SCRIPT, path.join(ROOT, 'scripts', 'setup.sh'));
  });

  it('passes the arguments: --help prints the usage and gives 0', async () => {
    const run = await runSetupChild(['--help']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, /Usage: npm run setup .*installed: xen-dom0-boot setup \[--xen 4\.20\] \[--zephyr-deps\]/);
  });

  it("returns the script's own exit code: 2 for an unknown argument, with its message", async () => {
    const run = await runSetupChild(['--xne', '4.20']);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /^setup: unknown argument '--xne' \(expected --xen VERSION or --zephyr-deps\)$/m);
  });

  it('gives 127 with the reason when bash cannot be started', async () => {
    const run = await runSetupChild(['--help'], { PATH: '/nonexistent' });
    assert.equal(run.exitCode, 127);
    assert.match(run.stderr, /^xen-dom0-boot setup: cannot run bash .*setup\.sh: /m);
  });

  it('turns an end by signal into 128 + its number, as a shell does', () => {
    assert.equal(exitCodeOf(3, undefined), 3);
    assert.equal(exitCodeOf(undefined, 'SIGINT'), 128 + constants.signals.SIGINT);
    assert.equal(exitCodeOf(undefined, 'SIGTERM'), 143);
    assert.equal(exitCodeOf(undefined, undefined), 1);
  });
});
