/** `boot` and `check`: build, boot, learn, regenerate the overlay, rebuild, boot again and confirm Dom0 is up. */
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { prepareBuildDir, recordMade } from '../build/build-dir.js';
import { selectBuilder, type BuildSetup } from '../build/select.js';
import type { Config } from '../config/load.js';
import { buildOverlayPath } from '../overlay/build-overlay.js';
import { describeChanges } from '../overlay/lock-inputs.js';
import { explainSilentDom0 } from '../qemu/old-qemu.js';
import { assertBuildPaths, readLockState, type LockState } from '../pipeline/boot-guards.js';
import { commitOverlay } from '../pipeline/commit-overlay.js';
import { resolveMachine, type Machine } from '../pipeline/inputs.js';
import { bootPass, type PassBootContext } from '../pipeline/pass-boot.js';
import { buildPass, type PassBuildContext } from '../pipeline/pass-build.js';
import { passesJson } from '../pipeline/pass-json.js';
import { recordFile, rememberLayout } from '../pipeline/layout-records.js';
import { runPasses } from '../pipeline/passes.js';
import { bootargsFor } from '../pipeline/prepare-boot.js';
import { checkQemu } from '../pipeline/qemu-check.js';
import { renderDriftTable } from '../report/drift-table.js';
import type { BootInputs } from '../report/report.js';
import { probeVersions } from '../report/versions.js';
import type { Run } from '../run/run.js';
import { acquireRunLock } from '../util/run-lock.js';
import { baseTargets, stopBaseOnError } from './boot-base.js';
import { startLayout } from './boot-start.js';
import { hex, type Layout } from '../xen/layout.js';

export interface BootCommandOptions {
  /** check: one pass from the lock file; drift is a failure unless `fix`. */
  mode: 'boot' | 'check';
  fix?: boolean;
}

/** boot's (or check's) steps for up to `passes` passes, in order: the same JUnit test cases whether it passes or fails. */
export function bootSteps(passes: number): string[] {
  const pass = (n: number) => [`pass ${n} ${n === 1 ? 'build' : 'rebuild'}`, `pass ${n} boot`];
  return [
    'outputs',
    'config',
    'run folder',
    'inputs',
    'run lock',
    'build folder',
    'lock file',
    'lock inputs',
    'probe boot',
    ...Array.from({ length: passes }, (_, i) => pass(i + 1)).flat(),
    'overlay and lock',
  ];
}

export async function bootCommand(run: Run, config: Config, options: BootCommandOptions): Promise<void> {
  const checking = options.mode === 'check' && !options.fix;
  run.steps.plan(bootSteps(checking ? 1 : config.maxPasses));
  const { machine, setup } = await run.setup('inputs', 'config', async () => {
    const machine = await resolveMachine(config);
    const setup = selectBuilder(config);
    await assertBuildPaths(setup.overlay, setup.buildDir, config.pristine);
    return { machine, setup };
  });
  run.probe = probeVersions(machine.qemu.path, machine.xen);
  const releaseLocks = await run.setup('run lock', 'config', () => lockProjectAndBuild(setup));
  try {
    // --pristine deletes only what the tool's builds made there, or refuses before anything ran.
    await run.setup('build folder', 'build', () => prepareBuildDir(setup.buildDir, config.pristine));
    const lock = await run.setup('lock file', 'config', () => readLockState(setup.overlay, options.mode === 'check', options.fix === true));
    await passesAndCommit(run, config, { machine, setup, lock, checking });
  } finally {
    // What this run's builds made in a build folder the tool owns is what a later --pristine may delete.
    await recordMade(setup.buildDir).catch(() => undefined);
    await releaseLocks();
  }
}

/** The project's overlay and its build folder, one run at a time (projects may share a build folder). */
async function lockProjectAndBuild(setup: BuildSetup): Promise<() => Promise<void>> {
  const releaseProject = await acquireRunLock(`${setup.overlay}.run-lock`, `the project of ${setup.overlay}`);
  try {
    const releaseBuild = await acquireRunLock(`${setup.buildDir.replace(/\/+$/, '')}.run-lock`, `the build folder ${setup.buildDir}`);
    return async () => {
      await releaseBuild();
      await releaseProject();
    };
  } catch (error) {
    await releaseProject();
    throw error;
  }
}

function bootInputs(config: Config, machine: Machine, setup: BuildSetup, start: BootInputs['startLayout']): BootInputs {
  return {
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
    startLayout: start,
    successPatterns: setup.successPatterns.map((r) => r.source),
    maxPasses: config.maxPasses,
  };
}

async function passesAndCommit(
  run: Run,
  config: Config,
  parts: { machine: Machine; setup: BuildSetup; lock: LockState; checking: boolean },
): Promise<void> {
  const { machine, setup, lock, checking } = parts;
  const runDir = run.runDir!;
  const inputs = bootInputs(config, machine, setup, lock.lock ? 'lock file' : 'placeholder');
  run.record.inputs = inputs;
  // A QEMU older than 8.2 is warned about, and named when Dom0 goes silent.
  const qemuCheck = checkQemu(machine.qemu, run.probe!, run.log);
  // The base devicetree (for Zephyr a CMake configure without the overlay: seconds) needs no
  // layout: it is read while the first layout is found (a probe boot), not after.
  const targetsPending = baseTargets(run, config, setup);
  const first = await stopBaseOnError(targetsPending, () => startLayout(run, config, parts));
  const firstBoot = run.record.boots.length;
  const start: Layout = first.layout;
  inputs.startLayout = first.json.from;
  run.record.start = first.json;
  run.log.info({ builder: setup.builder.kind, overlay: setup.overlay, start: first.json }, 'boot: starting');
  const dirs: string[] = [];
  const buildCtx: PassBuildContext = {
    config,
    setup,
    log: run.log,
    checkAgainst: checking ? { lockFile: lock.file, layout: start } : null,
    warnings: run.record.warnings,
    targetsPending,
  };
  const bootCtx: PassBootContext = {
    config,
    machine,
    log: run.log,
    success: setup.successPatterns,
    failure: setup.failurePattern,
    onLine: (line) => run.progress.serial(line),
  };
  const record = {
    passes: [] as ReturnType<typeof passesJson>,
    converged: false,
    overlay: null as string | null,
    lockFile: null as string | null,
  };
  run.record.passes = record;
  const result = await stopBaseOnError(targetsPending, () =>
    runPasses(start, checking ? 1 : config.maxPasses, {
      build: (n, layout) => {
        dirs[n - 1] = path.join(runDir, `pass-${n}`);
        const name = `pass ${n} ${n === 1 ? 'build' : 'rebuild'}`;
        return run.step(
          name,
          'build',
          () => buildPass(buildCtx, n, layout, dirs[n - 1]!),
          (b) => ({ detail: `${b.imageSize} bytes` }),
        );
      },
      boot: async (n, built, layout) => {
        const booted = await run.step(
          `pass ${n} boot`,
          'xen-boot',
          () => bootPass(bootCtx, built.image, layout, dirs[n - 1]!),
          ({ record: r }) => (r.failure ? { failed: r.failure.code } : { detail: r.dom0.status === 'up' ? 'Dom0 up' : `${r.stopReason}` }),
        );
        run.record.boots.push(booted.json);
        // Xen's command line as Xen was given it (a user's dtb has its own), as learn reports it.
        if (n === 1) inputs.xenBootargs = booted.bootargs;
        if (!booted.record.failure) {
          const learnedWith = { ...first.now, imageSize: built.imageSize };
          await rememberLayout(recordFile(learnedWith), learnedWith, booted.record.layout, runDir);
        }
        return booted.record;
      },
    }),
  );
  record.passes = passesJson(result.passes, dirs, firstBoot);
  run.record.layout = result.layout;
  for (const pass of result.passes) {
    run.record.durations[`pass${pass.pass}BuildMs`] = pass.build.ms;
    run.record.durations[`pass${pass.pass}BootMs`] = pass.boot.durations.qemuLifetimeMs;
  }
  const { versionLine, warning } = await qemuCheck;
  if (warning) run.record.warnings.unshift(warning);
  let failure = result.failure;
  const inputsMoved = first.changes.length > 0 ? `the lock was learned with other inputs: ${describeChanges(first.changes)}` : null;
  if (checking && failure?.code === 'NOT_CONVERGED') {
    const changes = result.passes[0]!.changes;
    failure = new ToolError(
      'DRIFT',
      'drift',
      `Xen's layout drifted from the lock file ${lock.file}:\n${renderDriftTable(changes)}\n${inputsMoved ? `${inputsMoved}\n` : ''}run \`xen-dom0-boot check --fix\` to rebuild and rewrite the overlay and lock`,
      { details: { changes, inputChanges: first.changes } },
    );
  } else if (checking && inputsMoved && !failure) run.record.warnings.push(`${inputsMoved}; Xen's layout did not move`);
  failure = explainSilentDom0(failure, versionLine);
  if (failure) {
    // Dom0 judged silent, failed or crashed, or the layout still moving: the failure sits on the last boot.
    if (result.passes.length > 0) run.steps.fail(`pass ${result.passes.length} boot`, failure.code);
    throw failure;
  }
  if (result.converged && result.layout) {
    const learnedWith = { ...first.now, imageSize: result.passes.at(-1)!.build.imageSize };
    await run.setup('overlay and lock', 'overlay', () =>
      commitOverlay(setup.overlay, lock, result.layout!, buildCtx.targets, runDir, { learnedWith, checking }),
    );
    // A run whose overlay and lock could not be written has not converged, whatever Dom0 did.
    Object.assign(record, { converged: true, overlay: setup.overlay, lockFile: lock.file });
  }
}
