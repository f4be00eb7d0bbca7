/** The fault suite's harness: run one scenario in a fresh folder, then check process table and user files. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { isAlive, processesMentioning } from '../helpers/procs.js';
import { ROOT } from '../helpers/cli.js';

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

/** Runs the CLI; `got` comes from report.json in `out` when there is one, else from the error line. */
export async function cli(
  ctx: Ctx,
  args: string[],
  env: Record<string, string> = {},
): Promise<Outcome & { stderr: string; stdout: string }> {
  ctx.before ??= snapshot(ctx.user);
  const result = await execa(process.execPath, [CLI, ...args], { cwd: ROOT, reject: false, env, timeout: 180_000 });
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
  return execa(process.execPath, [CLI, ...args], { cwd: ROOT, reject: false, env });
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
  const ok = outcome.got === scenario.expect && leftover.length === 0 && changed.length === 0;
  return { name: scenario.name, expect: scenario.expect, got: outcome.got, leftover, changed, ok, ms, note: outcome.note ?? '' };
}
