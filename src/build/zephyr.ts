/** Builders for a real Zephyr app: west, or plain cmake + ninja. Argv building is pure; running is separate. */
import { ZEPHYR_SNIPPET_TARGETS, type DtTargets } from '../devicetree/targets.js';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ZephyrToolchain } from '../config/schema.js';
import { ToolError } from '../base/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { zephyrBuildEnv, zephyrCmakeExtras } from './cross-toolchain.js';
import { runBuildStep, type BuildStep } from './run-build.js';
import type { Builder, BuildOutputs, BuildRequest, BuildResult } from './types.js';
import { joinOverlays, requireCmakeNinja, requireWest, requireZephyrBase, zephyrImage } from './zephyr-env.js';

export interface ZephyrApp {
  app: string;
  board: string;
  snippet: string;
  /** Overlays the user already passes; kept, ours goes last. */
  extraOverlays: string[];
  /** More -D arguments for CMake. */
  cmakeArgs: string[];
  /** The Zephyr SDK (default) or Debian's cross compiler through Zephyr's cross-compile variant. */
  toolchain?: ZephyrToolchain;
}

/** The environment and CMake arguments `app.toolchain` needs (none for the Zephyr SDK). */
async function toolchainSetup(app: ZephyrApp): Promise<{ env?: Record<string, string>; cmakeArgs: string[] }> {
  const toolchain = app.toolchain ?? 'zephyr-sdk';
  const [env, cmakeArgs] = await Promise.all([zephyrBuildEnv(toolchain), zephyrCmakeExtras(toolchain, { cmakeArgs: app.cmakeArgs })]);
  return { env, cmakeArgs };
}

/** Zephyr's default success sign: the boot banner (CONFIG_BOOT_BANNER_STRING may change its text). */
export const ZEPHYR_SUCCESS = ['\\*\\*\\* .+ \\*\\*\\*'];

/** Where a Zephyr build's outputs are, for the check that it is not stale. */
export const zephyrOutputs = (buildDir: string): BuildOutputs => ({
  elf: path.join(buildDir, 'zephyr', 'zephyr.elf'),
  dotConfig: path.join(buildDir, 'zephyr', '.config'),
  devicetree: path.join(buildDir, 'zephyr', 'zephyr.dts'),
});

/** The folder inside the build folder where the devicetree without our overlay is configured. */
export const baseDir = (buildDir: string): string => path.join(buildDir, 'xen-dom0-boot-base');

type ListVar = 'EXTRA_DTC_OVERLAY_FILE' | 'EXTRA_CONF_FILE';

/**
 * Pure: the user's -D arguments with EXTRA_DTC_OVERLAY_FILE and EXTRA_CONF_FILE taken out, so
 * they are joined with ours (theirs first) instead of being overridden by a second -D.
 */
export function splitCmakeArgs(args: readonly string[]): { overlays: string[]; confFiles: string[]; rest: string[] } {
  const found: Record<ListVar, string[]> = { EXTRA_DTC_OVERLAY_FILE: [], EXTRA_CONF_FILE: [] };
  const rest: string[] = [];
  for (const arg of args) {
    const m = /^-D(EXTRA_DTC_OVERLAY_FILE|EXTRA_CONF_FILE)(?::\w+)?=(.*)$/.exec(arg);
    if (m) found[m[1] as ListVar].push(...m[2]!.split(';').filter(Boolean));
    else rest.push(arg);
  }
  return { overlays: found.EXTRA_DTC_OVERLAY_FILE, confFiles: found.EXTRA_CONF_FILE, rest };
}

/** Pure: the -D arguments of one configure: the user's overlays and fragments, then ours (when given). */
export function zephyrDefines(app: ZephyrApp, ours: { overlay?: string; confFile?: string }, extra: readonly string[] = []): string[] {
  const split = splitCmakeArgs(app.cmakeArgs);
  const overlays = [...app.extraOverlays, ...split.overlays];
  const confs = [...split.confFiles, ...(ours.confFile ? [ours.confFile] : [])];
  return [
    `-DEXTRA_DTC_OVERLAY_FILE=${ours.overlay ? joinOverlays(overlays, ours.overlay) : overlays.join(';')}`,
    ...(confs.length > 0 || ours.overlay === undefined ? [`-DEXTRA_CONF_FILE=${confs.join(';')}`] : []),
    ...extra,
    ...split.rest,
  ];
}

/** `-p auto -b <board> -S <snippet> <app> -d <dir>`: what every west call of the tool names. */
const westTarget = (app: ZephyrApp, dir: string): string[] => ['-p', 'auto', '-b', app.board, '-S', app.snippet, app.app, '-d', dir];

/**
 * `west build -p auto -b <board> -S <snippet> <app> -d <dir> -- -DEXTRA_DTC_OVERLAY_FILE=... -DEXTRA_CONF_FILE=...`.
 * Never `-p always` (it empties the whole folder): --pristine is done before, deleting only what
 * the tool's builds made (build-dir.ts).
 */
export function westArgv(
  app: ZephyrApp,
  request: Pick<BuildRequest, 'overlay' | 'buildDir' | 'confFile'>,
  extra: readonly string[] = [],
): string[] {
  return ['build', ...westTarget(app, request.buildDir), '--', ...zephyrDefines(app, request, extra)];
}

/** `west build --cmake-only` of the devicetree without our overlay, in `dir`. */
export function westBaseArgv(app: ZephyrApp, dir: string, extra: readonly string[] = []): string[] {
  return ['build', '--cmake-only', ...westTarget(app, dir), '--', ...zephyrDefines(app, {}, extra)];
}

/** `cmake -GNinja -S app -B dir -DBOARD -DSNIPPET -DEXTRA_DTC_OVERLAY_FILE -DEXTRA_CONF_FILE`, then `ninja -C dir`. */
export function cmakeSteps(
  app: ZephyrApp,
  request: Pick<BuildRequest, 'buildDir' | 'confFile'> & { overlay?: string },
  tools = { cmake: 'cmake', ninja: 'ninja' },
  extra: readonly string[] = [],
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
        ...zephyrDefines(app, request, extra),
      ],
    },
    { file: tools.ninja, argv: ['-C', request.buildDir] },
  ];
}

async function imageResult(image: string, t0: number, commands: BuildStep[], buildDir: string): Promise<BuildResult> {
  if (!existsSync(image)) throw new ToolError('BUILD_FAILED', 'build', `the build succeeded but ${image} is missing`);
  return {
    image,
    imageSize: (await stat(image)).size,
    ms: Math.round(performance.now() - t0),
    commands: commands.map((s) => [s.file, ...s.argv]),
    outputs: zephyrOutputs(buildDir),
  };
}

/** What the base devicetree depends on; the configure is skipped when it is unchanged. */
async function baseKey(app: ZephyrApp, extra: readonly string[], zephyrBase: string): Promise<string> {
  const split = splitCmakeArgs(app.cmakeArgs);
  const overlays = [...app.extraOverlays, ...split.overlays];
  const contents = await Promise.all(overlays.map((f) => readFile(path.resolve(app.app, f), 'utf8').catch(() => null)));
  const key = {
    app: path.resolve(app.app),
    board: app.board,
    snippet: app.snippet,
    overlays,
    contents,
    args: [...split.rest, ...extra],
    zephyrBase,
  };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/** What a configure depends on besides the app's own files: its argv, environment, and our overlay's and fragment's text. */
async function configureKey(step: BuildStep, files: ReadonlyArray<string | undefined>): Promise<string> {
  const texts = await Promise.all(files.map((f) => (f ? readFile(f, 'utf8').catch(() => null) : null)));
  return createHash('sha256')
    .update(JSON.stringify({ argv: step.argv, env: step.env ?? null, texts }))
    .digest('hex');
}

/** Configures the base devicetree once per key in baseDir(buildDir); returns its zephyr.dts. */
async function configureBase(
  app: ZephyrApp,
  request: Pick<BuildRequest, 'buildDir' | 'logFile' | 'timeoutMs'>,
  step: (dir: string, extra: string[]) => BuildStep,
  what: string,
): Promise<string> {
  const zephyrBase = requireZephyrBase();
  const toolchain = await toolchainSetup(app);
  const extra = toolchain.cmakeArgs;
  const dir = baseDir(request.buildDir);
  const dts = path.join(dir, 'zephyr', 'zephyr.dts');
  const keyFile = path.join(dir, 'xen-dom0-boot.key');
  const key = await baseKey(app, extra, zephyrBase);
  if (existsSync(dts) && (await readFile(keyFile, 'utf8').catch(() => '')) === key) return dts;
  await rm(keyFile, { force: true });
  await runBuildStep({ ...step(dir, extra), env: toolchain.env }, { logFile: request.logFile, timeoutMs: request.timeoutMs, what });
  if (!existsSync(dts)) throw new ToolError('BUILD_FAILED', 'build', `${what} succeeded but wrote no ${dts}`);
  await writeFileAtomic(keyFile, key);
  return dts;
}

/** The usual shape only where it is usual: qemu_cortex_a53 with xen_dom0 and no overlays of the user's. */
const guessFor = (app: ZephyrApp): DtTargets | undefined =>
  app.board === 'qemu_cortex_a53' && app.snippet === 'xen_dom0' && app.extraOverlays.length === 0 && app.cmakeArgs.length === 0
    ? ZEPHYR_SNIPPET_TARGETS
    : undefined;

export function westBuilder(app: ZephyrApp): Builder {
  return {
    kind: 'west',
    successPatterns: ZEPHYR_SUCCESS,
    failurePattern: null,
    targetsGuess: guessFor(app),
    baseDevicetree: (request) =>
      configureBase(
        app,
        request,
        (dir, extra) => ({ file: requireWest(), argv: westBaseArgv(app, dir, extra) }),
        'west build --cmake-only',
      ),
    async build(request) {
      const west = requireWest();
      requireZephyrBase();
      const toolchain = await toolchainSetup(app);
      const t0 = performance.now();
      const step = { file: west, argv: westArgv(app, request, toolchain.cmakeArgs), env: toolchain.env };
      await runBuildStep(step, { logFile: request.logFile, timeoutMs: request.timeoutMs, what: 'west build' });
      return imageResult(zephyrImage(request.buildDir), t0, [step], request.buildDir);
    },
  };
}

export function cmakeBuilder(app: ZephyrApp): Builder {
  return {
    kind: 'cmake',
    successPatterns: ZEPHYR_SUCCESS,
    failurePattern: null,
    targetsGuess: guessFor(app),
    baseDevicetree: (request) =>
      configureBase(app, request, (dir, extra) => cmakeSteps(app, { buildDir: dir }, requireCmakeNinja(), extra)[0]!, 'cmake configure'),
    async build(request) {
      const tools = requireCmakeNinja();
      requireZephyrBase();
      const toolchain = await toolchainSetup(app);
      const t0 = performance.now();
      const steps = cmakeSteps(app, request, tools, toolchain.cmakeArgs).map((s) => ({ ...s, env: toolchain.env }));
      // CMake runs again only when its arguments or our overlay or fragment changed: a rerun on the lock is ninja's no-op.
      const stamp = path.join(request.buildDir, 'xen-dom0-boot.configured');
      const key = await configureKey(steps[0]!, [request.overlay, request.confFile]);
      const configured =
        existsSync(path.join(request.buildDir, 'CMakeCache.txt')) && (await readFile(stamp, 'utf8').catch(() => '')) === key;
      if (!configured) await rm(stamp, { force: true });
      for (const step of configured ? steps.slice(1) : steps) {
        await runBuildStep(step, { logFile: request.logFile, timeoutMs: request.timeoutMs, what: 'cmake build' });
      }
      if (!configured) await writeFileAtomic(stamp, key);
      return imageResult(zephyrImage(request.buildDir), t0, steps, request.buildDir);
    },
  };
}
