/** Help, the version and completion are answered before the run's modules load (README "Performance"): recorded by a loader hook. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** The project's own modules (src/...) the CLI loaded for `args`, and its exit code. */
async function loaded(args: string[]): Promise<{ modules: string[]; exitCode: number }> {
  const log = path.join(tempDir('modules'), 'modules.log');
  const hook = path.join(ROOT, 'test', 'helpers', 'record-modules.mjs');
  const r = await execa(process.execPath, ['--import', 'tsx', '--import', hook, path.join(ROOT, 'src', 'cli.ts'), ...args], {
    reject: false,
    env: { XDB_MODULES_LOG: log },
  });
  const src = `file://${path.join(ROOT, 'src')}/`;
  const modules = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith(src))
    .map((url) => url.slice(src.length));
  return { modules: [...new Set(modules)], exitCode: r.exitCode ?? -1 };
}

/** The folders of what a run needs: none of them may load to answer help. */
const RUN_FOLDERS =
  /^(commands|run|pipeline|report|overlay|build|devicetree|image|dtb|qemu|config|serial|xen)\/|^cli\/(runtime|setup)\.ts$/;

describe('start-up', () => {
  for (const args of [['--help'], ['-V'], ['help', 'boot'], ['drift', 'merge', '--help'], ['completion', 'zsh'], ['boto']]) {
    it(`${args.join(' ')} loads none of the run's modules`, async () => {
      const { modules, exitCode } = await loaded(args);
      assert.ok(modules.includes('cli/argv.ts'), modules.join(' '));
      assert.deepEqual(
        modules.filter((m) => RUN_FOLDERS.test(m)),
        [],
      );
      assert.equal(exitCode, args[0] === 'boto' ? 2 : 0);
    });
  }

  it('a run loads them (the hook sees what loads)', async () => {
    const { modules, exitCode } = await loaded(['learn', '--timeout', 'soon', '--out', path.join(tempDir('run'), 'run')]);
    assert.equal(exitCode, 2);
    assert.ok(modules.includes('cli/runtime.ts') && modules.includes('run/run.ts'), modules.join(' '));
  });
});
