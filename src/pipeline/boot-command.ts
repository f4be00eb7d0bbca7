/** `boot`: build, boot, learn, regenerate the overlay, rebuild, boot again and confirm Dom0 is up. */
import { mkdir, readFile } from 'node:fs/promises';
import { acquireRunLock } from '../util/run-lock.js';
import path from 'node:path';
import { prepareBuildDir, recordMade } from '../build/build-dir.js';
import { selectBuilder } from '../build/select.js';
import type { Config } from '../config/load.js';
import { ToolError, toToolError } from '../base/errors.js';
import { renderDriftTable } from '../report/drift-table.js';
import { inspectImage } from '../image/inspect.js';
import { createLogger } from '../util/log.js';
import { layoutFromLock, lockFor, parseLock } from '../overlay/lock.js';
import { placeholderLayout } from '../overlay/placeholder.js';
import { buildConfPath, buildOverlayPath, writeIfChanged } from '../overlay/build-overlay.js';
import { overlayDifferences } from '../overlay/compare.js';
import { overlayBody, renderOverlay } from '../overlay/render.js';
import { renderConfFragment } from '../build/dotconfig.js';
import { verifyBuild } from '../build/verify.js';
import type { DtTargets } from '../devicetree/targets.js';
import { devicetreeTargets } from '../build/targets.js';
import { assertOwned, lockPathFor, writeOverlayAndLock } from '../overlay/write.js';
import { bootJson, buildReport, type BootJson, type PassJson, type ReportJson } from '../report/report.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { clearName, writeFresh } from '../util/fresh-file.js';
import { TOOL } from '../base/version.js';
import { NO_PROGRESS, type Progress } from '../report/progress.js';
import { diffLayouts } from '../xen/layout-diff.js';
import { hex, type Layout } from '../xen/layout.js';
import { bootWithRetry } from './boot-retry.js';
import { probeVersions } from '../report/versions.js';
import { resolveMachine } from './inputs.js';
import { explainSilentDom0 } from '../qemu/old-qemu.js';
import { checkQemu } from './qemu-check.js';
import { runPasses, type PassesResult } from './passes.js';
import { bootargsFor, bootOptions, prepareBoot } from './prepare-boot.js';
import { prepareRunDir } from './run-dir.js';

export interface BootCommandResult {
  report: ReportJson;
}

export interface BootCommandOptions {
  verbose?: boolean;
  /** check: one pass from the lock file; drift is a failure unless `fix`. */
  mode?: 'boot' | 'check';
  fix?: boolean;
  progress?: Progress;
}

/**
 * The build's own overlay and fragment beside the build folder must be the tool's (never a file of
 * yours at `<build-dir>.overlay` or `<build-dir>.conf`) and must not be the committed overlay; a
 * pristine build must not wipe a folder that holds the overlay or its lock.
 */
async function assertBuildPaths(overlay: string, buildDir: string, pristine: boolean): Promise<void> {
  const buildOverlay = path.resolve(buildOverlayPath(buildDir));
  const confFile = path.resolve(buildConfPath(buildDir));
  if ([buildOverlay, confFile].includes(path.resolve(overlay))) {
    throw new ToolError(
      'USAGE',
      'config',
      `--overlay ${overlay} is the build's own copy beside --build-dir ${buildDir}: name another overlay or build folder`,
    );
  }
  const inside = path.relative(path.resolve(buildDir), path.resolve(overlay));
  if (pristine && !inside.startsWith('..') && !path.isAbsolute(inside)) {
    throw new ToolError(
      'USAGE',
      'config',
      `--pristine would empty --build-dir ${buildDir}, which holds the overlay ${overlay} and its lock: keep them outside the build folder`,
    );
  }
  await assertOwned(buildOverlay, 'overlay');
  await assertOwned(confFile, 'conf');
}

export async function bootCommand(config: Config, options: BootCommandOptions = {}): Promise<BootCommandResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const machine = await resolveMachine(config);
  // versions.json needs only the inputs: probe while the passes run, not after.
  void probeVersions(machine.qemu.path, machine.xen);
  const setup = selectBuilder(config);
  const lockFile = lockPathFor(setup.overlay);
  await assertOwned(setup.overlay, 'overlay');
  await assertOwned(lockFile, 'lock');
  await assertBuildPaths(setup.overlay, setup.buildDir, config.pristine);
  const releaseLock = await acquireRunLock(`${setup.overlay}.run-lock`, `the project of ${setup.overlay}`);
  try {
    // Projects may share a build folder (the demo's default, a command build's): one run in it at a time.
    const releaseBuild = await acquireRunLock(`${setup.buildDir.replace(/\/+$/, '')}.run-lock`, `the build folder ${setup.buildDir}`);
    try {
      // --pristine deletes only what the tool's builds made there, or refuses before anything ran.
      await prepareBuildDir(setup.buildDir, config.pristine);
      return await runLocked(config, options, machine, setup, lockFile, startedAt, t0);
    } finally {
      // What this run's builds made in a build folder the tool owns is what a later --pristine may delete.
      await recordMade(setup.buildDir).catch(() => undefined);
      await releaseBuild();
    }
  } finally {
    await releaseLock();
  }
}

async function runLocked(
  config: Config,
  options: BootCommandOptions,
  machine: Awaited<ReturnType<typeof resolveMachine>>,
  setup: ReturnType<typeof selectBuilder>,
  lockFile: string,
  startedAt: Date,
  t0: number,
): Promise<BootCommandResult> {
  const progress = options.progress ?? NO_PROGRESS;
  // Read once: parsed here, and compared again before the lock is rewritten (compare-and-swap).
  const lockText = await readFile(lockFile, 'utf8').catch(() => null);
  const lock = lockText === null ? null : parseLock(lockFile, lockText);
  const checking = options.mode === 'check' && !options.fix;
  if (options.mode === 'check' && !lock && !options.fix) {
    throw new ToolError(
      'USAGE',
      'config',
      `check: no lock file at ${lockFile}; run \`xen-dom0-boot boot\` (or \`check --fix\`) first and commit the overlay and lock`,
    );
  }
  // check builds with the committed overlay: a lock without its overlay cannot be checked.
  if (checking && lock && (await readFile(setup.overlay, 'utf8').catch(() => null)) === null) {
    throw new ToolError(
      'OVERLAY_MISMATCH',
      'config',
      `check: the lock ${lockFile} has no overlay beside it (${setup.overlay} is missing); check builds with the committed overlay: restore it, or run \`xen-dom0-boot check --fix\` to regenerate both`,
    );
  }
  const start: Layout = lock ? layoutFromLock(lock) : placeholderLayout();
  const runDir = await prepareRunDir(options.mode ?? 'boot', config.out, startedAt);
  const log = createLogger({ level: config.logLevel, file: path.join(runDir, 'tool.log'), verbose: options.verbose });
  const boots: BootJson[] = [];
  const passDirs: string[] = [];
  log.info({ builder: setup.builder.kind, overlay: setup.overlay, start: lock ? 'lock file' : 'placeholder' }, 'boot: starting');
  // The probe bootCommand started: a QEMU older than 8.2 is warned about, and named when Dom0 goes silent.
  const qemuCheck = checkQemu(machine.qemu, machine.xen, log);

  let result: PassesResult | null = null;
  let failure: ToolError | null = null;
  let targets: DtTargets | undefined;
  const buildWarnings: string[] = [];
  try {
    result = await runPasses(start, checking ? 1 : config.maxPasses, {
      async build(n, layout) {
        const dir = path.join(runDir, `pass-${n}`);
        passDirs[n - 1] = dir;
        await mkdir(dir, { recursive: true });
        const logFile = path.join(dir, 'build.log');
        // This run's log, as a new file: an earlier run's (or a link in its place) is removed, not appended to.
        await clearName(logFile, { stage: 'build' });
        targets ??= await devicetreeTargets(setup.builder, { buildDir: setup.buildDir, logFile, timeoutMs: config.buildTimeout * 1000 });
        if (checking && n === 1) {
          // check builds with the committed overlay, byte for byte: its body must be what the lock renders.
          const differences = overlayDifferences((await readFile(setup.overlay, 'utf8').catch(() => null)) ?? '', start, targets);
          if (differences.length > 0) {
            throw new ToolError(
              'OVERLAY_MISMATCH',
              'overlay',
              `check: the overlay ${setup.overlay} disagrees with its lock ${lockFile}: ${differences.join('; ')}; check builds with the committed overlay: restore it, or run \`xen-dom0-boot check --fix\` to regenerate both`,
              { details: { differences } },
            );
          }
        }
        // No date or run in the build's copy: the same layout renders the same text, so no rebuild.
        const text = renderOverlay(layout, { toolVersion: TOOL.version, xenVersion: layout.xenVersion }, targets);
        const overlay = path.join(dir, 'xen-dom0.overlay');
        await writeFresh(overlay, text, { stage: 'overlay' });
        const buildOverlay = buildOverlayPath(setup.buildDir);
        const confFile = buildConfPath(setup.buildDir);
        await mkdir(path.dirname(buildOverlay), { recursive: true });
        const changed = await writeIfChanged(buildOverlay, text, 'overlay');
        await writeIfChanged(confFile, renderConfFragment(layout, TOOL.version), 'conf');
        log.info({ pass: n, overlay, buildOverlay, confFile, changed, targets: targets.source }, 'boot: building');
        progress.start(`pass ${n} ${n === 1 ? 'build' : 'rebuild'}`);
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
          if (!buildWarnings.includes(note)) buildWarnings.push(note);
          log.warn({ pass: n }, note);
        } else log.info({ pass: n, verified }, 'boot: build matches the layout');
        progress.done(`pass ${n} ${n === 1 ? 'build' : 'rebuild'}`, `${built.imageSize} bytes`);
        return { ...built, overlay, verified, targets: targets.source };
      },
      async boot(n, built, layout) {
        const dir = passDirs[n - 1]!;
        const image = await inspectImage(built.image, 'the built image');
        progress.start(`pass ${n} boot`);
        const prepared = await prepareBoot(machine, config, image, dir);
        const spec = { success: setup.successPatterns, failure: setup.failurePattern, timeoutMs: config.dom0Timeout * 1000 };
        const record = await bootWithRetry(
          {
            ...bootOptions(machine, config, prepared, image, dir),
            onLine: (line) => progress.serial(line),
            atHandover: (learned) => (diffLayouts(layout, learned).length === 0 || config.observeDom0 ? spec : null),
          },
          log,
        );
        boots.push(
          bootJson({
            qemuArgv: prepared.argv,
            qemuCommand: prepared.command,
            serialLog: prepared.serialLog,
            dtb: prepared.dtb.dtb,
            record,
          }),
        );
        log.info({ pass: n, stopReason: record.stopReason, dom0: record.dom0.status }, 'boot: pass booted');
        if (record.failure) progress.fail(`pass ${n} boot`, record.failure.code);
        else progress.done(`pass ${n} boot`, record.dom0.status === 'up' ? 'Dom0 up' : `${record.stopReason}`);
        return record;
      },
    });
    failure = result.failure;
    if (checking && failure?.code === 'NOT_CONVERGED') {
      const changes = result.passes[0]!.changes;
      failure = new ToolError(
        'DRIFT',
        'drift',
        `Xen's layout drifted from the lock file ${lockFile}:\n${renderDriftTable(changes)}\nrun \`xen-dom0-boot check --fix\` to rebuild and rewrite the overlay and lock`,
        {
          details: { changes },
        },
      );
    }
    // The committed files change only when the layout or the overlay's body did (not its dated
    // header): a nightly run that confirms leaves them alone.
    const overlayText = (layout: Layout) =>
      renderOverlay(
        layout,
        { toolVersion: TOOL.version, xenVersion: layout.xenVersion, learnedAt: new Date().toISOString(), run: runDir },
        targets,
      );
    const current = await readFile(setup.overlay, 'utf8').catch(() => null);
    const moved =
      !lock ||
      diffLayouts(layoutFromLock(lock), result.layout ?? start).length > 0 ||
      (result.layout !== null && (current === null || overlayBody(current) !== overlayBody(overlayText(result.layout))));
    if (result.converged && result.layout && moved) {
      await writeOverlayAndLock(
        setup.overlay,
        overlayText(result.layout),
        lockText,
        lockFor(result.layout, {
          toolVersion: TOOL.version,
          learnedAt: new Date().toISOString(),
          run: runDir,
          overlay: path.basename(setup.overlay),
        }),
      );
    }
  } catch (error) {
    failure = toToolError(error);
  }
  const { versionLine, warning } = await qemuCheck;
  failure = explainSilentDom0(failure, versionLine);
  const passes: PassJson[] = (result?.passes ?? []).map((p, i) => ({
    pass: p.pass,
    dir: passDirs[i]!,
    overlay: p.overlay,
    built: p.built,
    learned: p.learned,
    changes: p.changes,
    rebuildNeeded: p.rebuildNeeded,
    build: {
      image: p.build.image,
      reused: p.build.reused ?? false,
      verified: p.build.verified,
      targets: p.build.targets,
      imageSize: p.build.imageSize,
      ms: p.build.ms,
      log: path.join(passDirs[i]!, 'build.log'),
      commands: p.build.commands,
    },
    boot: i,
  }));
  const durations: Record<string, number> = { totalMs: Math.round(performance.now() - t0) };
  result?.passes.forEach((p) => {
    durations[`pass${p.pass}BuildMs`] = p.build.ms;
    durations[`pass${p.pass}BootMs`] = p.boot.durations.qemuLifetimeMs;
  });
  // A run whose overlay and lock could not be written has not converged, whatever Dom0 did.
  const converged = (result?.converged ?? false) && failure === null;
  const report = buildReport({
    tool: TOOL,
    command: options.mode ?? 'boot',
    startedAt,
    runDir,
    inputs: {
      profile: machine.profile.name,
      xen: machine.xen,
      qemu: machine.qemu.path,
      qemuSource: machine.qemu.source,
      builder: setup.builder.kind,
      build: config.build,
      buildDir: setup.buildDir,
      buildOverlay: buildOverlayPath(setup.buildDir),
      memory: machine.memory,
      dom0Mem: config.dom0Mem,
      xenBootargs: bootargsFor(machine, config),
      dom0Bootargs: config.dom0Args,
      loadAddr: hex(machine.loadAddr),
      startLayout: lock ? 'lock file' : 'placeholder',
      successPatterns: setup.successPatterns.map((r) => r.source),
      maxPasses: config.maxPasses,
    },
    layout: result?.layout ?? null,
    boots,
    failure,
    durations,
    warnings: [...(warning ? [warning] : []), ...buildWarnings],
    passes: { passes, converged, overlay: converged ? setup.overlay : null, lockFile: converged ? lockFile : null },
  });
  await writeFileAtomic(path.join(runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (failure) log.error({ failure: report.failure }, 'boot failed');
  return { report };
}
