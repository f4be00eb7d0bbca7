/** Builders for a real Zephyr app: west, or plain cmake + ninja. Argv building is pure; running is separate. */
import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { runBuildStep, type BuildStep } from './run-build.js';
import type { Builder, BuildRequest, BuildResult } from './types.js';
import { joinOverlays, requireCmakeNinja, requireWest, requireZephyrBase, zephyrImage } from './zephyr-env.js';

export interface ZephyrApp {
  app: string;
  board: string;
  snippet: string;
  /** Overlays the user already passes; kept, ours goes last. */
  extraOverlays: string[];
  /** More -D arguments for CMake. */
  cmakeArgs: string[];
}

/** Zephyr's default success sign: the boot banner (CONFIG_BOOT_BANNER_STRING may change its text). */
export const ZEPHYR_SUCCESS = ['\\*\\*\\* .+ \\*\\*\\*'];

/** `west build -p auto|always -b <board> -S <snippet> <app> -d <dir> -- -DEXTRA_DTC_OVERLAY_FILE=...` */
export function westArgv(app: ZephyrApp, request: Pick<BuildRequest, 'overlay' | 'buildDir' | 'pristine'>): string[] {
  return [
    'build',
    '-p',
    request.pristine ? 'always' : 'auto',
    '-b',
    app.board,
    '-S',
    app.snippet,
    app.app,
    '-d',
    request.buildDir,
    '--',
    `-DEXTRA_DTC_OVERLAY_FILE=${joinOverlays(app.extraOverlays, request.overlay)}`,
    ...app.cmakeArgs,
  ];
}

/** `cmake -GNinja -S app -B dir -DBOARD -DSNIPPET -DEXTRA_DTC_OVERLAY_FILE`, then `ninja -C dir`. */
export function cmakeSteps(
  app: ZephyrApp,
  request: Pick<BuildRequest, 'overlay' | 'buildDir'>,
  tools = { cmake: 'cmake', ninja: 'ninja' },
): BuildStep[] {
  return [
    {
      file: tools.cmake,
      argv: [
        '-GNinja',
        '-S',
        app.app,
        '-B',
        request.buildDir,
        `-DBOARD=${app.board}`,
        `-DSNIPPET=${app.snippet}`,
        `-DEXTRA_DTC_OVERLAY_FILE=${joinOverlays(app.extraOverlays, request.overlay)}`,
        ...app.cmakeArgs,
      ],
    },
    { file: tools.ninja, argv: ['-C', request.buildDir] },
  ];
}

async function imageResult(image: string, t0: number, commands: BuildStep[]): Promise<BuildResult> {
  if (!existsSync(image)) throw new ToolError('BUILD_FAILED', 'build', `the build succeeded but ${image} is missing`);
  return {
    image,
    imageSize: (await stat(image)).size,
    ms: Math.round(performance.now() - t0),
    commands: commands.map((s) => [s.file, ...s.argv]),
  };
}

export function westBuilder(app: ZephyrApp): Builder {
  return {
    kind: 'west',
    successPatterns: ZEPHYR_SUCCESS,
    failurePattern: null,
    async build(request) {
      const west = requireWest();
      requireZephyrBase();
      const t0 = performance.now();
      const step = { file: west, argv: westArgv(app, request) };
      await runBuildStep(step, { logFile: request.logFile, timeoutMs: request.timeoutMs, what: 'west build' });
      return imageResult(zephyrImage(request.buildDir), t0, [step]);
    },
  };
}

export function cmakeBuilder(app: ZephyrApp): Builder {
  return {
    kind: 'cmake',
    successPatterns: ZEPHYR_SUCCESS,
    failurePattern: null,
    async build(request) {
      const tools = requireCmakeNinja();
      requireZephyrBase();
      const t0 = performance.now();
      if (request.pristine && existsSync(path.join(request.buildDir, 'CMakeCache.txt'))) {
        for (const entry of await readdir(request.buildDir)) await rm(path.join(request.buildDir, entry), { recursive: true, force: true });
      }
      const steps = cmakeSteps(app, request, tools);
      for (const step of steps) await runBuildStep(step, { logFile: request.logFile, timeoutMs: request.timeoutMs, what: 'cmake build' });
      return imageResult(zephyrImage(request.buildDir), t0, steps);
    },
  };
}
