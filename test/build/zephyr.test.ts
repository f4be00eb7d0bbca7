import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { BuildRequest } from '../../src/build/types.js';
import {
  baseDir,
  cmakeBuilder,
  cmakeSteps,
  splitCmakeArgs,
  westArgv,
  westBaseArgv,
  westBuilder,
  type ZephyrApp,
} from '../../src/build/zephyr.js';
import { ToolError } from '../../src/base/errors.js';
import { isAlive, processesMentioning } from '../helpers/procs.js';
import { tempDir } from '../helpers/tmp.js';
import { FAKE_IMAGE_BYTES, FAKE_WEST, fakeWestEnv, fakeZephyrBase, recordedCalls, setEnv } from './fake-west.js';

const app: ZephyrApp = {
  app: '/work/apps/my app',
  board: 'qemu_cortex_a53',
  snippet: 'xen_dom0',
  extraOverlays: [],
  cmakeArgs: [],
};
const request = { overlay: '/run/pass-1/xen-dom0.overlay', buildDir: '/work/apps/my app/build-xen-dom0', pristine: false };

describe('westArgv', () => {
  it('builds for the board with the snippet and our overlay, reusing the build folder', () => {
    assert.deepEqual(westArgv(app, request), [
      'build',
      '-p',
      'auto',
      '-b',
      'qemu_cortex_a53',
      '-S',
      'xen_dom0',
      '/work/apps/my app',
      '-d',
      '/work/apps/my app/build-xen-dom0',
      '--',
      '-DEXTRA_DTC_OVERLAY_FILE=/run/pass-1/xen-dom0.overlay',
    ]);
  });

  it('never asks west for -p always (it empties the whole folder): --pristine is done before, by build-dir.ts', () => {
    assert.deepEqual(westArgv(app, request).slice(0, 3), ['build', '-p', 'auto']);
  });

  it("keeps the user's overlays and puts ours last, then the user's CMake arguments", () => {
    const argv = westArgv(
      {
        ...app,
        board: 'my_board',
        snippet: 'my_snippet',
        extraOverlays: ['/a/one.overlay', '/b/two.overlay'],
        cmakeArgs: ['-DCONFIG_X=y', '-DFOO=a b'],
      },
      request,
    );
    assert.deepEqual(argv.slice(argv.indexOf('--')), [
      '--',
      '-DEXTRA_DTC_OVERLAY_FILE=/a/one.overlay;/b/two.overlay;/run/pass-1/xen-dom0.overlay',
      '-DCONFIG_X=y',
      '-DFOO=a b',
    ]);
    assert.deepEqual(argv.slice(3, 7), ['-b', 'my_board', '-S', 'my_snippet']);
  });
});

describe('cmakeSteps', () => {
  it('configures with Ninja, then runs ninja in the build folder', () => {
    const steps = cmakeSteps({ ...app, extraOverlays: ['/a/one.overlay'], cmakeArgs: ['-DCONFIG_X=y'] }, request, {
      cmake: '/usr/bin/cmake',
      ninja: '/usr/bin/ninja',
    });
    assert.deepEqual(steps, [
      {
        file: '/usr/bin/cmake',
        argv: [
          '-GNinja',
          '-S',
          '/work/apps/my app',
          '-B',
          '/work/apps/my app/build-xen-dom0',
          '-DBOARD=qemu_cortex_a53',
          '-DSNIPPET=xen_dom0',
          '-DEXTRA_DTC_OVERLAY_FILE=/a/one.overlay;/run/pass-1/xen-dom0.overlay',
          '-DCONFIG_X=y',
        ],
      },
      { file: '/usr/bin/ninja', argv: ['-C', '/work/apps/my app/build-xen-dom0'] },
    ]);
  });

  it('uses cmake and ninja from PATH by default', () => {
    const steps = cmakeSteps(app, request);
    assert.deepEqual(
      steps.map((s) => s.file),
      ['cmake', 'ninja'],
    );
  });
});

describe('westBuilder with a fake west', () => {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
  });

  function scratch(name: string): { dir: string; log: string; request: BuildRequest } {
    const dir = path.join(tempDir(`west-${name}`), 'with space');
    mkdirSync(dir, { recursive: true });
    return {
      dir,
      log: path.join(dir, 'west-argv.log'),
      request: {
        overlay: path.join(dir, 'xen-dom0.overlay'),
        buildDir: path.join(dir, 'build-xen-dom0'),
        logFile: path.join(dir, 'build.log'),
        pristine: false,
        timeoutMs: 20_000,
      },
    };
  }

  it('runs west build with the argv westArgv gives and returns the image', async () => {
    const s = scratch('ok');
    restore = fakeWestEnv(s.log);
    const zapp = { ...app, app: path.join(s.dir, 'app'), extraOverlays: [path.join(s.dir, 'user.overlay')], cmakeArgs: ['-DCONFIG_Y=n'] };
    const result = await westBuilder(zapp).build(s.request);

    const expected = [
      'build',
      '-p',
      'auto',
      '-b',
      'qemu_cortex_a53',
      '-S',
      'xen_dom0',
      zapp.app,
      '-d',
      s.request.buildDir,
      '--',
      `-DEXTRA_DTC_OVERLAY_FILE=${path.join(s.dir, 'user.overlay')};${s.request.overlay}`,
      '-DCONFIG_Y=n',
    ];
    assert.deepEqual(recordedCalls(s.log), [expected]);
    const image = path.join(s.request.buildDir, 'zephyr', 'zephyr.bin');
    assert.equal(result.image, image);
    assert.equal(result.imageSize, FAKE_IMAGE_BYTES);
    assert.equal(result.imageSize, statSync(image).size);
    assert.ok(Number.isInteger(result.ms) && result.ms >= 0, `ms: ${result.ms}`);
    assert.deepEqual(result.commands, [[FAKE_WEST, ...expected]]);

    const buildLog = readFileSync(s.request.logFile, 'utf8');
    assert.match(buildLog, new RegExp(`^\\$ ${FAKE_WEST.replaceAll('/', '\\/')} build -p auto`, 'm'));
    assert.ok(buildLog.includes(`fake-west: built ${image} (fresh)`), buildLog);
  });

  it('reuses the build folder on a second build (-p auto, same -d)', async () => {
    const s = scratch('again');
    restore = fakeWestEnv(s.log);
    const zapp = { ...app, app: path.join(s.dir, 'app') };
    const first = await westBuilder(zapp).build(s.request);
    const second = await westBuilder(zapp).build({ ...s.request, logFile: path.join(s.dir, 'build-2.log') });

    const calls = recordedCalls(s.log);
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1], calls[0]);
    assert.equal(calls[1]![calls[1]!.indexOf('-p') + 1], 'auto');
    assert.equal(calls[1]![calls[1]!.indexOf('-d') + 1], s.request.buildDir);
    assert.equal(second.image, first.image);
    // the fake saw the first build's image still there: nothing wiped the folder in between
    assert.ok(readFileSync(path.join(s.dir, 'build-2.log'), 'utf8').includes(`built ${second.image} (reused)`));
  });

  it('a pristine build passes -p auto to west and deletes nothing itself', async () => {
    const s = scratch('pristine');
    restore = fakeWestEnv(s.log);
    mkdirSync(s.request.buildDir, { recursive: true });
    writeFileSync(path.join(s.request.buildDir, 'notes.txt'), 'mine\n');
    await westBuilder({ ...app, app: path.join(s.dir, 'app') }).build({ ...s.request, pristine: true });
    assert.deepEqual(recordedCalls(s.log)[0]?.slice(0, 3), ['build', '-p', 'auto']);
    assert.equal(readFileSync(path.join(s.request.buildDir, 'notes.txt'), 'utf8'), 'mine\n');
  });

  it('says how to install west when it is not on PATH', async () => {
    const s = scratch('nowest');
    restore = setEnv({ PATH: tempDir('empty-path'), ZEPHYR_BASE: fakeZephyrBase(), FAKE_WEST_LOG: s.log });
    await assert.rejects(westBuilder(app).build(s.request), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'TOOL_MISSING');
      assert.equal(error.stage, 'build');
      assert.match(error.message, /pip install west/);
      return true;
    });
    assert.equal(existsSync(s.log), false, 'nothing ran');
  });

  it('names ZEPHYR_BASE when it is unset, before running west', async () => {
    const s = scratch('nobase');
    restore = fakeWestEnv(s.log);
    setEnv({ ZEPHYR_BASE: undefined });
    assert.equal(process.env.ZEPHYR_BASE, undefined);
    await assert.rejects(westBuilder(app).build(s.request), { code: 'TOOL_MISSING', message: /ZEPHYR_BASE/ });
    assert.deepEqual(recordedCalls(s.log), []);
  });

  it('refuses a ZEPHYR_BASE that is not a Zephyr tree', async () => {
    const s = scratch('badbase');
    restore = fakeWestEnv(s.log);
    setEnv({ ZEPHYR_BASE: s.dir });
    await assert.rejects(westBuilder(app).build(s.request), { code: 'TOOL_MISSING', message: /not a Zephyr tree/ });
  });

  it("fails with BUILD_FAILED and west's last lines when west exits non-zero", async () => {
    const s = scratch('fail');
    restore = fakeWestEnv(s.log, 'fail');
    await assert.rejects(westBuilder({ ...app, app: path.join(s.dir, 'app') }).build(s.request), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.equal(error.code, 'BUILD_FAILED');
      assert.match(error.message, /exited with 2/);
      assert.ok(error.message.includes(s.request.logFile), error.message);
      const tail = error.details.logTail as string[];
      assert.ok(Array.isArray(tail) && tail.includes('error: boom'), JSON.stringify(error.details));
      return true;
    });
    assert.match(readFileSync(s.request.logFile, 'utf8'), /error: boom/);
  });

  it('stops a hung west and everything it started at the build deadline (BUILD_TIMEOUT)', async () => {
    const s = scratch('hang');
    restore = fakeWestEnv(s.log, 'hang');
    const t0 = performance.now();
    await assert.rejects(westBuilder({ ...app, app: path.join(s.dir, 'app') }).build({ ...s.request, timeoutMs: 500 }), {
      code: 'BUILD_TIMEOUT',
      stage: 'build',
    });
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 450 && elapsed < 5000, `took ${Math.round(elapsed)} ms`);

    const pidFile = path.join(s.request.buildDir, 'fake-west-sleep.pid');
    assert.ok(existsSync(pidFile), 'the fake west started its sleep');
    const sleepPid = Number(readFileSync(pidFile, 'utf8').trim());
    assert.ok(sleepPid > 0);
    const deadline = Date.now() + 2000;
    while ((isAlive(sleepPid) || processesMentioning(FAKE_WEST).length > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(isAlive(sleepPid), false, `sleep ${sleepPid} still running`);
    assert.deepEqual(processesMentioning(FAKE_WEST), []);
  });
});

describe("EXTRA_CONF_FILE and the user's own -D lists", () => {
  it('passes our fragment last, after fragments and overlays the user gave in cmakeArgs', () => {
    const zapp = {
      ...app,
      extraOverlays: ['/a/one.overlay'],
      cmakeArgs: ['-DEXTRA_CONF_FILE=/u/a.conf;/u/b.conf', '-DEXTRA_DTC_OVERLAY_FILE:STRING=/u/two.overlay', '-DX=1'],
    };
    const argv = westArgv(zapp, { ...request, confFile: '/run/build.conf' });
    assert.deepEqual(argv.slice(argv.indexOf('--') + 1), [
      '-DEXTRA_DTC_OVERLAY_FILE=/a/one.overlay;/u/two.overlay;/run/pass-1/xen-dom0.overlay',
      '-DEXTRA_CONF_FILE=/u/a.conf;/u/b.conf;/run/build.conf',
      '-DX=1',
    ]);
    assert.deepEqual(splitCmakeArgs(['-DEXTRA_CONF_FILE=', '-DY=2']), { overlays: [], confFiles: [], rest: ['-DY=2'] });
  });

  it('configures the base devicetree without our overlay or fragment (west --cmake-only)', () => {
    const argv = westBaseArgv({ ...app, extraOverlays: ['/a/one.overlay'] }, '/b/base', ['-DPython3_EXECUTABLE=/usr/bin/python3']);
    assert.deepEqual(argv.slice(0, 2), ['build', '--cmake-only']);
    assert.deepEqual(argv.slice(argv.indexOf('--') + 1), [
      '-DEXTRA_DTC_OVERLAY_FILE=/a/one.overlay',
      '-DEXTRA_CONF_FILE=',
      '-DPython3_EXECUTABLE=/usr/bin/python3',
    ]);
  });
});

describe('the base devicetree and the configure skip, with fake west, cmake and ninja', () => {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
  });

  it('configures the base once per input: again only when a user overlay changes', async () => {
    const dir = tempDir('base');
    const log = path.join(dir, 'argv.log');
    restore = fakeWestEnv(log);
    const user = path.join(dir, 'user.overlay');
    writeFileSync(user, '/ { };\n');
    const builder = westBuilder({ ...app, app: path.join(dir, 'app'), extraOverlays: [user] });
    const req = { buildDir: path.join(dir, 'build'), logFile: path.join(dir, 'build.log'), timeoutMs: 20_000 };
    const dts = await builder.baseDevicetree!(req);
    assert.equal(dts, path.join(baseDir(req.buildDir), 'zephyr', 'zephyr.dts'));
    assert.match(readFileSync(dts, 'utf8'), /sram0: memory@58000000/);
    await builder.baseDevicetree!(req);
    assert.equal(recordedCalls(log).length, 1, 'the same inputs reuse the base tree');
    writeFileSync(user, '/ { chosen { }; };\n');
    await builder.baseDevicetree!(req);
    assert.equal(recordedCalls(log).length, 2, 'a changed user overlay configures again');
    assert.ok(recordedCalls(log)[1]!.includes('--cmake-only'));
  });

  it('cmake runs again only when its arguments, our overlay or our fragment changed', async () => {
    const dir = tempDir('cmake-skip');
    const log = path.join(dir, 'argv.log');
    restore = fakeWestEnv(log);
    const overlay = path.join(dir, 'b.overlay');
    const confFile = path.join(dir, 'b.conf');
    writeFileSync(overlay, 'one');
    writeFileSync(confFile, 'CONFIG_SRAM_BASE_ADDRESS=0x50000000\n');
    const builder = cmakeBuilder({ ...app, app: path.join(dir, 'app') });
    const req = {
      overlay,
      confFile,
      buildDir: path.join(dir, 'build'),
      logFile: path.join(dir, 'build.log'),
      pristine: false,
      timeoutMs: 20_000,
    };
    const tools = () => recordedCalls(log).map((c) => c[0]);
    await builder.build(req);
    await builder.build(req);
    assert.deepEqual(tools(), ['cmake', 'ninja', 'ninja'], 'nothing changed: ninja alone');
    writeFileSync(confFile, 'CONFIG_SRAM_BASE_ADDRESS=0x60000000\n');
    await builder.build(req);
    writeFileSync(overlay, 'two');
    await builder.build(req);
    assert.deepEqual(tools(), ['cmake', 'ninja', 'ninja', 'cmake', 'ninja', 'cmake', 'ninja']);
    const result = await builder.build(req);
    assert.equal(result.outputs?.elf, path.join(req.buildDir, 'zephyr', 'zephyr.elf'));
    // A pristine request deletes nothing in the folder (the pipeline did --pristine, build-dir.ts).
    writeFileSync(path.join(req.buildDir, 'notes.txt'), 'mine\n');
    await builder.build({ ...req, pristine: true });
    assert.equal(readFileSync(path.join(req.buildDir, 'notes.txt'), 'utf8'), 'mine\n');
    assert.ok(existsSync(path.join(req.buildDir, 'CMakeCache.txt')));
  });
});
