/** The fault scenarios: each names the failure it expects; the harness checks processes and user files. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { QEMU_CACHE_BIN } from '../../src/base/paths.js';
import { which } from '../../src/util/which.js';
import { ROOT } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { cli, outcomeOf, start, type Ctx, type Outcome, type Scenario } from './harness.js';
import type { Guests } from './guests.js';
import type { ReportJson } from '../../src/report/report.js';

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const fake = (name: string): string => path.join(FIXTURES, 'fake-qemu', name);
const fixtureDts = path.join(FIXTURES, 'dtb', 'xen-virt-6G.dts');
const realLog = path.join(FIXTURES, 'xen', 'xen417-6G-256M.log');
const TOOLS = [
  'sh',
  'cat',
  'sleep',
  'head',
  'tr',
  'cp',
  'ps',
  'qemu-system-aarch64',
  'dtc',
  'fdtput',
  'fdtget',
  'aarch64-linux-gnu-gcc',
  'aarch64-linux-gnu-objcopy',
];

export function userFile(ctx: Ctx, name: string, text: string | Buffer): string {
  const file = path.join(ctx.user, name);
  writeFileSync(file, text);
  return file;
}

export function userDts(ctx: Ctx): string {
  const file = path.join(ctx.user, 'board.dts');
  copyFileSync(fixtureDts, file);
  return file;
}

/** A PATH with the usual tools except `without`. */
export function pathWithout(ctx: Ctx, ...without: string[]): string {
  const bin = path.join(ctx.dir, `bin-${without.join('-')}`);
  mkdirSync(bin, { recursive: true });
  for (const tool of TOOLS.filter((t) => !without.includes(t))) {
    const found = which(tool);
    if (found) symlinkSync(found, path.join(bin, tool));
  }
  return bin;
}

/** The default machine profile with another QEMU binary name. */
export function profileWithBinary(ctx: Ctx, binary: string): string {
  const profile = JSON.parse(readFileSync(path.join(ROOT, 'qemu', 'virt-cortex-a53.json'), 'utf8')) as object;
  const file = path.join(ctx.dir, 'profile.json');
  writeFileSync(file, JSON.stringify({ ...profile, binary }));
  return file;
}

/** A serial log made from the real one by `edit`, for the replaying fake QEMU. */
export function serial(ctx: Ctx, edit: (text: string) => string): string {
  const file = path.join(ctx.dir, 'serial-in.log');
  writeFileSync(file, edit(readFileSync(realLog, 'latin1')), 'latin1');
  return file;
}

export const project = (ctx: Ctx): string[] => [
  '--overlay',
  path.join(ctx.dir, 'project', 'xen-dom0.overlay'),
  '--build-dir',
  path.join(ctx.dir, 'project', 'build'),
];

export function commandConfig(ctx: Ctx, argv: string[], extra: object = {}): string {
  return userFile(ctx, 'config.json', JSON.stringify({ build: { type: 'command', argv, image: '{outDir}/dom0.bin' }, ...extra }));
}

export const copyImage = (image: string): string[] => ['cp', image, '{outDir}/dom0.bin'];

/** `learn` into the scenario's run folder. */
export const learn = (ctx: Ctx, ...args: string[]): string[] => ['learn', '--out', ctx.out, ...args];
/**
 * `boot` of the scenario's own demo project into its run folder, from the seed's placeholder: the
 * scenarios reach into pass 2 (a signal there, a layout that moved); `probeBoot` starts with a probe.
 */
export const boot = (ctx: Ctx, ...args: string[]): string[] => [
  'boot',
  '--out',
  ctx.out,
  ...project(ctx),
  '--start-layout',
  'placeholder',
  ...args,
];
/** `boot` whose first layout comes from a probe boot with a stand-in image. */
export const probeBoot = (ctx: Ctx, ...args: string[]): string[] => [
  'boot',
  '--out',
  ctx.out,
  ...project(ctx),
  '--start-layout',
  'probe',
  ...args,
];

export function scenarios(guests: Guests): Scenario[] {
  const list: Scenario[] = [
    // --- config and usage
    {
      name: 'config-wrong-types',
      expect: 'CONFIG_INVALID',
      run: (c) => cli(c, learn(c, '--config', userFile(c, 'c.json', '{"memory": 6, "timeout": "soon"}'))),
    },
    {
      name: 'config-unknown-key-warns',
      expect: 'ok',
      run: async (c) => {
        const r = await cli(c, learn(c, '--config', userFile(c, 'c.json', '{"memroy": "2G"}')));
        return { ...r, got: r.got === 'ok' && /unknown field "memroy" ignored/.test(r.stderr) ? 'ok' : `${r.got} (no warning)` };
      },
    },
    { name: 'config-not-json', expect: 'CONFIG_INVALID', run: (c) => cli(c, learn(c, '--config', userFile(c, 'c.json', '{ "memory": '))) },
    { name: 'bogus-xen-path', expect: 'INPUT_NOT_FOUND', run: (c) => cli(c, learn(c, '--xen', path.join(c.dir, 'no-such-xen'))) },
    {
      name: 'dtb-address-mismatch',
      expect: 'DTB_MISMATCH',
      run: (c) => cli(c, learn(c, '--dtb', userDts(c), '--load-addr', '0x48000000')),
    },
    {
      name: 'out-dir-with-user-files',
      expect: 'OUTPUT_NOT_OURS',
      run: (c) => {
        userFile(c, 'notes.txt', 'mine');
        return cli(c, ['learn', '--out', c.user]);
      },
    },
    {
      name: 'overlay-not-ours',
      expect: 'OUTPUT_NOT_OURS',
      run: (c) => cli(c, ['boot', '--out', c.out, '--overlay', userFile(c, 'app.overlay', '/ { mine {}; };\n')]),
    },
    // --- missing tools
    {
      name: 'qemu-missing',
      expect: 'TOOL_MISSING',
      // A binary name that neither PATH nor the project's QEMU cache (npm run setup's QEMU 10) has.
      run: (c) =>
        cli(c, learn(c, '--profile', profileWithBinary(c, 'qemu-system-nowhere')), {
          PATH: pathWithout(c, 'qemu-system-aarch64'),
          ZEPHYR_SDK_INSTALL_DIR: '',
        }),
    },
    { name: 'dtc-missing', expect: 'TOOL_MISSING', run: (c) => cli(c, learn(c), { PATH: pathWithout(c, 'dtc') }) },
    {
      name: 'cross-compiler-missing',
      expect: 'TOOL_MISSING',
      run: (c) => cli(c, boot(c), { PATH: pathWithout(c, 'aarch64-linux-gnu-gcc') }),
    },
    // --- builds
    {
      name: 'build-fails',
      expect: 'BUILD_FAILED',
      run: (c) => cli(c, boot(c, '--config', commandConfig(c, ['sh', '-c', 'echo "fatal: boom" >&2; exit 3']))),
    },
    {
      name: 'build-hangs-with-children',
      expect: 'BUILD_TIMEOUT',
      run: (c) =>
        cli(
          c,
          boot(
            c,
            '--build-timeout',
            '1',
            '--config',
            commandConfig(c, ['sh', '-c', `sleep 3004 & echo $! > ${c.dir}/build-child.pid; sleep 3005`]),
          ),
        ),
    },
    // --- QEMU fakes
    {
      name: 'qemu-exits-at-start-no-retry',
      expect: 'QEMU_EXITED',
      run: async (c) => {
        const r = await cli(c, learn(c, '--qemu', fake('exits.sh'), '--dtb', userDts(c)));
        const attempts = (JSON.parse(readFileSync(path.join(c.out, 'report.json'), 'utf8')) as { boots: { attempts: number }[] }).boots[0]
          ?.attempts;
        return { ...r, got: attempts === 1 ? r.got : `${r.got}, retried (${attempts} starts)`, note: `${attempts} QEMU start` };
      },
    },
    {
      name: 'qemu-transient-start-retried',
      expect: 'ok',
      run: async (c) => {
        const r = await cli(c, learn(c, '--qemu', fake('transient-once.sh'), '--dtb', userDts(c)), {
          FAKE_STATE: c.dir,
          REAL_QEMU: which('qemu-system-aarch64')!,
        });
        const report = JSON.parse(readFileSync(path.join(c.out, 'report.json'), 'utf8')) as { boots: { attempts: number }[] };
        const attempts = report.boots[0]?.attempts;
        return { ...r, got: r.got === 'ok' && attempts === 2 ? 'ok' : `${r.got}, ${attempts} attempt(s)`, note: `${attempts} QEMU starts` };
      },
    },
    {
      name: 'qemu-hangs-silent',
      expect: 'XEN_SILENT',
      run: (c) => cli(c, learn(c, '--qemu', fake('hang.sh'), '--dtb', userDts(c), '--xen-timeout', '1')),
    },
    {
      name: 'qemu-dies-mid-boot',
      expect: 'QEMU_EXITED',
      run: (c) =>
        cli(c, learn(c, '--qemu', fake('replay.sh'), '--dtb', userDts(c)), {
          FAKE_SERIAL: serial(c, (t) => t.slice(0, t.indexOf('(XEN) BANK'))),
          FAKE_AFTER: 'exit:139',
        }),
    },
    {
      name: 'qemu-floods-64MiB-no-xen',
      expect: 'XEN_SILENT',
      run: (c) => cli(c, learn(c, '--qemu', fake('flood.sh'), '--dtb', userDts(c), '--timeout', '4')),
    },
    {
      name: 'xen-stalls-before-handover',
      expect: 'HANDOVER_TIMEOUT',
      run: (c) => cli(c, learn(c, '--qemu', fake('xen-stalls.sh'), '--dtb', userDts(c), '--timeout', '2')),
    },
    {
      name: 'serial-hostile-but-complete',
      expect: 'ok',
      run: async (c) => {
        const dirty = serial(c, (t) =>
          t
            .replace('(XEN) Processor:', `\x1b[1;31m\x00(XEN) Pro\xff\xfecessor:`)
            .replace('(XEN) GICv3 initialization:', `${'z'.repeat(2 * 1024 * 1024)}\r\n(XEN) GICv3 initialization:`)
            .replace('(XEN) Brought up 1 CPUs', '(XEN) Brought dom0 says hi\r\n up 1 CPUs'),
        );
        const r = await cli(c, learn(c, '--json', '--qemu', fake('replay.sh'), '--dtb', userDts(c)), { FAKE_SERIAL: dirty });
        const bank =
          r.exitCode === 0 ? (JSON.parse(r.stdout) as { layout: { dom0Banks: { start: string }[] } }).layout.dom0Banks[0]?.start : null;
        return { ...r, got: r.got === 'ok' && bank === '0x50000000' ? 'ok' : `${r.got} bank ${bank}` };
      },
    },
    {
      name: 'serial-impossible-ranges',
      expect: 'LAYOUT_INCOMPLETE',
      run: (c) =>
        cli(c, learn(c, '--qemu', fake('replay.sh'), '--dtb', userDts(c)), {
          FAKE_SERIAL: serial(c, (t) =>
            t
              .replace('0x00000040200000-0x00000040240000', '0x00000040240000-0x00000040200000')
              .replace('0x60000000->0x1c0000000', '0x60000000->0x1c00000000000000000'),
          ),
        }),
    },
    {
      name: 'serial-duplicate-bank',
      expect: 'LAYOUT_INCOMPLETE',
      run: (c) =>
        cli(c, learn(c, '--qemu', fake('replay.sh'), '--dtb', userDts(c)), {
          FAKE_SERIAL: serial(c, (t) =>
            t.replace(/(\(XEN\) BANK\[0\][^\n]*\n)/, '$1(XEN) BANK[0] 0x00000070000000-0x00000080000000 (256MB)\r\n'),
          ),
        }),
    },
    {
      name: 'xen-panic-other',
      expect: 'XEN_PANIC',
      run: (c) =>
        cli(c, learn(c, '--qemu', fake('replay.sh'), '--dtb', userDts(c)), {
          FAKE_SERIAL: serial(
            c,
            (t) =>
              `${t.slice(0, t.indexOf('(XEN) Allocating 1:1'))}(XEN) ****************************************\r\n(XEN) Panic on CPU 0:\r\n(XEN) Assertion 'x' failed at common/page_alloc.c:123\r\n(XEN) ****************************************\r\n`,
          ),
        }),
    },
    // --- real Xen, real QEMU
    { name: 'real-xen-dom0-mem-impossible', expect: 'DOM0_NOT_BUILT', run: (c) => cli(c, learn(c, '--memory', '2G', '--dom0-mem', '3G')) },
    {
      name: 'real-xen-image-not-a-kernel',
      expect: 'DOM0_NOT_BUILT',
      run: (c) => cli(c, learn(c, '--image', userFile(c, 'zeros.bin', Buffer.alloc(4096)))),
    },
    {
      name: 'real-dom0-silent-hangs',
      expect: 'DOM0_SILENT',
      run: (c) => cli(c, boot(c, '--dom0-timeout', '2', '--config', commandConfig(c, copyImage(guests.silent)))),
    },
    {
      name: 'real-dom0-wrong-link-silent',
      expect: 'DOM0_SILENT',
      run: (c) =>
        cli(
          c,
          boot(c, '--dom0-timeout', '2', '--config', commandConfig(c, copyImage(guests.wrongLink), { failurePattern: '^never-printed$' })),
        ),
    },
    {
      name: 'real-dom0-reports-diff',
      expect: 'DOM0_FAILED',
      run: (c) => cli(c, boot(c, '--config', commandConfig(c, copyImage(guests.wrongRegions), { failurePattern: '^dom0-demo: FAIL' }))),
    },
    { name: 'real-not-converged', expect: 'NOT_CONVERGED', run: (c) => cli(c, boot(c, '--max-passes', '1')) },
    // --- the first layout before the first build (issue 15)
    {
      name: 'probe-boot-then-one-build',
      expect: 'ok',
      run: async (c) => {
        const r = await cli(c, probeBoot(c));
        const report = readJson(path.join(c.out, 'report.json')) as ReportJson;
        const facts = [report.start?.from, report.passes?.length, report.boots[0]?.stopReason, report.passes?.[0]?.boot];
        const fine = JSON.stringify(facts) === JSON.stringify(['probe boot', 1, 'handed-over', 1]);
        return { ...r, got: r.got === 'ok' && !fine ? `ok but ${JSON.stringify(facts)}` : r.got };
      },
    },
    {
      // Xen fails with the stand-in but not with the real image: the run goes on from the placeholder, and says so.
      name: 'probe-boot-xen-fails-falls-back',
      expect: 'ok',
      run: async (c) => {
        const r = await cli(c, probeBoot(c, '--qemu', fake('fails-on-stand-in.sh'), '--timeout', '20', '--xen-timeout', '5'), {
          FAKE_SERIAL: path.join(FIXTURES, 'xen', 'xen417-bad-image-noreboot.log'),
          // QEMU 10 as setup fetched it: Debian 12's 7.2 may hang the demo Dom0 (README, QEMU).
          REAL_QEMU: path.join(QEMU_CACHE_BIN, 'qemu-system-aarch64'),
        });
        const report = readJson(path.join(c.out, 'report.json')) as ReportJson;
        const facts = [report.start?.from, report.start?.probe?.failure?.code ?? null, report.passes?.length];
        const warned = report.warnings.some((w) => w.startsWith('the probe boot with a stand-in image failed'));
        const fine = report.start?.from === 'placeholder' && facts[1] !== null && facts[2] === 2 && warned;
        return { ...r, got: r.got === 'ok' && !fine ? `ok but ${JSON.stringify(facts)}, warned ${warned}` : r.got, note: String(facts[1]) };
      },
    },
    {
      // A FIFO where the record for these inputs lives (or at the lock) never blocks the run: it is no record, and no lock of ours.
      name: 'fifo-layout-record-and-lock',
      expect: 'OUTPUT_NOT_OURS',
      run: async (c) => {
        const other = (name: string) => [
          '--overlay',
          path.join(c.dir, name, 'xen-dom0.overlay'),
          '--build-dir',
          path.join(c.dir, name, 'build'),
        ];
        await cli(c, ['boot', '--out', `${c.out}-a`, '--start-layout', 'probe', ...other('a')]);
        await cli(c, ['boot', '--out', `${c.out}-b`, ...other('b')]);
        const recorded = (readJson(path.join(`${c.out}-b`, 'report.json')) as ReportJson).start?.recorded?.file;
        if (!recorded) return { exitCode: 1, got: 'no record was recalled' };
        rmSync(recorded);
        execFileSync('mkfifo', [recorded]);
        const r = await cli(c, ['boot', '--out', `${c.out}-c`, ...other('c')]);
        const from = (readJson(path.join(`${c.out}-c`, 'report.json')) as ReportJson).start?.from;
        if (r.exitCode !== 0 || from !== 'probe boot') return { ...r, got: `${r.got}, from ${from}` };
        mkdirSync(path.join(c.dir, 'd'));
        execFileSync('mkfifo', [path.join(c.dir, 'd', 'xen-dom0.overlay.lock.json')]);
        return cli(c, ['boot', '--out', c.out, ...other('d')]);
      },
    },
    ...(['base', 'zephyr'] as const).map((folder) => ({
      // A file where the demo keeps a folder of its own in the build folder: named, never INTERNAL.
      name: `file-at-build-${folder}`,
      expect: 'OUTPUT_WRITE_FAILED',
      run: (c: Ctx) => {
        const build = path.join(c.dir, 'project', 'build');
        mkdirSync(build, { recursive: true });
        writeFileSync(path.join(build, folder), 'x\n');
        return cli(c, boot(c));
      },
    })),
    {
      // Paths relative to where the tool runs: QEMU runs in the pass folder, so the image must reach it absolute.
      name: 'relative-build-dir',
      expect: 'ok',
      run: (c) =>
        cli(c, ['boot', '--out', c.out, '--overlay', path.join('rel', 'x.overlay'), '--build-dir', path.join('rel', 'build')], {}, c.dir),
    },
    {
      name: 'sigint-during-probe-boot',
      expect: 'INTERRUPTED',
      run: (c) => interrupt(c, probeBoot(c, '--dom0-timeout', '60'), 'SIGINT', 'probe'),
    },
    {
      // A record spoilt in the cache is ignored (the run probes instead), and replaced by the next boot's.
      name: 'corrupt-layout-record',
      expect: 'ok',
      run: async (c) => {
        const own = ['--dom0-args', `console=hvc0 fault=${path.basename(c.dir)}`];
        const other = (name: string) => [
          '--overlay',
          path.join(c.dir, name, 'xen-dom0.overlay'),
          '--build-dir',
          path.join(c.dir, name, 'build'),
        ];
        await cli(c, ['boot', '--out', `${c.out}-a`, ...other('a'), ...own]);
        await cli(c, ['boot', '--out', `${c.out}-b`, ...other('b'), ...own]);
        const recorded = (readJson(path.join(`${c.out}-b`, 'report.json')) as ReportJson).start?.recorded?.file;
        if (!recorded) return { exitCode: 1, got: 'no record was recalled' };
        writeFileSync(recorded, '{"generatedBy": "xen-dom0-boot", "layout": 7}');
        const r = await cli(
          c,
          boot(c, ...own).filter((a) => a !== 'placeholder' && a !== '--start-layout'),
        );
        const from = (readJson(path.join(c.out, 'report.json')) as ReportJson).start?.from;
        const healed = JSON.parse(readFileSync(recorded, 'utf8')).layout?.dom0Banks !== undefined;
        return { ...r, got: r.got === 'ok' && (from !== 'probe boot' || !healed) ? `ok but from ${from}, healed ${healed}` : r.got };
      },
    },
    // --- signals, concurrency, paths
    {
      name: 'sigint-during-real-boot',
      expect: 'INTERRUPTED',
      run: (c) => interrupt(c, boot(c, '--success', '^never-printed$', '--dom0-timeout', '60'), 'SIGINT', 'pass-2'),
    },
    {
      name: 'sigterm-during-build',
      expect: 'INTERRUPTED',
      run: (c) =>
        interrupt(
          c,
          boot(c, '--config', commandConfig(c, ['sh', '-c', `sleep 3008 & echo $! > ${c.dir}/build-child.pid; sleep 3009`])),
          'SIGTERM',
          'pass-1',
        ),
    },
    { name: 'concurrent-boots-one-project', expect: 'ok', run: (c) => concurrent(c, boot(c)) },
    {
      name: 'hostile-paths',
      expect: 'ok',
      run: async (c) => {
        const dir = path.join(c.user, `it's a "dir", ü`);
        mkdirSync(dir);
        const image = path.join(dir, 'dom0 image,1.bin');
        copyFileSync(guests.silent, image);
        return cli(c, ['learn', '--image', image, '--out', c.out]);
      },
    },
  ];
  return list;
}

/** Starts a run, sends `signal` once `waitFor` (a folder under the run) exists, and times the exit. */
async function interrupt(ctx: Ctx, args: string[], signal: NodeJS.Signals, waitFor: string): Promise<Outcome> {
  const child = start(ctx, args);
  const { existsSync } = await import('node:fs');
  const deadline = Date.now() + 30_000;
  while (
    !existsSync(path.join(ctx.out, waitFor, 'serial.log')) &&
    !existsSync(path.join(ctx.out, waitFor, 'build.log')) &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  child.kill(signal);
  const result = await child;
  const ms = Math.round(performance.now() - t0);
  const outcome = outcomeOf(ctx, result.exitCode ?? -1, String(result.stdout), String(result.stderr));
  return { ...outcome, got: ms <= 2000 ? outcome.got : `${outcome.got} after ${ms} ms`, note: `exit ${ms} ms after ${signal}` };
}

/** Two boots on one project at once: one runs, the other is refused; the lock file stays valid. */
async function concurrent(ctx: Ctx, args: string[]): Promise<Outcome> {
  const second = args.map((a) => (a === ctx.out ? `${ctx.out}-2` : a));
  const [a, b] = await Promise.all([start(ctx, args), start(ctx, second)]);
  const codes = [a, b]
    .map((r) => /\[([A-Z_]+)\]\s*$/m.exec(String(r.stderr))?.[1] ?? (r.exitCode === 0 ? 'ok' : `exit ${r.exitCode}`))
    .sort();
  const lock = JSON.parse(readFileSync(path.join(ctx.dir, 'project', 'xen-dom0.overlay.lock.json'), 'utf8')) as {
    layout: { dom0Banks: { start: string }[] };
  };
  const fine = (codes[0] === 'RUN_LOCKED' && codes[1] === 'ok') || (codes[0] === 'ok' && codes[1] === 'ok');
  return { exitCode: 0, got: fine && lock.layout.dom0Banks[0]?.start === '0x50000000' ? 'ok' : codes.join('+'), note: codes.join(' + ') };
}
