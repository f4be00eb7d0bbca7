/** Ctrl-C and SIGTERM during a boot: QEMU and its children are stopped, exit code 130. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'node:test';
import { readReport, ROOT } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { isAlive, processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForFile(file: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(file) && Date.now() < end) await sleep(50);
  assert.ok(existsSync(file), `${file} never appeared`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  describe(`${signal} during a boot`, () => {
    it('stops the QEMU process tree and exits 130', async () => {
      const dir = path.join(tempDir('signal'), 'run');
      const args = ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), 'learn', '--qemu', path.join(FIXTURES, 'fake-qemu', 'hang.sh')];
      args.push('--dtb', path.join(FIXTURES, 'dtb', 'xen-virt-6G.dts'), '--timeout', '60', '--out', dir);
      const child = execa(process.execPath, args, { cwd: ROOT, reject: false });
      await waitForFile(path.join(dir, 'fake-child.pid'), 20_000);
      const grandchild = Number(readFileSync(path.join(dir, 'fake-child.pid'), 'utf8'));
      assert.ok(isAlive(grandchild));
      child.kill(signal);
      const result = await child;
      assert.equal(result.exitCode, 130, String(result.stderr));
      // The one-line failure, naming the step it stopped at; report.json says the same.
      assert.match(
        String(result.stderr),
        new RegExp(`^xen-dom0-boot: xen-boot: ${signal}: stopped QEMU and builds \\(during boot\\) \\[INTERRUPTED\\]$`, 'm'),
      );
      const report = readReport(dir);
      assert.equal(report.failure?.code, 'INTERRUPTED');
      assert.equal(report.steps.find((s) => s.name === 'boot')?.status, 'interrupted');
      assert.equal(isAlive(grandchild), false);
      assert.deepEqual(processesMentioning(dir), []);
    });
  });
}
