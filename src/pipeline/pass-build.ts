/** One pass's build: the overlay and Kconfig fragment for the layout we believe, the build, and the check of its outputs. */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { TOOL } from '../base/version.js';
import { renderConfFragment } from '../build/dotconfig.js';
import type { BuildSetup } from '../build/select.js';
import { devicetreeTargets } from '../build/targets.js';
import { verifyBuild } from '../build/verify.js';
import type { Config } from '../config/load.js';
import type { DtTargets } from '../devicetree/targets.js';
import { buildConfPath, buildOverlayPath, writeIfChanged } from '../overlay/build-overlay.js';
import { overlayDifferences } from '../overlay/compare.js';
import { renderOverlay } from '../overlay/render.js';
import { clearName, writeFresh } from '../util/fresh-file.js';
import type { Logger } from '../util/log.js';
import type { Layout } from '../xen/layout.js';
import type { BuiltPass } from './passes.js';

export interface PassBuildContext {
  config: Config;
  setup: BuildSetup;
  log: Logger;
  /** check (without --fix): pass 1 builds with the committed overlay, which must be what the lock renders. */
  checkAgainst: { lockFile: string; layout: Layout } | null;
  /** The base devicetree's targets, read once by the first pass. */
  targets?: DtTargets;
  /** The same, started before pass 1 (while the probe boots): the first pass waits for it. */
  targetsPending?: Promise<DtTargets>;
  /** What the user should know about the builds (e.g. nothing to check an image against). */
  warnings: string[];
}

/** The pass folder `dir` gets the overlay the build used and its log; the build folder gets its own copy. */
export async function buildPass(ctx: PassBuildContext, n: number, layout: Layout, dir: string): Promise<BuiltPass> {
  const { config, setup } = ctx;
  await mkdir(dir, { recursive: true });
  const logFile = path.join(dir, 'build.log');
  // This run's log, as a new file: an earlier run's (or a link in its place) is removed, not appended to.
  await clearName(logFile, { stage: 'build' });
  // Pass 1 builds with the usual shape while the base devicetree is read (for Zephyr a configure of
  // its own): the build stands when the real shape renders the same overlay, else it is redone.
  const guess = n === 1 && !ctx.targets && ctx.targetsPending && !ctx.checkAgainst ? setup.builder.targetsGuess : undefined;
  if (guess) {
    const built = await buildWith(ctx, n, layout, dir, logFile, guess);
    ctx.targets = await ctx.targetsPending!;
    if (renderFor(layout, ctx.targets) === renderFor(layout, guess)) return { ...built, targets: ctx.targets.source };
    const note = `pass 1 was built with the usual devicetree shape, but ${ctx.targets.source} differs: built again with its own`;
    ctx.warnings.push(note);
    ctx.log.warn({ pass: n, targets: ctx.targets.source }, note);
  }
  ctx.targets ??= await (ctx.targetsPending ??
    devicetreeTargets(setup.builder, { buildDir: setup.buildDir, logFile, timeoutMs: config.buildTimeout * 1000 }));
  const targets = ctx.targets;
  if (ctx.checkAgainst && n === 1) {
    // check builds with the committed overlay, byte for byte: its body must be what the lock renders.
    const differences = overlayDifferences(
      (await readFile(setup.overlay, 'utf8').catch(() => null)) ?? '',
      ctx.checkAgainst.layout,
      targets,
    );
    if (differences.length > 0) {
      throw new ToolError(
        'OVERLAY_MISMATCH',
        'overlay',
        `check: the overlay ${setup.overlay} disagrees with its lock ${ctx.checkAgainst.lockFile}: ${differences.join('; ')}; check builds with the committed overlay: restore it, or run \`xen-dom0-boot check --fix\` to regenerate both`,
        { details: { differences } },
      );
    }
  }
  return buildWith(ctx, n, layout, dir, logFile, targets);
}

/** No date or run in the build's copy: the same layout renders the same text, so no rebuild. */
const renderFor = (layout: Layout, targets: DtTargets): string =>
  renderOverlay(layout, { toolVersion: TOOL.version, xenVersion: layout.xenVersion }, targets);

/** The overlay and fragment for `layout` on `targets`, the build, and the check of its outputs. */
async function buildWith(
  ctx: PassBuildContext,
  n: number,
  layout: Layout,
  dir: string,
  logFile: string,
  targets: DtTargets,
): Promise<BuiltPass> {
  const { config, setup, log } = ctx;
  const text = renderFor(layout, targets);
  const overlay = path.join(dir, 'xen-dom0.overlay');
  await writeFresh(overlay, text, { stage: 'overlay' });
  const buildOverlay = buildOverlayPath(setup.buildDir);
  const confFile = buildConfPath(setup.buildDir);
  await mkdir(path.dirname(buildOverlay), { recursive: true });
  const changed = await writeIfChanged(buildOverlay, text, 'overlay');
  await writeIfChanged(confFile, renderConfFragment(layout, TOOL.version), 'conf');
  log.info({ pass: n, overlay, buildOverlay, confFile, changed, targets: targets.source }, 'boot: building');
  const built = await setup.builder.build({
    overlay: buildOverlay,
    confFile,
    buildDir: setup.buildDir,
    logFile,
    pristine: config.pristine && n === 1,
    timeoutMs: config.buildTimeout * 1000,
  });
  const verified = await verifyBuild(built.outputs, layout);
  if (verified.length === 0) {
    const note = `no build output to check ${built.image} against (zephyr.elf, .config or zephyr.dts beside it): a stale build would show only as a silent Dom0`;
    if (!ctx.warnings.includes(note)) ctx.warnings.push(note);
    log.warn({ pass: n }, note);
  } else log.info({ pass: n, verified }, 'boot: build matches the layout');
  return { ...built, overlay, verified, targets: targets.source };
}
