/** Fault scenarios: inputs (issue "One process core, and no input, signal or full disk ..."): user patterns, NUL, oversized and empty values. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Guests } from './guests.js';
import { cli, outcomeOf, start, type Ctx, type Outcome, type Scenario } from './harness.js';
import { boot, learn, userFile } from './scenarios.js';

type Output = Outcome & { stderr: string; stdout: string };

/** The pattern that takes a backtracking engine 2^n steps on an n-character line that does not end in Z. */
const CATASTROPHIC = '^(.|.)*Z$';

/**
 * An input error as the README promises it: exit 2, and the last stderr line is the one-line error that
 * names each of `names` (the option or field, the file, the value); with --json, stderr is that line alone
 * and stdout the report, whose failure is the same code.
 */
/** The failure code of the report JSON on stdout; 'no report' when stdout is not one. */
function jsonFailureCode(stdout: string): string {
  try {
    return (JSON.parse(stdout) as { failure: { code: string } | null }).failure?.code ?? 'ok';
  } catch {
    return 'no report';
  }
}

async function inputError(ctx: Ctx, args: string[], names: (string | RegExp)[]): Promise<Output> {
  const r = await cli(ctx, args);
  const lines = r.stderr.trimEnd().split('\n');
  const last = lines.at(-1) ?? '';
  const missing = names.filter((n) => (typeof n === 'string' ? !last.includes(n) : !n.test(last)));
  const problems = [
    r.exitCode === 2 ? '' : `exit ${r.exitCode}`,
    missing.length === 0 ? '' : `error line does not name ${missing.map(String).join(', ')}`,
    /^xen-dom0-boot: [a-z-]+: .+ \[[A-Z_]+\]$/.test(last) ? '' : 'no one-line error',
    args.includes('--json') && (lines.length !== 1 || jsonFailureCode(r.stdout) !== /\[([A-Z_]+)\]$/.exec(last)?.[1])
      ? `--json: ${lines.length} stderr lines, stdout's report says ${jsonFailureCode(r.stdout)}`
      : '',
  ].filter(Boolean);
  return { ...r, got: problems.length === 0 ? r.got : `${r.got} (${problems.join('; ')})`, note: last.slice(0, 160) };
}

/** A run that must end by itself: `got` says so when it is still running after `limitMs` (then it is killed, QEMU may be left). */
async function bounded(ctx: Ctx, args: string[], limitMs: number): Promise<Output & { ms: number }> {
  const t0 = performance.now();
  const child = start(ctx, args);
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const result = await child;
  clearTimeout(timer);
  const ms = Math.round(performance.now() - t0);
  const outcome = outcomeOf(ctx, result.exitCode ?? -1, String(result.stdout), String(result.stderr));
  return { ...outcome, ms, got: ms >= limitMs ? `still running after ${limitMs} ms` : outcome.got };
}

/** Waits until pass `pass`'s serial log holds `text` (at most `limitMs`). */
async function serialShows(ctx: Ctx, pass: string, text: string, limitMs: number): Promise<boolean> {
  const file = path.join(ctx.out, pass, 'serial.log');
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (existsSync(file) && readFileSync(file, 'latin1').includes(text)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export function inputsScenarios(_guests: Guests): Scenario[] {
  return [
    // --- user patterns run in linear time: deadlines and Ctrl-C hold
    {
      name: 'pattern-catastrophic-deadline',
      expect: 'DOM0_SILENT',
      run: async (c) => {
        // Two passes (seed layout, then the learned one); the second watches Dom0 for 3 s with the pattern.
        const r = await bounded(c, boot(c, '--success', CATASTROPHIC, '--dom0-timeout', '3'), 40_000);
        const named = /--dom0-timeout 3/.test(r.stderr);
        const inTime = r.ms >= 3000 && r.ms < 25_000;
        return {
          ...r,
          got: r.got === 'DOM0_SILENT' && (!named || !inTime) ? `DOM0_SILENT (${named ? '' : 'deadline not named, '}${r.ms} ms)` : r.got,
          note: `ended ${r.ms} ms after start (--dom0-timeout 3)`,
        };
      },
    },
    {
      name: 'pattern-catastrophic-ctrl-c',
      expect: 'INTERRUPTED',
      run: async (c) => {
        const child = start(c, boot(c, '--success', CATASTROPHIC, '--dom0-timeout', '60'));
        // Dom0's banner is the line a backtracking engine never finishes with.
        const seen = await serialShows(c, 'pass-2', '*** Booting dom0-demo', 30_000);
        await new Promise((r) => setTimeout(r, 500));
        const t0 = performance.now();
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const result = await child;
        clearTimeout(timer);
        const ms = Math.round(performance.now() - t0);
        const outcome = outcomeOf(c, result.exitCode ?? -1, String(result.stdout), String(result.stderr));
        const got = !seen ? `${outcome.got} (Dom0 banner never seen)` : ms > 2000 ? `${outcome.got} after ${ms} ms` : outcome.got;
        return { ...outcome, got, note: `exit ${ms} ms after SIGINT` };
      },
    },
    {
      name: 'pattern-refused-backreference',
      expect: 'USAGE',
      run: (c) =>
        inputError(c, boot(c, '--success', '^dom0-demo: (m)atch\\1$', '--dom0-timeout', '1'), ['--success', '"^dom0-demo: (m)atch\\\\1$"']),
    },
    {
      name: 'pattern-refused-in-config-json',
      expect: 'CONFIG_INVALID',
      run: (c) => {
        const config = userFile(c, 'patterns.json', JSON.stringify({ failurePattern: '(?<!no )FAIL', dom0Timeout: 1 }));
        return inputError(c, boot(c, '--json', '--config', config), [config, 'field "failurePattern"', '"(?<!no )FAIL"', 'lookaround']);
      },
    },
    // --- NUL bytes (argv cannot carry one: execve takes C strings, so they come from config files)
    {
      name: 'nul-in-xen-args-config',
      expect: 'CONFIG_INVALID',
      run: (c) => {
        const config = userFile(c, 'nul.json', JSON.stringify({ xenArgs: 'loglvl=all\0sched=null' }));
        return inputError(c, learn(c, '--config', config), [config, 'field "xenArgs"', 'NUL']);
      },
    },
    {
      name: 'nul-in-drift-config-list',
      expect: 'CONFIG_INVALID',
      run: (c) => {
        const config = userFile(c, 'drift.json', JSON.stringify({ drift: { xenArgs: ['', 'sched=null\0'] } }));
        return inputError(c, ['drift', '--out', c.out, '--config', config], [config, 'field "drift.xenArgs.1"', 'NUL']);
      },
    },
    {
      name: 'nul-in-dom0-args-config-json',
      expect: 'CONFIG_INVALID',
      run: (c) => {
        const config = userFile(c, 'dom0.json', JSON.stringify({ dom0Args: 'console=hvc0\0' }));
        return inputError(c, learn(c, '--json', '--config', config), [config, 'field "dom0Args"', 'NUL']);
      },
    },
    // --- oversized strings
    {
      name: 'oversized-config-string',
      expect: 'CONFIG_INVALID',
      run: (c) => {
        const config = userFile(c, 'big.json', JSON.stringify({ xenArgs: `a=${'x'.repeat(10 * 1024 * 1024)}` }));
        return inputError(c, learn(c, '--config', config), [config, 'field "xenArgs"', 'at most 4096 characters']);
      },
    },
    {
      name: 'oversized-cli-value',
      expect: 'USAGE',
      run: async (c) => {
        const r = await inputError(c, learn(c, '--dom0-args', `console=hvc0 ${'y'.repeat(100_000)}`), ['--dom0-args', 'at most 4096']);
        const longest = Math.max(...r.stderr.split('\n').map((l) => l.length));
        return { ...r, got: longest > 400 ? `${r.got} (a ${longest}-character error line)` : r.got };
      },
    },
    // --- empty list items
    {
      name: 'drift-memory-empty-item',
      expect: 'USAGE',
      run: (c) => inputError(c, ['drift', '--out', c.out, '--memory', ','], ['--memory', 'no empty items', '","']),
    },
    {
      name: 'drift-dom0-mem-empty-item',
      expect: 'USAGE',
      run: (c) => inputError(c, ['drift', '--json', '--out', c.out, '--dom0-mem', '256M,,1G'], ['--dom0-mem', 'no empty items']),
    },
    {
      name: 'drift-xen-args-two-lines',
      expect: 'USAGE',
      run: (c) => inputError(c, ['drift', '--out', c.out, '--xen-args', 'loglvl=all\nsched=null'], ['--xen-args', 'single line', '\\n']),
    },
    {
      name: 'dom0-mem-empty-items',
      expect: 'USAGE',
      run: (c) => inputError(c, learn(c, '--dom0-mem', ','), ['--dom0-mem', 'no empty items']),
    },
    {
      name: 'config-empty-pattern-item',
      expect: 'CONFIG_INVALID',
      run: (c) => {
        // An empty pattern matches every line: Dom0 would count as up on its first word.
        const config = userFile(c, 'empty.json', JSON.stringify({ successPatterns: ['^dom0-demo: match$', ''], dom0Timeout: 2 }));
        return inputError(c, boot(c, '--config', config), [config, 'field "successPatterns.1"', 'non-empty']);
      },
    },
    // --- a build.cwd that does not exist read as "sh not found" (TOOL_MISSING)
    {
      name: 'build-cwd-missing',
      expect: 'INPUT_NOT_FOUND',
      run: (c) => {
        const build = { type: 'command', argv: ['sh', '-c', 'true'], image: '{outDir}/dom0.bin', cwd: 'no-such-folder' };
        const config = userFile(c, 'cwd.json', JSON.stringify({ build }));
        return inputError(c, boot(c, '--config', config), ['build.cwd', path.join(c.user, 'no-such-folder'), 'no such folder']);
      },
    },
    {
      name: 'drift-jobs-out-of-range',
      expect: 'USAGE',
      run: (c) => inputError(c, ['drift', '--out', c.out, '--jobs', '100000000000000000000'], ['--jobs', '1 to 64']),
    },
    {
      // Found by a hostile review: a --qemu that exits 0 without a device tree was a misleading write error.
      name: 'qemu-writes-no-dtb',
      expect: 'DTB_FAILED',
      run: async (c) => {
        const r = await cli(c, learn(c, '--qemu', '/bin/true'));
        return {
          ...r,
          got: /\/bin\/true exited 0 but wrote no device tree/.test(r.stderr) ? r.got : `${r.got}: ${r.stderr.trim().split('\n').at(-1)}`,
        };
      },
    },
  ];
}
