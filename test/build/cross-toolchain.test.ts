/** The cross-compile shim: pure parts, then the real shim around Debian's aarch64-linux-gnu-gcc. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  choosesPython,
  crossCompileEnv,
  ensureCrossShim,
  LIMITS_QUERY,
  needsLimitsFix,
  parseGccVersion,
  shellQuote,
  shimEntries,
  shimFixes,
  shimKey,
  wrapperScript,
  zephyrBuildEnv,
  zephyrCmakeExtras,
} from '../../src/build/cross-toolchain.js';
import { ToolError } from '../../src/base/errors.js';
import { ZEPHYR_CROSS_DIR, CACHE_DIR } from '../../src/base/paths.js';
import { which } from '../../src/util/which.js';
import { tempDir } from '../helpers/tmp.js';

const v = (text: string) => parseGccVersion(text)!;

/** An executable sh script at `file`. */
function script(file: string, body: string): string {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const run = (file: string, args: string[]): string => execFileSync(file, args, { encoding: 'utf8' });

describe('GCC versions and the fixes they need', () => {
  it('parses -dumpfullversion, rejects anything else', () => {
    assert.deepEqual(parseGccVersion('12.2.0\n'), { major: 12, minor: 2, patch: 0 });
    assert.deepEqual(parseGccVersion('13'), { major: 13, minor: 0, patch: 0 });
    assert.equal(parseGccVersion('gcc (Debian 12.2.0-14) 12.2.0'), null);
    assert.equal(parseGccVersion(''), null);
  });

  it('needs the limits.h fix exactly where Zephyr asks for include-fixed (4.3 <= GCC < 13.1)', () => {
    assert.equal(needsLimitsFix(v('12.2.0')), true);
    assert.equal(needsLimitsFix(v('13.0.1')), true);
    assert.equal(needsLimitsFix(v('4.3.0')), true);
    assert.equal(needsLimitsFix(v('13.1.0')), false);
    assert.equal(needsLimitsFix(v('14.2.0')), false);
    assert.equal(needsLimitsFix(v('4.2.9')), false);
  });

  it('turns outline atomics off from GCC 10, where they are on by default', () => {
    assert.deepEqual(shimFixes(v('12.2.0')), { limitsH: true, noOutlineAtomics: true });
    assert.deepEqual(shimFixes(v('14.1.0')), { limitsH: false, noOutlineAtomics: true });
    assert.deepEqual(shimFixes(v('9.4.0')), { limitsH: true, noOutlineAtomics: false });
  });
});

describe('the wrapper script', () => {
  const dir = tempDir('cross-wrapper');
  // A stand-in compiler at an awkward path: prints its arguments one per line, answers the limits.h queries like Debian's GCC 12.
  const odd = path.join(dir, "it's a dir");
  mkdirSync(odd);
  const fake = script(
    path.join(odd, 'fake gcc'),
    [
      'case "$1" in',
      `  ${shellQuote(LIMITS_QUERY)}) echo include-fixed/limits.h; exit 0 ;;`,
      '  --print-file-name=include/limits.h) echo /usr/lib/gcc-cross/x/12/include/limits.h; exit 0 ;;',
      'esac',
      'for a in "$@"; do echo "[$a]"; done',
    ].join('\n'),
  );

  it('quotes any path for sh', () => {
    assert.equal(shellQuote("a'b c"), `'a'\\''b c'`);
    assert.equal(run('/bin/sh', ['-c', `printf %s ${shellQuote("a'b $HOME `x`")}`]), "a'b $HOME `x`");
  });

  it('passes every argument through unchanged after -mno-outline-atomics', () => {
    const wrapper = script(path.join(dir, 'w1'), wrapperScript(fake, { limitsH: true, noOutlineAtomics: true }));
    assert.equal(run(wrapper, ['-c', 'a b.c', '', '-o', '$x']), '[-mno-outline-atomics]\n[-c]\n[a b.c]\n[]\n[-o]\n[$x]\n');
  });

  it('answers the include-fixed/limits.h query with include/limits.h when the real answer is not a path', () => {
    const wrapper = script(path.join(dir, 'w2'), wrapperScript(fake, { limitsH: true, noOutlineAtomics: true }));
    assert.equal(run(wrapper, [LIMITS_QUERY]), '/usr/lib/gcc-cross/x/12/include/limits.h\n');
    // Only the exact, lone query is rewritten.
    assert.equal(run(wrapper, [LIMITS_QUERY, '-v']).split('\n')[0], '[-mno-outline-atomics]');
  });

  it('keeps a real include-fixed/limits.h answer', () => {
    const real = script(path.join(dir, 'real-fixed'), 'echo /opt/gcc/12/include-fixed/limits.h');
    const wrapper = script(path.join(dir, 'w3'), wrapperScript(real, { limitsH: true, noOutlineAtomics: true }));
    assert.equal(run(wrapper, [LIMITS_QUERY]), '/opt/gcc/12/include-fixed/limits.h\n');
  });

  it('leaves out what a version does not need', () => {
    const text = wrapperScript('/usr/bin/gcc', { limitsH: false, noOutlineAtomics: false });
    assert.doesNotMatch(text, /limits\.h|outline/);
    const wrapper = script(path.join(dir, 'w4'), wrapperScript(fake, { limitsH: false, noOutlineAtomics: false }));
    assert.equal(run(wrapper, [LIMITS_QUERY]), 'include-fixed/limits.h\n');
    assert.equal(run(wrapper, ['-c']), '[-c]\n');
  });
});

describe('the shim entries', () => {
  const fixes = { limitsH: true, noOutlineAtomics: true };
  const tools = new Map([
    ['gcc', '/usr/bin/aarch64-linux-gnu-gcc'],
    ['nm', '/usr/bin/aarch64-linux-gnu-nm'],
    ['ld.bfd', '/usr/bin/aarch64-linux-gnu-ld.bfd'],
  ]);

  it('wrap the compilers, link the tools that exist, and nothing else', () => {
    const entries = shimEntries('aarch64-linux-gnu-', tools, fixes);
    assert.deepEqual(
      entries.map((e) => [e.name, e.kind]),
      [
        ['aarch64-linux-gnu-gcc', 'wrapper'],
        ['aarch64-linux-gnu-ld.bfd', 'link'],
        ['aarch64-linux-gnu-nm', 'link'],
      ],
    );
    assert.deepEqual(entries[1], { name: 'aarch64-linux-gnu-ld.bfd', kind: 'link', target: '/usr/bin/aarch64-linux-gnu-ld.bfd' });
  });

  it('name their folder after the compiler, its version and their content', () => {
    const entries = shimEntries('aarch64-linux-gnu-', tools, fixes);
    const key = shimKey('/usr/bin/aarch64-linux-gnu-gcc', '12.2.0', entries);
    assert.match(key, /^[0-9a-f]{16}$/);
    assert.equal(shimKey('/usr/bin/aarch64-linux-gnu-gcc', '12.2.0', entries), key);
    assert.notEqual(shimKey('/usr/bin/aarch64-linux-gnu-gcc', '12.3.0', entries), key);
    assert.notEqual(shimKey('/opt/bin/aarch64-linux-gnu-gcc', '12.2.0', entries), key);
    assert.notEqual(shimKey('/usr/bin/aarch64-linux-gnu-gcc', '12.2.0', entries.slice(0, 2)), key);
  });

  it('give the environment of Zephyr cross-compile variant', () => {
    assert.deepEqual(crossCompileEnv('/c/abc/aarch64-linux-gnu-'), {
      ZEPHYR_TOOLCHAIN_VARIANT: 'cross-compile',
      CROSS_COMPILE: '/c/abc/aarch64-linux-gnu-',
    });
  });
});

describe("the shim around Debian's aarch64-linux-gnu-gcc", () => {
  const realGcc = which('aarch64-linux-gnu-gcc');
  const realNm = which('aarch64-linux-gnu-nm');

  it('has the cross compiler to test with (npm run setup installs it)', () => {
    assert.ok(realGcc, 'aarch64-linux-gnu-gcc on PATH');
    assert.ok(realNm, 'aarch64-linux-gnu-nm on PATH');
  });

  it('goes under the tool cache by default', () => {
    assert.equal(path.dirname(ZEPHYR_CROSS_DIR), CACHE_DIR);
  });

  it('is created with a wrapper and links, and a second call reuses it untouched', async () => {
    const cacheDir = path.join(tempDir('cross-shim'), 'cache');
    const shim = await ensureCrossShim({ cacheDir });
    assert.equal(path.dirname(shim.dir), cacheDir);
    assert.equal(shim.crossCompile, path.join(shim.dir, 'aarch64-linux-gnu-'));
    assert.equal(shim.gcc, realGcc);
    assert.match(shim.version, /^\d+\.\d+\.\d+$/);
    const gcc = path.join(shim.dir, 'aarch64-linux-gnu-gcc');
    assert.ok(lstatSync(gcc).isFile());
    assert.equal(statSync(gcc).mode & 0o777, 0o755);
    assert.match(readFileSync(gcc, 'utf8'), /^#!\/bin\/sh\n/);
    for (const tool of ['nm', 'objcopy', 'ld', 'as', 'ar']) {
      const link = path.join(shim.dir, `aarch64-linux-gnu-${tool}`);
      assert.ok(lstatSync(link).isSymbolicLink(), tool);
      assert.match(execFileSync(link, ['--version'], { encoding: 'utf8' }), /GNU/, tool);
    }
    assert.equal(existsSync(path.join(shim.dir, 'aarch64-linux-gnu-g++')), which('aarch64-linux-gnu-g++') !== null);

    const before = lstatSync(gcc).mtimeMs;
    const again = await ensureCrossShim({ cacheDir });
    assert.deepEqual(again, shim);
    assert.equal(lstatSync(gcc).mtimeMs, before);
    assert.deepEqual(readdirSync(cacheDir), [path.basename(shim.dir)], 'no temporary folders left');
  });

  it('comes out the same from calls racing each other, with no temporary folders left', async () => {
    const cacheDir = path.join(tempDir('cross-race'), 'cache');
    const shims = await Promise.all([1, 2, 3, 4].map(() => ensureCrossShim({ cacheDir })));
    assert.equal(new Set(shims.map((s) => s.dir)).size, 1);
    assert.deepEqual(readdirSync(cacheDir), [path.basename(shims[0]!.dir)]);
  });

  it('answers include-fixed/limits.h with an absolute path that exists', async () => {
    const shim = await ensureCrossShim({ cacheDir: path.join(tempDir('cross-limits'), 'cache') });
    const answer = run(`${shim.crossCompile}gcc`, [LIMITS_QUERY]).trim();
    assert.ok(path.isAbsolute(answer), answer);
    assert.ok(existsSync(answer), answer);
    assert.equal(path.basename(answer), 'limits.h');
  });

  it('compiles 64-bit __atomic_fetch_add inline: no __aarch64_ldadd call (the real gcc makes one)', async () => {
    const dir = tempDir('cross-atomics');
    const shim = await ensureCrossShim({ cacheDir: path.join(dir, 'cache') });
    const source = path.join(dir, 'atomic.c');
    writeFileSync(
      source,
      'unsigned long long counter;\nunsigned long long bump(void) { return __atomic_fetch_add(&counter, 1ULL, __ATOMIC_SEQ_CST); }\n',
    );
    const compile = (gcc: string, object: string) => {
      execFileSync(gcc, ['-O2', '-ffreestanding', '-c', source, '-o', object]);
      return execFileSync(`${shim.crossCompile}nm`, [object], { encoding: 'utf8' });
    };
    const viaShim = compile(`${shim.crossCompile}gcc`, path.join(dir, 'shim.o'));
    assert.match(viaShim, / T bump$/m);
    assert.doesNotMatch(viaShim, /__aarch64_ldadd/);
    // The check means something: Debian's GCC 12 calls the outline helper by default.
    assert.match(compile(realGcc!, path.join(dir, 'real.o')), /U __aarch64_ldadd8_acq_rel/);
  });

  it('reports a missing cross compiler as TOOL_MISSING naming the package', async () => {
    const empty = tempDir('cross-nopath');
    await assert.rejects(ensureCrossShim({ cacheDir: path.join(empty, 'cache'), pathEnv: empty }), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'TOOL_MISSING');
      assert.equal(error.stage, 'build');
      assert.match(error.message, /aarch64-linux-gnu-gcc not found on PATH/);
      assert.match(error.message, /gcc-aarch64-linux-gnu/);
      assert.match(error.message, /npm run setup/);
      return true;
    });
    await assert.rejects(ensureCrossShim({ cacheDir: path.join(empty, 'cache'), prefix: path.join(empty, 'nope-') }), {
      code: 'TOOL_MISSING',
      message: /nope-gcc not found/,
    });
  });

  it('never runs itself: a shim folder on PATH is skipped when looking for the real gcc', async () => {
    const cacheDir = path.join(tempDir('cross-self'), 'cache');
    const shim = await ensureCrossShim({ cacheDir });
    const onPath = await ensureCrossShim({ cacheDir, pathEnv: [shim.dir, process.env.PATH].join(path.delimiter) });
    assert.equal(onPath.gcc, realGcc);
    assert.equal(onPath.dir, shim.dir);
  });

  it('works from a relative PATH entry and from a folder of ccache-style gcc links without binutils', async () => {
    const cacheDir = path.join(tempDir('cross-paths'), 'cache');
    const gcc = realGcc!;
    const cwd = process.cwd();
    process.chdir(path.dirname(gcc));
    try {
      const relative = await ensureCrossShim({ cacheDir, pathEnv: '.' });
      assert.equal(relative.gcc, realGcc);
      assert.equal(
        readlinkSync(path.join(relative.dir, 'aarch64-linux-gnu-objcopy')),
        path.join(path.dirname(gcc), 'aarch64-linux-gnu-objcopy'),
      );
    } finally {
      process.chdir(cwd);
    }
    const links = tempDir('ccache-like');
    symlinkSync(gcc, path.join(links, 'aarch64-linux-gnu-gcc'));
    const viaLinks = await ensureCrossShim({ cacheDir, pathEnv: [links, process.env.PATH].join(path.delimiter) });
    assert.equal(viaLinks.gcc, path.join(links, 'aarch64-linux-gnu-gcc'));
    for (const tool of ['objcopy', 'ld', 'ar', 'nm']) {
      assert.ok(existsSync(path.join(viaLinks.dir, `aarch64-linux-gnu-${tool}`)), `${tool} found beside what gcc resolves to`);
    }
  });

  it('does not write through a symlink planted at the shim folder or at the cache folder', async () => {
    const dir = tempDir('cross-symlink');
    const name = path.basename((await ensureCrossShim({ cacheDir: path.join(dir, 'reference') })).dir);
    const victim = path.join(dir, 'victim');
    mkdirSync(victim);

    const cacheDir = path.join(dir, 'cache');
    mkdirSync(cacheDir);
    symlinkSync(victim, path.join(cacheDir, name));
    await assert.rejects(ensureCrossShim({ cacheDir }), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'OUTPUT_NOT_OURS');
      assert.match(error.message, new RegExp(`${name}: expected a folder`));
      return true;
    });
    assert.deepEqual(readdirSync(victim), []);
    assert.ok(lstatSync(path.join(cacheDir, name)).isSymbolicLink());
    assert.deepEqual(readdirSync(cacheDir), [name], 'no temporary folders left');

    const linkedCache = path.join(dir, 'linked-cache');
    symlinkSync(victim, linkedCache);
    await assert.rejects(ensureCrossShim({ cacheDir: linkedCache }), {
      code: 'OUTPUT_NOT_OURS',
      message: /linked-cache: expected a folder/,
    });
    assert.deepEqual(readdirSync(victim), []);
  });

  it('refuses a folder at its path that does not hold its shim', async () => {
    const dir = tempDir('cross-foreign');
    const name = path.basename((await ensureCrossShim({ cacheDir: path.join(dir, 'reference') })).dir);
    const cacheDir = path.join(dir, 'cache');
    mkdirSync(path.join(cacheDir, name), { recursive: true });
    writeFileSync(path.join(cacheDir, name, 'aarch64-linux-gnu-gcc'), '#!/bin/sh\necho not ours\n');
    await assert.rejects(ensureCrossShim({ cacheDir }), { code: 'OUTPUT_NOT_OURS', message: /expected the shim folder/ });
    assert.equal(readFileSync(path.join(cacheDir, name, 'aarch64-linux-gnu-gcc'), 'utf8'), '#!/bin/sh\necho not ours\n');
  });
});

describe('what the lead wires into the Zephyr builders', () => {
  it('zephyrBuildEnv: nothing for the Zephyr SDK, the shim for cross-compile', async () => {
    const cacheDir = path.join(tempDir('cross-env'), 'cache');
    assert.equal(await zephyrBuildEnv('zephyr-sdk', { cacheDir }), undefined);
    assert.equal(existsSync(cacheDir), false, 'the SDK path makes no shim');
    const env = await zephyrBuildEnv('cross-compile', { cacheDir });
    assert.deepEqual(Object.keys(env!).sort(), ['CROSS_COMPILE', 'ZEPHYR_TOOLCHAIN_VARIANT']);
    assert.equal(env!.ZEPHYR_TOOLCHAIN_VARIANT, 'cross-compile');
    assert.match(env!.CROSS_COMPILE!, new RegExp(`^${cacheDir}/[0-9a-f]{16}/aarch64-linux-gnu-$`));
    assert.match(run(`${env!.CROSS_COMPILE}gcc`, ['-dumpmachine']), /^aarch64-linux-gnu\n$/);
  });

  it('zephyrCmakeExtras: Debian-style Python only for cross-compile, only when it has elftools, never over the user choice', async () => {
    const dir = tempDir('cross-python');
    const good = script(path.join(dir, 'python-good'), '[ "$1" = -c ] && [ "$2" = "import elftools" ]');
    const bad = script(path.join(dir, 'python-bad'), 'echo "ModuleNotFoundError: No module named elftools" >&2; exit 1');
    assert.deepEqual(await zephyrCmakeExtras('cross-compile', { python: good }), [`-DPython3_EXECUTABLE=${good}`]);
    assert.deepEqual(await zephyrCmakeExtras('cross-compile', { python: bad }), []);
    assert.deepEqual(await zephyrCmakeExtras('cross-compile', { python: path.join(dir, 'none') }), []);
    assert.deepEqual(await zephyrCmakeExtras('zephyr-sdk', { python: good }), []);
    assert.deepEqual(await zephyrCmakeExtras('cross-compile', { python: good, cmakeArgs: ['-DPython3_EXECUTABLE=/venv/bin/python'] }), []);
    assert.equal(choosesPython(['-DPython3_EXECUTABLE:FILEPATH=/x']), true);
    assert.equal(choosesPython(['-DPYTHON_PREFER=/x']), false);
  });
});
