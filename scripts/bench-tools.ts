/** What `npm run bench` and `npm run bench:drift` share: the CLI timed as a user runs it, a settled memory state, medians. */
import { mkdtempSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../src/base/paths.js';

/** One row of a bench's table. */
export interface Figure {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
  detail: string;
}

export const CLI = path.join(PROJECT_ROOT, 'dist', 'xen-dom0-boot.cjs');
const work = mkdtempSync(path.join(tmpdir(), 'xdb-bench-'));
let counter = 0;
/** A new path in the bench's scratch folder. */
export const fresh = (name: string): string => path.join(work, `${name}-${(counter += 1)}`);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** The median of `n` runs of `fn`. */
export async function repeat(n: number, fn: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i += 1) xs.push(await fn());
  return median(xs);
}
// The tool runs as on a plain Debian machine. This sandbox sets NODE_EXTRA_CA_CERTS for its npm
// proxy, and Node 20 then parses the whole CA bundle at every start (about 35 ms here); the
// tool makes no TLS connection. The table shows learn both without it and with it.
const plainEnv = { ...process.env };
delete plainEnv.NODE_EXTRA_CA_CERTS;
export const ENV_PLAIN = { ...plainEnv, CI: 'true' };
export const ENV_AS_IS = { ...process.env, CI: 'true' };
/**
 * The CLI with `argv`, timed from the spawn (the bench's own option handling is not the tool's
 * time); a non-zero exit fails the bench.
 */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = ENV_PLAIN): Promise<{ ms: number; stdout: string }> {
  const child = execa(process.execPath, [CLI, ...argv], { reject: false, env, extendEnv: false });
  const t0 = performance.now();
  const r = await child;
  const ms = performance.now() - t0;
  if (r.exitCode !== 0) throw new Error(`xen-dom0-boot ${argv.join(' ')} exited ${r.exitCode}: ${String(r.stderr).slice(-400)}`);
  return { ms, stdout: String(r.stdout) };
}
/** `node -e 0`: Node's own start-up, the floor under every command. */
export async function nodeStart(env: NodeJS.ProcessEnv): Promise<number> {
  const child = execa(process.execPath, ['-e', '0'], { env, extendEnv: false });
  const t0 = performance.now();
  await child;
  return performance.now() - t0;
}

/**
 * The same memory state before every timed boot, the limit's and the tool's. This VM hands freed
 * memory back to its host (virtio-balloon free page reporting), so a QEMU that starts after about
 * 2 s without a boot zeroes cold pages and reaches the hand-over 100-300 ms later. Touching 4 GiB
 * (at most a quarter of free memory) in a child just before brings most boots back to 200-250 ms (measured here: median 440 ms
 * without, 230 ms with); what noise is left falls on the limit and the tool alike.
 */
const SETTLE_GIB = Math.max(1, Math.min(4, Math.floor(freemem() / 4 / 2 ** 30)));
export async function settle(): Promise<void> {
  await execa(process.execPath, ['-e', `for (let i = 0; i < ${SETTLE_GIB}; i += 1) Buffer.alloc(2 ** 30, 1);`]);
}
