/** `learn`: make the dtb, boot Xen once, learn Dom0's layout, write report.json. */
import path from 'node:path';
import type { Config } from '../config/load.js';
import { toToolError, type ToolError } from '../base/errors.js';
import { moduleSizeFor } from '../dtb/chosen.js';
import { createLogger } from '../util/log.js';
import { bootJson, buildReport, type ReportJson } from '../report/report.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { TOOL } from '../base/version.js';
import { NO_PROGRESS, type Progress } from '../report/progress.js';
import { hex } from '../xen/layout.js';
import type { BootRecord } from './boot.js';
import { bootWithRetry } from './boot-retry.js';
import { resolveInputs } from './inputs.js';
import { checkQemu, type QemuCheck } from './qemu-check.js';
import { bootargsFor, bootOptions, prepareBoot, type PreparedBoot } from './prepare-boot.js';
import { prepareRunDir } from './run-dir.js';

export interface LearnOptions {
  printQemuCmd?: boolean;
  verbose?: boolean;
  progress?: Progress;
}

export interface LearnResult {
  report: ReportJson | null;
  /** Set with --print-qemu-cmd: the command, and nothing was booted. */
  qemuCommand?: string;
}

/** Runs learn; failures after the run directory exists end up in the report, not thrown. */
export async function learn(config: Config, options: LearnOptions = {}): Promise<LearnResult> {
  const startedAt = new Date();
  const t0 = performance.now();
  const inputs = await resolveInputs(config);
  const runDir = await prepareRunDir('learn', config.out, startedAt);
  const log = createLogger({ level: config.logLevel, file: path.join(runDir, 'tool.log'), verbose: options.verbose });
  const reportInputs = {
    profile: inputs.profile.name,
    xen: inputs.xen,
    qemu: inputs.qemu.path,
    qemuSource: inputs.qemu.source,
    image: inputs.image.path,
    imageSource: inputs.imageSource,
    imageSize: inputs.image.size,
    memory: inputs.memory,
    dom0Mem: config.dom0Mem,
    xenBootargs: bootargsFor(inputs, config),
    dom0Bootargs: config.dom0Args,
    loadAddr: hex(inputs.loadAddr),
    moduleSize: hex(moduleSizeFor(inputs.image.size)),
    dtbSource: inputs.dtb ?? 'qemu-dumpdtb',
    timeoutSeconds: config.timeout,
  };
  log.info({ inputs: reportInputs }, 'learn: inputs resolved');
  if (!inputs.image.arm64Image) log.warn({ image: inputs.image.path }, 'image has no arm64 Image header; Xen may refuse it');
  const durations: Record<string, number> = {};
  const progress = options.progress ?? NO_PROGRESS;
  let failure: ToolError | null = null;
  let prepared: PreparedBoot | null = null;
  let record: (BootRecord & { attempts: number }) | null = null;
  let qemuCheck: Promise<QemuCheck> | null = null;
  try {
    prepared = await prepareBoot(inputs, config, inputs.image, runDir);
    durations.dtbMs = prepared.dtbMs;
    reportInputs.xenBootargs = prepared.bootargs;
    if (options.printQemuCmd) return { report: null, qemuCommand: prepared.command };
    log.info({ argv: prepared.argv }, 'learn: booting');
    // versions.json needs only the inputs: probe while QEMU boots, not after (its QEMU line also says if QEMU is old).
    qemuCheck = checkQemu(inputs.qemu, inputs.xen, log);
    progress.start('boot');
    record = await bootWithRetry(
      {
        ...bootOptions(inputs, config, prepared, inputs.image, runDir),
        onLine: (line) => progress.serial(line),
      },
      log,
    );
    durations.bootMs = record.durations.qemuLifetimeMs;
    if (record.failure) progress.fail('boot', record.failure.code);
    else progress.done('boot', `hand-over after ${record.durations.qemuStartToHandoverMs} ms`);
    failure = record.failure;
  } catch (error) {
    failure = toToolError(error);
  }
  durations.totalMs = Math.round(performance.now() - t0);
  // Done by now (QEMU booted meanwhile); writeVersions waits for the same probe anyway.
  const warning = (await qemuCheck)?.warning;
  const report = buildReport({
    tool: TOOL,
    command: 'learn',
    startedAt,
    runDir,
    inputs: reportInputs,
    layout: record?.layout ?? null,
    boots: prepared
      ? [bootJson({ qemuArgv: prepared.argv, qemuCommand: prepared.command, serialLog: prepared.serialLog, dtb: prepared.dtb.dtb, record })]
      : [],
    failure,
    durations,
    warnings: warning ? [warning] : [],
  });
  await writeFileAtomic(path.join(runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (failure) log.error({ failure: report.failure }, 'learn failed');
  else log.info({ layout: report.layout }, 'learn: layout learned');
  return { report };
}
