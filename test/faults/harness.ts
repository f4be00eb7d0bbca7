/** The fault suite's harness: run one scenario in a fresh folder, then check process table and user files. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { isAlive, processesMentioning } from '../helpers/procs.js';
import { ROOT } from '../helpers/cli.js';
import { assertJunit, assertReportFolder } from '../helpers/schema.js';

export const CLI = path.join(ROOT, 'dist', 'xen-dom0-boot.cjs');

export interface Ctx {
  /** The scenario's own folder (mkdtemp); everything it starts mentions it or records its pid here. */
  dir: string;
  /** Files of "the user": must be byte-identical afterwards. */
  user: string;
  /** A run folder inside `dir` (tool-owned). */
  out: string;
  /** The user's files as they were when the tool first started (taken by cli()/start()). */
  before?: Map<string, string>;
  /** Every CLI run of the scenario, for the report check. */
  runs?: Invocation[];
}

/** One CLI run: its argv (with the --junit the harness added when the scenario gave none) and how it ended. */
interface Invocation {
  args: string[];
  /** The JUnit file the harness asked for (null: the scenario named its own). */
  junit: string | null;
  exitCode?: number | null;
  signal?: string | null;
  stderr?: string;
}

/** Asks every run for JUnit (unless the scenario names its own), so every failure path is checked for it. */
function track(ctx: Ctx, args: string[]): Invocation {
  ctx.runs ??= [];
  const junit = args.includes('--junit') ? null : path.join(ctx.dir, `junit-${ctx.runs.length + 1}.xml`);
  const run: Invocation = { args: junit ? [...args, '--junit', junit] : args, junit };
  ctx.runs.push(run);
  return run;
}

const valueOf = (args: string[], option: string): string | null => {
  const i = args.indexOf(option);
  return i >= 0 && i + 1 < args.length ? args[i + 1]! : null;
};

/**
 * What a failed run must leave: report.json in its --out, valid against the schema, and the JUnit
 * file, well-formed. Not when --out itself was refused (the message names it) or the tool was SIGKILLed.
 */
export function reportProblems(runs: Invocation[]): string[] {
  const problems: string[] = [];
  for (const run of runs) {
    if (run.exitCode === 0 || run.exitCode === undefined || run.signal === 'SIGKILL') continue;
    const out = valueOf(run.args, '--out');
    // --out refused, or the disk under it full: the report cannot be there, and the error line says why.
    const outRefused = out !== null && (/--out /.test(run.stderr ?? '') || (run.stderr ?? '').includes(`${out}/`));
    try {
      if (out && !outRefused && run.args[0] !== undefined) assertReportFolder(out, run.junit ? { junit: run.junit } : {});
      else if (run.junit) assertJunit(run.junit);
      if (run.junit) {
        const xml = readFileSync(run.junit, 'utf8');
        const names = [...xml.matchAll(/<testcase [^>]*name="([^"]*)"/g)].map((m) => m[1]!);
        const twice = names.filter((name, i) => names.indexOf(name) !== i);
        if (twice.length > 0) throw new Error(`JUnit ${run.junit}: test case named twice: ${twice.join(', ')}`);
        const reportFile = out ? path.join(out, 'report.json') : null;
        const failed =
          reportFile && existsSync(reportFile)
            ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { failure: unknown }).failure !== null
            : true;
        if (failed && !/<failure /.test(xml))
          throw new Error(`JUnit ${run.junit}: the run failed (exit ${run.exitCode}) but no test case did`);
      }
    } catch (error) {
      problems.push(
        `${run.args.slice(0, 1).join(' ')} exit ${run.exitCode}: ${(error as Error).message.split('\n').slice(0, 4).join(' | ')}`,
      );
    }
  }
  return problems;
}

export interface Outcome {
  exitCode: number;
  /** The failure code from report.json or the error line; "ok" on success. */
  got: string;
  note?: string;
}

export interface Scenario {
  name: string;
  expect: string;
  run(ctx: Ctx): Promise<Outcome>;
}

export interface Row {
  name: string;
  expect: string;
  got: string;
  leftover: string[];
  changed: string[];
  /** A failed run without a valid report.json (in its --out) or JUnit file. */
  reports: string[];
  ok: boolean;
  ms: number;
  note: string;
}

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(path.relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return files;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

/** Pids fakes wrote (fake-child.pid and friends) anywhere under `dir`. */
function recordedPids(dir: string): number[] {
  const pids: number[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry.endsWith('.pid') && entry !== 'qemu.pid') pids.push(Number(readFileSync(p, 'utf8').trim()));
    }
  };
  walk(dir);
  return pids.filter((pid) => pid > 0);
}

/** The scenario's own layout records (src/pipeline/layout-records.ts): none of the project's cache, none of another scenario's. */
const scenarioEnv = (ctx: Ctx, env: Record<string, string>): Record<string, string> => ({
  XEN_DOM0_BOOT_LAYOUTS: path.join(ctx.dir, 'layouts'),
  ...env,
});

/** Runs the CLI; `got` comes from report.json in `out` when there is one, else from the error line. */
export async function cli(
  ctx: Ctx,
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<Outcome & { stderr: string; stdout: string }> {
  ctx.before ??= snapshot(ctx.user);
  const run = track(ctx, args);
  const result = await execa(process.execPath, [CLI, ...run.args], { cwd, reject: false, env: scenarioEnv(ctx, env), timeout: 180_000 });
  Object.assign(run, { exitCode: result.exitCode ?? null, signal: result.signal ?? null, stderr: String(result.stderr) });
  return outcomeOf(ctx, result.exitCode ?? -1, String(result.stdout), String(result.stderr));
}

export function outcomeOf(ctx: Ctx, exitCode: number, stdout: string, stderr: string): Outcome & { stderr: string; stdout: string } {
  const reportFile = path.join(ctx.out, 'report.json');
  let got = exitCode === 0 ? 'ok' : (/\[([A-Z_]+)\]\s*$/m.exec(stderr)?.[1] ?? `exit ${exitCode}`);
  if (existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { failure: { code: string } | null };
    got = report.failure?.code ?? 'ok';
  }
  if (exitCode === 130) got = 'INTERRUPTED';
  return { exitCode, got, stdout, stderr };
}

/** Starts the CLI without waiting (signal scenarios). */
export function start(ctx: Ctx, args: string[], env: Record<string, string> = {}): ResultPromise<{ reject: false }> {
  ctx.before ??= snapshot(ctx.user);
  const run = track(ctx, args);
  const child = execa(process.execPath, [CLI, ...run.args], { cwd: ROOT, reject: false, env: scenarioEnv(ctx, env) });
  void child.then((result) =>
    Object.assign(run, { exitCode: result.exitCode ?? null, signal: result.signal ?? null, stderr: String(result.stderr) }),
  );
  return child;
}

export async function runScenario(scenario: Scenario): Promise<Row> {
  const dir = mkdtempSync(path.join(tmpdir(), `xdb-fault-${scenario.name}-`));
  const ctx: Ctx = { dir, user: path.join(dir, 'user'), out: path.join(dir, 'run') };
  mkdirSync(ctx.user);
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    outcome = await scenario.run(ctx);
  } catch (error) {
    outcome = { exitCode: -1, got: `harness error: ${(error as Error).message}` };
  }
  const ms = Math.round(performance.now() - t0);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const leftover = [
    ...processesMentioning(dir),
    ...recordedPids(dir)
      .filter(isAlive)
      .map((pid) => `${pid} (recorded by a fake)`),
  ];
  const changed = changedFiles(ctx.before ?? new Map(), snapshot(ctx.user));
  const reports = reportProblems(ctx.runs ?? []);
  const ok = outcome.got === scenario.expect && leftover.length === 0 && changed.length === 0 && reports.length === 0;
  return { name: scenario.name, expect: scenario.expect, got: outcome.got, leftover, changed, reports, ok, ms, note: outcome.note ?? '' };
}
