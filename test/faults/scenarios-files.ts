/** Fault scenarios: files (issue "One process core, and no input, signal or full disk ..."): the user's files, symbolic links, full and read-only disks, locks. */
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { FIXTURES } from '../helpers/fixtures.js';
import { fillLeaving } from '../helpers/tmpfs.js';
import type { Guests } from './guests.js';
import { cli, outcomeOf, start, type Scenario } from './harness.js';
import { boot, commandConfig, copyImage, learn, project, userFile } from './scenarios.js';

const RUN_MARKER = '.xen-dom0-boot-run';

/** The failure code of the one-line error on stderr (`... [CODE]`), else the exit. */
const codeOf = (r: { exitCode?: number; stderr: unknown }): string =>
  /\[([A-Z_]+)\]\s*$/m.exec(String(r.stderr))?.[1] ?? (r.exitCode === 0 ? 'ok' : `exit ${r.exitCode}`);

/** A real tmpfs of `kb` KiB at `dir` for `body`, read-only after `prepare` when asked; always unmounted after. */
async function withTmpfs<T>(
  dir: string,
  options: { kb?: number; readOnly?: boolean; prepare?: () => void },
  body: () => Promise<T>,
): Promise<T> {
  mkdirSync(dir, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${options.kb ?? 64}k,mode=0755`, 'tmpfs', dir]);
  try {
    options.prepare?.();
    if (options.readOnly) await execa('mount', ['-o', 'remount,ro', dir]);
    return await body();
  } finally {
    await execa('umount', [dir]).catch(() => execa('umount', ['-l', dir]));
  }
}

/** An earlier run's folder at `dir` (the tool's marker), ready to be reused with --out. */
function earlierRun(dir: string, command: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, RUN_MARKER), `${command}\n`);
}

/** `expect` when the run ended with the one-line error `[expect]`, exit 2, no stack trace, naming what `mentions` matches. */
function oneLineError(r: { exitCode: number; stderr: string }, expect: string, mentions: RegExp): string {
  const code = codeOf(r);
  if (code !== expect) return code;
  if (r.exitCode !== 2) return `${code} with exit ${r.exitCode}`;
  if (/^\s+at /m.test(r.stderr)) return `${code} with a stack trace`;
  return mentions.test(r.stderr) ? code : `${code} not naming ${mentions.source}`;
}

export function filesScenarios(guests: Guests): Scenario[] {
  return [
    // --- --pristine deletes only what the tool's builds made
    {
      name: 'pristine-command-user-build-dir',
      expect: 'OUTPUT_NOT_OURS',
      run: (c) => {
        const buildDir = path.join(c.user, 'my-build');
        mkdirSync(buildDir);
        writeFileSync(path.join(buildDir, 'main.c'), 'int main(void) { return 0; }\n');
        writeFileSync(path.join(buildDir, 'notes.txt'), 'mine\n');
        return cli(c, [
          'boot',
          '--out',
          c.out,
          '--overlay',
          path.join(c.dir, 'project', 'xen-dom0.overlay'),
          '--build-dir',
          buildDir,
          '--pristine',
          '--max-passes',
          '1',
          '--config',
          commandConfig(c, copyImage(guests.silent)),
        ]);
      },
    },
    {
      name: 'pristine-cmake-user-build-dir',
      expect: 'OUTPUT_NOT_OURS',
      run: (c) => {
        // A CMake build folder of the user's, with their own files in it: --pristine must not empty it.
        const app = path.join(c.user, 'app');
        const buildDir = path.join(app, 'build-xen-dom0');
        mkdirSync(buildDir, { recursive: true });
        writeFileSync(path.join(app, 'CMakeLists.txt'), 'project(app)\n');
        writeFileSync(path.join(buildDir, 'CMakeCache.txt'), 'CMAKE_BUILD_TYPE:STRING=Debug\n');
        writeFileSync(path.join(buildDir, 'flash-notes.txt'), 'mine\n');
        const zephyrBase = path.join(c.dir, 'zephyr');
        mkdirSync(zephyrBase);
        writeFileSync(path.join(zephyrBase, 'CMakeLists.txt'), '');
        return cli(
          c,
          [
            'boot',
            '--out',
            c.out,
            '--builder',
            'cmake',
            '--app',
            app,
            '--build-dir',
            buildDir,
            '--overlay',
            path.join(c.dir, 'project', 'xen-dom0.overlay'),
            '--pristine',
            '--max-passes',
            '1',
          ],
          { PATH: `${path.join(FIXTURES, 'fake-west')}${path.delimiter}${process.env.PATH}`, ZEPHYR_BASE: zephyrBase },
        );
      },
    },
    // --- no write follows a symbolic link out of the run folder
    {
      name: 'out-reused-with-symlinks-learn',
      expect: 'OUTPUT_NOT_OURS',
      run: (c) => {
        earlierRun(c.out, 'learn');
        for (const name of ['xen.dtb', 'serial.log', 'tool.log'])
          symlinkSync(userFile(c, `precious-${name}`, `mine: ${name}\n`), path.join(c.out, name));
        return cli(c, learn(c));
      },
    },
    {
      name: 'out-reused-with-symlinks-boot-pass',
      expect: 'OUTPUT_NOT_OURS',
      run: async (c) => {
        earlierRun(path.join(c.out, 'pass-1'), 'boot');
        writeFileSync(path.join(c.out, RUN_MARKER), 'boot\n');
        for (const name of ['build.log', 'xen-dom0.overlay', 'qemu-cmd.sh'])
          symlinkSync(userFile(c, `precious-${name}`, `mine: ${name}\n`), path.join(c.out, 'pass-1', name));
        symlinkSync(userFile(c, 'precious-report.json', '{"mine": true}\n'), path.join(c.out, 'report.json'));
        const r = await cli(c, boot(c, '--max-passes', '1', '--config', commandConfig(c, copyImage(guests.silent))));
        // report.json is the user's file behind a link: the code is the error line's.
        return { ...r, got: codeOf(r) };
      },
    },
    // --- check builds with the committed overlay
    {
      name: 'check-overlay-hand-edited',
      expect: 'OVERLAY_MISMATCH',
      run: async (c) => {
        const setup = await cli(c, ['boot', '--out', path.join(c.dir, 'setup-run'), ...project(c)]);
        if (setup.exitCode !== 0) return { ...setup, got: `setup boot: ${codeOf(setup)}` };
        const overlay = path.join(c.dir, 'project', 'xen-dom0.overlay');
        const text = readFileSync(overlay, 'utf8');
        writeFileSync(overlay, text.replace('<GIC_PPI 0 IRQ_TYPE_EDGE', '<GIC_PPI 1 IRQ_TYPE_EDGE'));
        const r = await cli(c, ['check', '--out', c.out, ...project(c)]);
        const named = /eventChannelPpi \(lock: 16\)/.test(r.stderr);
        return { ...r, got: r.got === 'OVERLAY_MISMATCH' && !named ? `${r.got} without the field` : r.got };
      },
    },
    {
      name: 'check-overlay-missing',
      expect: 'OVERLAY_MISMATCH',
      run: async (c) => {
        const setup = await cli(c, ['boot', '--out', path.join(c.dir, 'setup-run'), ...project(c)]);
        if (setup.exitCode !== 0) return { ...setup, got: `setup boot: ${codeOf(setup)}` };
        unlinkSync(path.join(c.dir, 'project', 'xen-dom0.overlay'));
        return cli(c, ['check', '--out', c.out, ...project(c)]);
      },
    },
    // --- the overlay and its lock change together or not at all
    {
      name: 'overlay-and-lock-full-disk',
      expect: 'OUTPUT_WRITE_FAILED',
      run: (c) => {
        const fs = path.join(c.dir, 'fs');
        const overlay = path.join(fs, 'xen-dom0.overlay');
        // Room for the run lock's owner file and one more page: the overlay fits, its lock does not.
        return withTmpfs(fs, { kb: 64, prepare: () => fillLeaving(fs, 2) }, async () => {
          const r = await cli(c, ['boot', '--out', c.out, '--overlay', overlay, '--build-dir', path.join(c.dir, 'build')]);
          const report = existsSync(path.join(c.out, 'report.json'))
            ? (JSON.parse(readFileSync(path.join(c.out, 'report.json'), 'utf8')) as { converged: boolean })
            : null;
          const left = [overlay, `${overlay}.lock.json`].filter((f) => existsSync(f)).map((f) => path.basename(f));
          const problems = [
            ...(left.length > 0 ? [`${left.join(' and ')} written`] : []),
            ...(report?.converged !== false ? [`converged: ${report?.converged}`] : []),
          ];
          return { ...r, got: problems.length === 0 ? r.got : `${r.got}, ${problems.join(', ')}`, note: problems.join(', ') };
        });
      },
    },
    // --- the run lock serialises runs, even after a run died
    {
      name: 'run-lock-stale-seven-at-once',
      expect: 'serialised',
      run: async (c) => {
        const overlay = path.join(c.dir, 'project', 'xen-dom0.overlay');
        // A dead run's lock: it was killed before it wrote its pid.
        mkdirSync(`${overlay}.run-lock`, { recursive: true });
        const inside = path.join(c.dir, 'inside');
        const overlaps = path.join(c.dir, 'overlaps');
        // Each build marks that it runs; a second one while the first runs is an overlap.
        const config = commandConfig(c, [
          'sh',
          '-c',
          `mkdir ${inside} 2>/dev/null || echo overlap >> ${overlaps}; sleep 2; rmdir ${inside} 2>/dev/null; exit 3`,
        ]);
        const runs = await Promise.all(
          Array.from({ length: 7 }, (_, i) =>
            start(c, [
              'boot',
              '--out',
              `${c.out}-${i}`,
              '--overlay',
              overlay,
              '--build-dir',
              path.join(c.dir, `build-${i}`),
              '--config',
              config,
            ]),
          ),
        );
        const codes = runs.map(codeOf).sort();
        const overlapping = existsSync(overlaps) ? readFileSync(overlaps, 'utf8').split('\n').filter(Boolean).length : 0;
        const fine = codes.every((code) => code === 'BUILD_FAILED' || code === 'RUN_LOCKED') && codes.includes('BUILD_FAILED');
        const got = overlapping > 0 ? `${overlapping + 1} builds at once` : fine ? 'serialised' : codes.join('+');
        return { exitCode: 0, got, note: codes.join(' ') };
      },
    },
    {
      name: 'run-lock-other-pid-namespace',
      expect: 'ok',
      run: async (c) => {
        // Left by runs in containers: the project's by an older version as pid 1, the build folder's by this one.
        const overlay = path.join(c.dir, 'project', 'xen-dom0.overlay');
        const buildDir = path.join(c.dir, 'project', 'build');
        const old = new Date(Date.now() - 10 * 60_000);
        const projectLock = `${overlay}.run-lock`;
        mkdirSync(projectLock, { recursive: true });
        writeFileSync(path.join(projectLock, 'pid'), '1\n');
        const buildLock = `${buildDir}.run-lock`;
        mkdirSync(buildLock, { recursive: true });
        const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
        writeFileSync(
          path.join(buildLock, 'owner.json'),
          JSON.stringify({ pid: 1, pidNs: 'pid:[4026530001]', bootId, start: '2', host: hostname(), token: 'c0ffee00c0ffee00' }),
        );
        writeFileSync(path.join(buildLock, 'pid'), '1\n');
        for (const f of [
          projectLock,
          path.join(projectLock, 'pid'),
          buildLock,
          path.join(buildLock, 'owner.json'),
          path.join(buildLock, 'pid'),
        ])
          utimesSync(f, old, old);
        const r = await cli(c, boot(c));
        const left = [projectLock, buildLock].filter((d) => existsSync(d));
        return { ...r, got: left.length === 0 ? r.got : `${r.got}, lock left: ${left.map((d) => path.basename(d)).join(', ')}` };
      },
    },
    {
      name: 'run-lock-released-on-sigterm',
      expect: 'INTERRUPTED',
      run: async (c) => {
        const overlay = path.join(c.dir, 'project', 'xen-dom0.overlay');
        const buildDir = path.join(c.dir, 'project', 'build');
        const child = start(
          c,
          boot(c, '--config', commandConfig(c, ['sh', '-c', `sleep 3011 & echo $! > ${c.dir}/build-child.pid; sleep 3012`])),
        );
        const deadline = Date.now() + 30_000;
        while (!existsSync(path.join(c.out, 'pass-1', 'build.log')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 300));
        child.kill('SIGTERM');
        const result = await child;
        const outcome = outcomeOf(c, result.exitCode ?? -1, String(result.stdout), String(result.stderr));
        const left = [`${overlay}.run-lock`, `${buildDir}.run-lock`].filter((d) => existsSync(d));
        return {
          ...outcome,
          got: left.length === 0 ? outcome.got : `${outcome.got}, lock left: ${left.map((d) => path.basename(d)).join(', ')}`,
        };
      },
    },
    // --- read-only, full and wrong places for what the tool writes: one clear line, never INTERNAL
    {
      name: 'junit-names-a-folder',
      expect: 'OUTPUT_WRITE_FAILED',
      run: async (c) => {
        const folder = path.join(c.dir, 'junit-folder');
        mkdirSync(folder);
        const r = await cli(c, learn(c, '--json', '--junit', folder));
        return { ...r, got: oneLineError(r, 'OUTPUT_WRITE_FAILED', /--junit .*junit-folder: cannot write: it is a folder \(EISDIR\)/) };
      },
    },
    {
      name: 'junit-read-only-folder',
      expect: 'OUTPUT_WRITE_FAILED',
      run: (c) => {
        const ro = path.join(c.dir, 'ro');
        return withTmpfs(ro, { readOnly: true }, async () => {
          const r = await cli(c, learn(c, '--junit', path.join(ro, 'junit.xml')));
          return {
            ...r,
            got: oneLineError(r, 'OUTPUT_WRITE_FAILED', /--junit .*junit\.xml: cannot write: read-only file system \(EROFS\)/),
          };
        });
      },
    },
    {
      name: 'bundle-read-only-folder',
      expect: 'OUTPUT_WRITE_FAILED',
      run: (c) => {
        const ro = path.join(c.dir, 'ro');
        return withTmpfs(ro, { readOnly: true }, async () => {
          const r = await cli(c, learn(c, '--bundle', path.join(ro, 'run.tar.gz')));
          return {
            ...r,
            got: oneLineError(r, 'OUTPUT_WRITE_FAILED', /--bundle .*run\.tar\.gz: cannot write: read-only file system \(EROFS\)/),
          };
        });
      },
    },
    {
      name: 'out-read-only-folder',
      expect: 'OUTPUT_WRITE_FAILED',
      run: (c) => {
        const ro = path.join(c.dir, 'ro');
        return withTmpfs(ro, { readOnly: true }, async () => {
          const r = await cli(c, ['learn', '--out', path.join(ro, 'run')]);
          return { ...r, got: oneLineError(r, 'OUTPUT_WRITE_FAILED', /--out .*run: cannot write: read-only file system \(EROFS\)/) };
        });
      },
    },
    {
      name: 'out-full-disk',
      expect: 'OUTPUT_WRITE_FAILED',
      run: (c) => {
        const fs = path.join(c.dir, 'fs');
        const out = path.join(fs, 'run');
        return withTmpfs(
          fs,
          {
            kb: 64,
            prepare: () => {
              earlierRun(out, 'learn');
              fillLeaving(fs, 0);
            },
          },
          async () => {
            const r = await cli(c, ['learn', '--json', '--out', out]);
            return { ...r, got: oneLineError(r, 'OUTPUT_WRITE_FAILED', /cannot write: no space left on the device \(ENOSPC\)/) };
          },
        );
      },
    },
    {
      name: 'overlay-read-only-folder',
      expect: 'OUTPUT_WRITE_FAILED',
      run: (c) => {
        const ro = path.join(c.dir, 'ro');
        return withTmpfs(ro, { readOnly: true }, async () => {
          const r = await cli(c, [
            'boot',
            '--out',
            c.out,
            '--overlay',
            path.join(ro, 'xen-dom0.overlay'),
            '--build-dir',
            path.join(c.dir, 'build'),
          ]);
          return {
            ...r,
            got: oneLineError(r, 'OUTPUT_WRITE_FAILED', /xen-dom0\.overlay\.run-lock: cannot write: read-only file system \(EROFS\)/),
          };
        });
      },
    },
    // --- the build's own overlay and fragment beside the build folder, and an overlay that is a folder
    {
      name: 'build-overlay-is-the-users',
      expect: 'OUTPUT_NOT_OURS',
      run: async (c) => {
        // --build-dir <user>/app next to the user's own app.overlay and app.conf (Zephyr's default names).
        userFile(c, 'app.overlay', '/* my own app overlay */\n/ { };\n');
        userFile(c, 'app.conf', 'CONFIG_MY_PRECIOUS=y\n');
        const r = await cli(c, [
          'boot',
          '--out',
          c.out,
          '--overlay',
          path.join(c.dir, 'xen-dom0.overlay'),
          '--build-dir',
          path.join(c.user, 'app'),
        ]);
        return {
          ...r,
          got: /app\.overlay: exists and was not generated by xen-dom0-boot/.test(r.stderr) ? r.got : `${r.got}: ${r.stderr.trim()}`,
        };
      },
    },
    {
      name: 'overlay-is-a-folder',
      expect: 'OUTPUT_NOT_OURS',
      run: async (c) => {
        mkdirSync(path.join(c.dir, 'project', 'xen-dom0.overlay'), { recursive: true });
        const t0 = performance.now();
        const r = await cli(c, ['boot', '--out', c.out, ...project(c)]);
        const ms = Math.round(performance.now() - t0);
        // Refused before anything is built or booted, not found after two passes.
        return { ...r, got: ms < 5000 && !existsSync(path.join(c.dir, 'project', 'build', 'zephyr')) ? r.got : `${r.got} after ${ms} ms` };
      },
    },
    // --- found by a hostile review: devices and links named by --junit/--bundle, a user folder at a lock's path, a closed stdout
    {
      name: 'junit-and-bundle-are-devices',
      expect: 'OUTPUT_WRITE_FAILED',
      run: async (c) => {
        const dev = path.join(c.dir, 'dev');
        mkdirSync(dev);
        await execa('mknod', ['-m', '666', path.join(dev, 'null'), 'c', '1', '3']);
        symlinkSync('/proc/self/fd/1', path.join(dev, 'stdout'));
        const junit = await cli(c, [...learn(c), '--junit', path.join(dev, 'null')]);
        const bundle = await cli(c, ['learn', '--out', `${c.out}-2`, '--bundle', path.join(dev, 'stdout')]);
        const kept = statSync(path.join(dev, 'null')).isCharacterDevice() && lstatSync(path.join(dev, 'stdout')).isSymbolicLink();
        const codes = `${codeOf(junit)}+${codeOf(bundle)}`;
        return {
          ...junit,
          got:
            kept && codes === 'OUTPUT_WRITE_FAILED+OUTPUT_WRITE_FAILED'
              ? 'OUTPUT_WRITE_FAILED'
              : `${codes}${kept ? '' : ', a device or link replaced'}`,
        };
      },
    },
    {
      name: 'run-lock-path-is-a-user-folder',
      expect: 'OUTPUT_NOT_OURS',
      run: async (c) => {
        // A folder of the user's where the overlay's run lock goes, old enough to look stale.
        const lockDir = path.join(c.user, 'app.overlay.run-lock');
        mkdirSync(path.join(lockDir, 'src'), { recursive: true });
        writeFileSync(path.join(lockDir, 'src', 'main.c'), 'int main(void) { return 0; }\n');
        const old = new Date(Date.now() - 120_000);
        utimesSync(lockDir, old, old);
        return cli(c, ['boot', '--out', c.out, '--overlay', path.join(c.user, 'app.overlay'), '--build-dir', path.join(c.dir, 'build')]);
      },
    },
    {
      name: 'json-stdout-closed',
      expect: 'INTERRUPTED',
      run: async (c) => {
        const child = start(c, [...learn(c), '--json']);
        child.stdout?.destroy();
        const r = await child;
        return outcomeOf(c, r.exitCode ?? -1, '', String(r.stderr));
      },
    },
  ];
}
