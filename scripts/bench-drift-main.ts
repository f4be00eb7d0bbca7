/** `npm run bench:drift`: the drift-at-scale rows of `npm run bench` alone (scripts/bench-drift.ts). */
import { mkdtempSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../src/base/paths.js';
import { benchDrift } from './bench-drift.js';

const CLI = path.join(PROJECT_ROOT, 'dist', 'xen-dom0-boot.cjs');
const work = mkdtempSync(path.join(tmpdir(), 'xdb-bench-drift-'));
let counter = 0;
// As on a plain Debian machine: without the sandbox's CA bundle (README, Performance).
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const SETTLE_GIB = Math.max(1, Math.min(4, Math.floor(freemem() / 4 / 2 ** 30)));
const { figures, raw } = await benchDrift({
  fresh: (name) => path.join(work, `${name}-${(counter += 1)}`),
  settle: async () => void (await execa(process.execPath, ['-e', `for (let i = 0; i < ${SETTLE_GIB}; i += 1) Buffer.alloc(2 ** 30, 1);`])),
  cli: async (argv) => {
    const child = execa(process.execPath, [CLI, ...argv], { reject: false, env: { ...env, CI: 'true' }, extendEnv: false });
    const t0 = performance.now();
    const r = await child;
    if (r.exitCode !== 0) throw new Error(`xen-dom0-boot ${argv.join(' ')} exited ${r.exitCode}: ${String(r.stderr).slice(-400)}`);
    return { ms: performance.now() - t0, stdout: String(r.stdout) };
  },
});
for (const f of figures)
  console.log(
    `${f.name.padEnd(42)}  ${f.value.padStart(9)}  ${f.target.padEnd(10)}  ${f.met === null ? '   ' : f.met ? 'yes' : 'NO '}  ${f.detail}`,
  );
console.log(JSON.stringify(raw));
