import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { commandBuilder, fillPlaceholders, type CommandSpec } from '../../src/build/command.js';
import type { BuildRequest } from '../../src/build/types.js';
import { ToolError } from '../../src/base/errors.js';
import { tempDir } from '../helpers/tmp.js';

const vars = { overlay: '/my dir/xen-dom0.overlay', conf: '/my dir/build.conf', outDir: '/out dir/build' };

describe('fillPlaceholders', () => {
  it('replaces {overlay} and {outDir}, every occurrence', () => {
    assert.equal(fillPlaceholders('{overlay}', vars), '/my dir/xen-dom0.overlay');
    assert.equal(fillPlaceholders('{outDir}/zephyr/zephyr.bin', vars), '/out dir/build/zephyr/zephyr.bin');
    assert.equal(
      fillPlaceholders('-DEXTRA_DTC_OVERLAY_FILE={overlay};{overlay} -B{outDir}', vars),
      '-DEXTRA_DTC_OVERLAY_FILE=/my dir/xen-dom0.overlay;/my dir/xen-dom0.overlay -B/out dir/build',
    );
  });

  it('leaves other text and unknown placeholders alone', () => {
    assert.equal(fillPlaceholders('make -j4 {target} $HOME', vars), 'make -j4 {target} $HOME');
  });
});

function setup(name: string): { dir: string; request: BuildRequest } {
  const dir = path.join(tempDir(`command-${name}`), 'with space');
  mkdirSync(dir, { recursive: true });
  const overlay = path.join(dir, 'xen-dom0.overlay');
  writeFileSync(overlay, '/* overlay for the command builder test */\n');
  return {
    dir,
    request: {
      overlay,
      // not created beforehand: the builder makes it
      buildDir: path.join(dir, 'out dir'),
      logFile: path.join(dir, 'build.log'),
      pristine: false,
      timeoutMs: 20_000,
    },
  };
}

const spec = (argv: string[], image: string): CommandSpec => ({ argv, image, successPatterns: ['^up$'], failurePattern: '^down$' });

describe('commandBuilder', () => {
  it('runs the argv with placeholders filled, each argument staying one argument, and returns the image', async () => {
    const { request } = setup('ok');
    const script = 'cp "$1" "$2/image.bin" && printf "%s\\n" "$#" "$3" > "$2/args.txt" && echo "copied $1"';
    const builder = commandBuilder(
      spec(['/bin/sh', '-c', script, 'sh', '{overlay}', '{outDir}', 'mixed {overlay} and {outDir}'], '{outDir}/image.bin'),
    );
    assert.equal(builder.kind, 'command');
    assert.deepEqual(builder.successPatterns, ['^up$']);
    assert.equal(builder.failurePattern, '^down$');

    const result = await builder.build(request);
    const image = path.join(request.buildDir, 'image.bin');
    assert.equal(result.image, image);
    assert.equal(readFileSync(image, 'utf8'), readFileSync(request.overlay, 'utf8'));
    assert.equal(result.imageSize, readFileSync(request.overlay).length);
    assert.ok(result.ms >= 0);
    assert.deepEqual(result.commands, [
      ['/bin/sh', '-c', script, 'sh', request.overlay, request.buildDir, `mixed ${request.overlay} and ${request.buildDir}`],
    ]);
    // the script saw three arguments, the spaces inside them intact
    assert.equal(readFileSync(path.join(request.buildDir, 'args.txt'), 'utf8'), `3\nmixed ${request.overlay} and ${request.buildDir}\n`);
    assert.ok(readFileSync(request.logFile, 'utf8').includes(`copied ${request.overlay}`));
  });

  it('takes an image path without placeholders as given', async () => {
    const { dir, request } = setup('fixed');
    const fixed = path.join(dir, 'fixed.bin');
    const result = await commandBuilder(spec(['/bin/sh', '-c', 'printf abc > "$1"', 'sh', fixed], fixed)).build(request);
    assert.equal(result.image, fixed);
    assert.equal(result.imageSize, 3);
  });

  it('fails with BUILD_FAILED naming build.image when the command succeeds without making the image', async () => {
    const { request } = setup('noimage');
    const missing = path.join(request.buildDir, 'nope.bin');
    await assert.rejects(commandBuilder(spec(['/bin/sh', '-c', 'exit 0'], '{outDir}/nope.bin')).build(request), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'BUILD_FAILED');
      assert.equal(error.stage, 'build');
      assert.match(error.message, /build\.image/);
      assert.ok(error.message.includes(missing), error.message);
      return true;
    });
    assert.equal(existsSync(missing), false);
  });

  it("fails with BUILD_FAILED and the command's last lines when it exits non-zero", async () => {
    const { request } = setup('exit');
    await assert.rejects(
      commandBuilder(spec(['/bin/sh', '-c', 'echo "ld: undefined reference" >&2; exit 3'], '{outDir}/x')).build(request),
      {
        code: 'BUILD_FAILED',
        message: /exited with 3/,
        details: { logTail: ['ld: undefined reference'] },
      },
    );
  });

  it('names a command that does not exist (TOOL_MISSING), and refuses an empty argv', async () => {
    const { request } = setup('missing');
    await assert.rejects(commandBuilder(spec(['/nonexistent/build-tool', '{overlay}'], '{outDir}/x')).build(request), {
      code: 'TOOL_MISSING',
      message: /\/nonexistent\/build-tool not found/,
    });
    await assert.rejects(commandBuilder(spec([], '{outDir}/x')).build(request), { code: 'CONFIG_INVALID', message: /build\.argv/ });
  });

  it('names a build.cwd that is not a folder, instead of reporting the command as missing', async () => {
    const { dir, request } = setup('cwd');
    const cwd = path.join(dir, 'no such folder');
    await assert.rejects(commandBuilder({ ...spec(['/bin/sh', '-c', 'true'], '{outDir}/x'), cwd }).build(request), {
      code: 'INPUT_NOT_FOUND',
      message: `build.cwd ${cwd}: no such folder (the build command runs there)`,
    });
  });
});
