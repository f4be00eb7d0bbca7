/** Fault scenarios: the run skeleton (issue "One run skeleton"): every failure leaves report.json and JUnit, from argv to signals. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/fixtures.js';
import type { Guests } from './guests.js';
import { cli, outcomeOf, start, type Scenario } from './harness.js';
import { learn, userDts, userFile } from './scenarios.js';

const hang = path.join(FIXTURES, 'fake-qemu', 'hang.sh');

async function until(test: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

export function runScenarios(_guests: Guests): Scenario[] {
  return [
    {
      // An empty --out is refused; the current folder (the user's) is left as it was.
      name: 'out-empty-leaves-cwd-alone',
      expect: 'USAGE',
      run: async (c) => {
        userFile(c, 'report.json', '{"mine": true}');
        userFile(c, 'tool.log', 'my log');
        const r = await cli(c, ['learn', '--out', ''], {}, c.user);
        const extra = readdirSync(c.user).filter((f) => !['report.json', 'tool.log'].includes(f));
        return { ...r, got: extra.length ? `${r.got}, wrote ${extra.join(', ')} into the current folder` : r.got };
      },
    },
    {
      // A --junit that cannot be written is named before anything boots.
      name: 'junit-bad-path-before-boot',
      expect: 'OUTPUT_WRITE_FAILED',
      run: async (c) => {
        const r = await cli(c, learn(c, '--junit', path.join(c.dir, 'no-such-folder', 'j.xml')));
        const booted = existsSync(path.join(c.out, 'serial.log'));
        return { ...r, got: booted ? `${r.got}, but QEMU ran first` : r.got };
      },
    },
    {
      name: 'junit-over-report-json',
      expect: 'USAGE',
      run: (c) => cli(c, learn(c, '--junit', path.join(c.out, 'report.json'))),
    },
    {
      name: 'junit-and-bundle-one-file',
      expect: 'USAGE',
      run: (c) => cli(c, learn(c, '--junit', path.join(c.dir, 'x.out'), '--bundle', path.join(c.dir, 'x.out'))),
    },
    {
      // A FIFO as --config would block the read (and Ctrl-C): refused as not a regular file.
      name: 'config-fifo-refused',
      expect: 'CONFIG_INVALID',
      run: (c) => {
        const fifo = path.join(c.dir, 'config.fifo');
        execFileSync('mkfifo', [fifo]);
        return cli(c, learn(c, '--config', fifo));
      },
    },
    {
      // Two Ctrl-C in a row: the report and JUnit are still written (the harness checks both), exit 130.
      name: 'two-sigints-still-report',
      expect: 'INTERRUPTED',
      run: async (c) => {
        const child = start(c, learn(c, '--qemu', hang, '--dtb', userDts(c), '--timeout', '30', '--xen-timeout', '20'));
        await until(() => existsSync(path.join(c.out, 'serial.log')));
        child.kill('SIGINT');
        await new Promise((r) => setTimeout(r, 5));
        child.kill('SIGINT');
        const result = await child;
        const outcome = outcomeOf(c, result.exitCode ?? -1, String(result.stdout), String(result.stderr));
        const report = JSON.parse(readFileSync(path.join(c.out, 'report.json'), 'utf8')) as { steps: { name: string; status: string }[] };
        const boot = report.steps.find((s) => s.name === 'boot');
        return { ...outcome, got: boot?.status === 'interrupted' ? outcome.got : `${outcome.got}, boot step ${boot?.status}` };
      },
    },
    {
      // A mistyped option still leaves report.json (inputs null) and JUnit with the plan's steps, once each.
      name: 'argv-error-reports',
      expect: 'USAGE',
      run: async (c) => {
        mkdirSync(c.out, { recursive: true });
        return cli(c, ['learn', '--out', c.out, '--dom0mem', '1G']);
      },
    },
  ];
}
