/**
 * Fault scenarios: process (issue "One process core, and no input, signal or full disk ...").
 * Nothing outlives the tool (a build's background job after a successful build, SIGHUP, SIGKILL of
 * the tool itself), a closed output pipe ends the tool, a QEMU killed while Dom0 is watched is
 * QEMU_EXITED, and deadline errors name their option with its value.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processesMentioning } from '../helpers/procs.js';
import { CLI, cli, outcomeOf, start, type Ctx, type Outcome, type Scenario } from './harness.js';
import type { Guests } from './guests.js';
import { boot, commandConfig, copyImage, learn } from './scenarios.js';

/** Waits until `ready()` or `ms` passed; true when it became ready. */
async function until(ready: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ready() && Date.now() < end) await sleep(50);
  return ready();
}

/** `boot` with a command build; `script` runs under `sh -c` with "$1" the build's output folder. */
const shBuild = (c: Ctx, script: string, extra: object = {}): string[] => [
  '--config',
  commandConfig(c, ['sh', '-c', script, 'sh', '{outDir}'], extra),
];

/** Starts a run, sends `signal` once `ready()` (polled for 60 s), and says how the run ended. */
async function signalWhen(c: Ctx, args: string[], signal: NodeJS.Signals, ready: () => boolean): Promise<Outcome> {
  const child = start(c, args);
  let ended = false;
  void child.finally(() => (ended = true));
  if (!(await until(() => ended || ready(), 60_000)) || ended) {
    child.kill('SIGKILL');
    const result = await child;
    return { exitCode: -1, got: 'never got ready', note: String(result.stderr).trim().split('\n').at(-1) };
  }
  await sleep(300);
  const t0 = performance.now();
  child.kill(signal);
  const result = await child;
  const ms = Math.round(performance.now() - t0);
  if (signal === 'SIGKILL') {
    // The tool cannot clean up: the kernel's parent-death signal and the group guard must. Give them a second.
    await until(() => processesMentioning(c.dir).length === 0, 1000);
    return { exitCode: -1, got: result.signal === 'SIGKILL' ? 'killed' : `exit ${result.exitCode}`, note: 'tool SIGKILLed' };
  }
  const outcome = outcomeOf(c, result.exitCode ?? -1, String(result.stdout), String(result.stderr));
  const got = result.exitCode === undefined ? `died of ${result.signal}` : ms <= 3000 ? outcome.got : `${outcome.got} after ${ms} ms`;
  return { ...outcome, got, note: `exit ${ms} ms after ${signal}` };
}

/**
 * Runs the CLI with stdout and stderr both into `head -1` (as `cmd 2>&1 | head -1`): once head has
 * its line and exits, the tool's next write fails with EPIPE. It must end within 5 s.
 */
async function headOne(c: Ctx, args: string[]): Promise<Outcome> {
  await cli(c, ['--version']); // takes the user-file snapshot before the run
  const head = spawn('head', ['-1'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let firstLine = '';
  head.stdout.on('data', (d: Buffer) => (firstLine += String(d)));
  const tool = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', head.stdin, head.stdin] });
  head.stdin.destroy(); // only the tool holds the pipe's write end now
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    tool.once('exit', (code, signal) => r({ code, signal })),
  );
  await new Promise((r) => head.once('exit', r));
  const t0 = performance.now();
  const ended = await Promise.race([exited, sleep(5000).then(() => null)]);
  const ms = Math.round(performance.now() - t0);
  if (!ended) {
    tool.kill('SIGKILL');
    await exited;
    return { exitCode: -1, got: 'still running 5 s after head exited', note: `head read: ${firstLine.trim().slice(0, 60)}` };
  }
  const got = ended.code === 130 ? 'INTERRUPTED' : `exit ${ended.code ?? ended.signal}`;
  return { exitCode: ended.code ?? -1, got, note: `exit ${ms} ms after head exited` };
}

/** The boot's QEMU pid once pass `n` handed over to Dom0 (the serial log has the hand-over line). */
function handedOver(c: Ctx, n: number): boolean {
  const dir = path.join(c.out, `pass-${n}`);
  return (
    existsSync(path.join(dir, 'qemu.pid')) &&
    existsSync(path.join(dir, 'serial.log')) &&
    readFileSync(path.join(dir, 'serial.log'), 'latin1').includes('*** Serial input to DOM0')
  );
}

/** The error line's deadline option: "names --timeout" when it names that one and not the other. */
function namesOption(stderr: string, option: string, not: string): string {
  const line = stderr.split('\n').find((l) => / \[[A-Z0-9_]+\]$/.test(l)) ?? '(no error line)';
  return line.includes(option) && !line.includes(not) ? `names ${option}` : line;
}

export function processScenarios(guests: Guests): Scenario[] {
  // The demo guest built with the seed's hypervisor node prints "dom0-demo: DIFF ..." lines: with
  // these patterns it counts as up, so a command build of it converges in two passes.
  const printsLines = { successPatterns: ['^dom0-demo: '], failurePattern: '^never-printed$' };
  return [
    {
      name: 'build-background-job-after-success',
      expect: 'ok',
      // Each build leaves a job in its group and succeeds; its pid goes to bg-<sh pid>.pid.
      run: (c) =>
        cli(
          c,
          boot(
            c,
            ...shBuild(
              c,
              `cp '${guests.wrongRegions}' "$1/dom0.bin" && { (sleep 3040) >/dev/null 2>&1 & echo $! > '${c.dir}'/bg-$$.pid; }`,
              printsLines,
            ),
          ),
        ),
    },
    {
      name: 'build-background-job-holds-output',
      expect: 'ok',
      // The job keeps the build's stdout open for 50 minutes: the build is done when its command is.
      run: (c) =>
        cli(
          c,
          boot(
            c,
            '--build-timeout',
            '20',
            ...shBuild(c, `cp '${guests.wrongRegions}' "$1/dom0.bin" && { sleep 3041 & echo $! > '${c.dir}'/bg-$$.pid; }`, printsLines),
          ),
        ),
    },
    {
      name: 'sighup-during-build',
      expect: 'INTERRUPTED',
      run: (c) =>
        signalWhen(c, boot(c, ...shBuild(c, `sleep 3042 & echo $! > '${c.dir}'/build-child.pid; sleep 3043`)), 'SIGHUP', () =>
          existsSync(path.join(c.dir, 'build-child.pid')),
        ),
    },
    {
      name: 'sighup-during-real-boot',
      expect: 'INTERRUPTED',
      run: (c) => signalWhen(c, boot(c, '--success', '^never-printed$', '--dom0-timeout', '60'), 'SIGHUP', () => handedOver(c, 2)),
    },
    {
      name: 'sigkill-tool-during-real-boot',
      expect: 'killed',
      run: (c) => signalWhen(c, boot(c, '--success', '^never-printed$', '--dom0-timeout', '60'), 'SIGKILL', () => handedOver(c, 2)),
    },
    {
      name: 'sigkill-tool-during-build',
      expect: 'killed',
      run: (c) =>
        signalWhen(c, boot(c, ...shBuild(c, `sleep 3044 & echo $! > '${c.dir}'/build-child.pid; sleep 3045`)), 'SIGKILL', () =>
          existsSync(path.join(c.dir, 'build-child.pid')),
        ),
    },
    { name: 'epipe-boot-both-to-head-1', expect: 'INTERRUPTED', run: (c) => headOne(c, boot(c)) },
    { name: 'epipe-learn-verbose-head-1', expect: 'INTERRUPTED', run: (c) => headOne(c, learn(c, '--verbose')) },
    {
      name: 'qemu-killed-while-dom0-watched',
      expect: 'QEMU_EXITED',
      run: async (c) => {
        const child = start(c, boot(c, '--dom0-timeout', '60', '--config', commandConfig(c, copyImage(guests.silent))));
        if (await until(() => handedOver(c, 2), 60_000)) {
          await sleep(200);
          process.kill(Number(readFileSync(path.join(c.out, 'pass-2', 'qemu.pid'), 'utf8')), 'SIGKILL');
        } else child.kill('SIGKILL');
        const result = await child;
        const outcome = outcomeOf(c, result.exitCode ?? -1, String(result.stdout), String(result.stderr));
        return { ...outcome, note: namesOption(outcome.stderr, 'SIGKILL', '--dom0-timeout') };
      },
    },
    {
      name: 'dom0-silent-names-deadline',
      expect: 'names --dom0-timeout 2 s',
      run: async (c) => {
        const r = await cli(c, boot(c, '--dom0-timeout', '2', '--config', commandConfig(c, copyImage(guests.silent))));
        return { ...r, got: r.got === 'DOM0_SILENT' ? namesOption(r.stderr, '--dom0-timeout 2 s', '(--dom0-timeout)') : r.got };
      },
    },
    {
      name: 'tiny-timeout-names-timeout',
      expect: 'names --timeout',
      run: async (c) => {
        const r = await cli(c, learn(c, '--timeout', '0.001'));
        return { ...r, got: namesOption(r.stderr, '--timeout', '--xen-timeout'), note: r.got };
      },
    },
  ];
}
