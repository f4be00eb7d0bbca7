/**
 * docker/Dockerfile's shape (the lean nightly image) and the behaviour of the scripts it uses:
 * docker/entrypoint.sh run by a real sh (GitLab's shell detection, command words, options) and
 * docker/qemu-libs.sh on real binaries. scripts/container-check.sh builds and runs the image itself.
 */
import { CACHE_ENV } from '../../src/base/paths.js';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const DOCKER = path.join(ROOT, 'docker');
const dockerfile = readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));
const fromAt = instructions.flatMap((line, i) => (line.startsWith('FROM ') ? [i] : []));
const buildStage = instructions.slice(fromAt[0], fromAt[1]);
const runtimeStage = instructions.slice(fromAt[1]);
const runs = (stage: string[]): string[] => stage.filter((line) => line.startsWith('RUN '));
const last = (stage: string[], keyword: string): string | undefined => stage.filter((line) => line.startsWith(`${keyword} `)).at(-1);

/** GitLab Runner's shell detection (shells/bash.go, BashDetectShellScript with $@ empty), the Docker executor's `sh -c` command. */
const GITLAB_SHELL_DETECTION = [
  'if [ -x /usr/local/bin/bash ]; then',
  '\texec /usr/local/bin/bash ',
  'elif [ -x /usr/bin/bash ]; then',
  '\texec /usr/bin/bash ',
  'elif [ -x /bin/bash ]; then',
  '\texec /bin/bash ',
  'elif [ -x /usr/local/bin/sh ]; then',
  '\texec /usr/local/bin/sh ',
  'elif [ -x /usr/bin/sh ]; then',
  '\texec /usr/bin/sh ',
  'elif [ -x /bin/sh ]; then',
  '\texec /bin/sh ',
  'elif [ -x /busybox/sh ]; then',
  '\texec /busybox/sh ',
  'else',
  '\techo shell not found',
  '\texit 1',
  'fi',
  '',
  '',
].join('\n');

describe('docker/Dockerfile', () => {
  it('has two stages on one BASE, node:20-bookworm-slim unless a build argument names another', () => {
    assert.equal(fromAt.length, 2);
    assert.match(instructions[0]!, /^ARG BASE=node:20-bookworm-slim$/);
    assert.equal(instructions[fromAt[0]!], 'FROM ${BASE} AS build');
    assert.equal(instructions[fromAt[1]!], 'FROM ${BASE}', 'the runtime has the Node the package was built and tested with');
  });

  it('build stage: npm ci with the dev dependencies, npm pack, its production dependencies from the lockfile, its own setup script', () => {
    const text = runs(buildStage).join('\n');
    assert.match(text, /RUN npm ci --ignore-scripts/);
    assert.doesNotMatch(text.split('npm pack')[0]!, /--omit=dev/, 'the build has its dev dependencies');
    assert.match(text, /npm pack /);
    assert.match(text, /npm ci --omit=dev --ignore-scripts/);
    assert.match(text, /\/usr\/local\/lib\/node_modules\/xen-dom0-boot\/scripts\/setup\.sh \$extra/, "the packed package's setup.sh");
    assert.match(text, /docker\/qemu-libs\.sh/);
  });

  it('runtime stage: no npm, no apt lists, only the package, its cache and the entry point from outside', () => {
    const text = runs(runtimeStage).join('\n');
    assert.doesNotMatch(text, /\bnpm\b/, 'nothing is installed or cached by npm in the runtime stage');
    for (const run of runs(runtimeStage).filter((line) => /apt-get install/.test(line))) {
      assert.match(run, /--no-install-recommends/);
      assert.match(run, /rm -rf \/var\/lib\/apt\/lists\/\*/, 'the lists go in the layer that fetched them');
    }
    const copies = runtimeStage.filter((line) => line.startsWith('COPY '));
    const fromBuild = copies.filter((line) => line.startsWith('COPY --from=build '));
    assert.deepEqual(
      fromBuild.map((line) => line.split(/\s+/)[2]),
      ['/staging/qemu-libs.txt', '/staging/usr/local/', '/opt/xen-dom0-boot/cache'],
    );
    for (const line of copies.filter((l) => !l.startsWith('COPY --from=build '))) assert.match(line, /^COPY docker\/[\w.-]+\.sh /);
  });

  it('installs every Debian package the tool asks for by name (requireTool in src/)', () => {
    const install = runs(runtimeStage).find((line) => /apt-get install/.test(line)) ?? '';
    const sources = ['src/pipeline/inputs.ts', 'src/image/test-image.ts', 'src/build/demo.ts'].map((f) =>
      readFileSync(path.join(ROOT, f), 'utf8'),
    );
    const packages = new Set(sources.flatMap((text) => [...text.matchAll(/requireTool\([^,]+,\s*'([\w.+-]+)'\)/g)].map((m) => m[1]!)));
    assert.ok(packages.size >= 3, `found ${[...packages].join(', ')}`);
    for (const pkg of packages) assert.match(install, new RegExp(`\\s${pkg.replace(/[.+]/g, '\\$&')}\\s`), pkg);
  });

  it('runs as a numeric non-root user in /workspace, with the cache where the build stage put it', () => {
    const user = last(runtimeStage, 'USER');
    assert.match(user ?? '', /^USER [1-9]\d*:[1-9]\d*$/, 'numeric, so runtimes can tell it is not root');
    const at = runtimeStage.indexOf(user!);
    assert.ok(!runtimeStage.slice(at).some((line) => line.startsWith('RUN ')), 'nothing runs as root after USER');
    assert.equal(last(runtimeStage, 'WORKDIR'), 'WORKDIR /workspace');
    const uid = user!.split(/[ :]/)[1];
    assert.match(runs(runtimeStage).join('\n'), new RegExp(`useradd --uid ${uid} .*install -d -o dom0 -g dom0 /workspace`));
    const cacheEnv = (stage: string[]): string | undefined =>
      /XEN_DOM0_BOOT_CACHE=(\S+)/.exec(stage.filter((l) => l.startsWith('ENV ')).join(' '))?.[1];
    assert.equal(cacheEnv(buildStage), '/opt/xen-dom0-boot/cache');
    assert.equal(cacheEnv(runtimeStage), cacheEnv(buildStage));
    assert.equal(CACHE_ENV, 'XEN_DOM0_BOOT_CACHE', 'the variable the tool reads is the one the image sets');
  });

  it('starts through docker/entrypoint.sh, --help when given nothing', () => {
    assert.ok(runtimeStage.includes('COPY docker/entrypoint.sh /usr/local/bin/xen-dom0-boot-entrypoint'));
    assert.equal(last(runtimeStage, 'ENTRYPOINT'), 'ENTRYPOINT ["xen-dom0-boot-entrypoint"]');
    assert.equal(last(runtimeStage, 'CMD'), 'CMD ["--help"]');
  });

  it('keeps local state and build output out of the build context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.cache', 'runs', '.state', '.xen-dom0-boot', '.git', '*.tgz'])
      assert.ok(ignored.includes(entry), entry);
  });
});

describe('docker/entrypoint.sh', () => {
  const tmp = tempDir('entrypoint');
  // A stand-in xen-dom0-boot on PATH that prints what it was given.
  const bin = path.join(tmp, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'xen-dom0-boot'), '#!/bin/sh\necho "tool[$#]: $*"\n');
  chmodSync(path.join(bin, 'xen-dom0-boot'), 0o755);
  const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: tmp };
  const entry = (args: string[], input = ''): { status: number | null; stdout: string } => {
    const result = spawnSync('sh', [path.join(DOCKER, 'entrypoint.sh'), ...args], { env, input, encoding: 'utf8', cwd: tmp });
    return { status: result.status, stdout: result.stdout };
  };

  it('passes options and command words to xen-dom0-boot', () => {
    assert.deepEqual(entry(['boot', '--memory', '2G']), { status: 0, stdout: 'tool[3]: boot --memory 2G\n' });
    assert.deepEqual(entry(['--version']), { status: 0, stdout: 'tool[1]: --version\n' });
    assert.deepEqual(entry([]), { status: 0, stdout: 'tool[0]: \n' });
    assert.deepEqual(entry(['xen-dom0-boot', 'drift', 'merge', 'a/']), { status: 0, stdout: 'tool[3]: drift merge a/\n' });
  });

  it("runs GitLab's Docker executor command as given: the job script on stdin reaches a shell, not the tool", () => {
    const result = entry(['sh', '-c', GITLAB_SHELL_DETECTION], 'echo "job shell $0"\nexit 3\n');
    assert.equal(result.status, 3);
    assert.match(result.stdout, /^job shell .*(bash|sh)\n$/);
    assert.deepEqual(entry(['true']), { status: 0, stdout: '' }, 'a command on PATH runs as it is');
  });

  it("sends each of the tool's command words to the tool (none is a command on a Debian PATH)", async () => {
    const help = (await runCli(['--help'])).stdout;
    const commands = /^Commands:\n([\s\S]*?)\n\n/m.exec(help)?.[1];
    const words = new Set(
      commands
        ? commands.split('\n').map((line) => line.trim().split(/\s+/)[0]!)
        : [...help.matchAll(/^\s+xen-dom0-boot ([a-z]+)\b/gm)].map((m) => m[1]!),
    );
    assert.ok(words.has('boot') && words.has('drift'), [...words].join(' '));
    for (const word of words) assert.deepEqual(entry([word, '--help']), { status: 0, stdout: `tool[2]: ${word} --help\n` }, word);
  });
});

describe('docker/qemu-libs.sh', () => {
  const script = path.join(DOCKER, 'qemu-libs.sh');
  const qemu = path.join(ROOT, '.cache', 'qemu', 'bin', 'qemu-system-aarch64');

  it("names installed Debian packages that hold every library QEMU 10 links (each checked with dpkg's file list)", () => {
    assert.ok(existsSync(qemu), `${qemu}: npm run setup fetches it`);
    const packages = execFileSync('bash', [script, qemu], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(packages, [...new Set(packages)].sort(), 'sorted, once each');
    const files = new Set(
      execFileSync('dpkg-query', ['-L', ...packages], { encoding: 'utf8' })
        .split('\n')
        .map((f) => path.basename(f)),
    );
    const libs = [...execFileSync('ldd', [qemu], { encoding: 'utf8' }).matchAll(/=> (\/\S+)/g)].map((m) => path.basename(m[1]!));
    assert.ok(libs.length > 10, `ldd: ${libs.length} libraries`);
    for (const lib of libs) assert.ok(files.has(lib), `${lib} is in one of ${packages.join(' ')}`);
  });

  it('fails naming a binary it cannot read', () => {
    const result = spawnSync('bash', [script, path.join(ROOT, 'no-such-binary')], { encoding: 'utf8' });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /no-such-binary/);
  });
});
