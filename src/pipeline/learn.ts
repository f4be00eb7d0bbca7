/** `learn`: make the dtb, boot Xen once, learn Dom0's layout, write report.json. */
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/load.js';
import { toToolError, type ToolError } from '../errors.js';
import { moduleSizeFor, xenBootargs } from '../dtb/chosen.js';
import { makeXenDtb, type DtbResult } from '../dtb/make.js';
import { patchUserDtb } from '../dtb/user.js';
import { createLogger } from '../log.js';
import { buildBootArgv, shellQuote } from '../qemu/argv.js';
import { buildReport, type ReportJson } from '../report/report.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { TOOL } from '../version.js';
import { hex } from '../xen/layout.js';
import { bootOnce, type BootRecord } from './boot.js';
import { resolveInputs } from './inputs.js';
import { prepareRunDir } from './run-dir.js';

export interface LearnOptions {
  printQemuCmd?: boolean;
  verbose?: boolean;
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
  const moduleSize = moduleSizeFor(inputs.image.size);
  const bootargs = xenBootargs({
    uart: inputs.profile.uart,
    dom0Mem: config.dom0Mem,
    profileArgs: inputs.profile.xenBootargs,
    extra: config.xenArgs,
  });
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
    xenBootargs: bootargs,
    dom0Bootargs: config.dom0Args,
    loadAddr: hex(inputs.loadAddr),
    moduleSize: hex(moduleSize),
    dtbSource: inputs.dtb ?? 'qemu-dumpdtb',
    timeoutSeconds: config.timeout,
  };
  log.info({ inputs: reportInputs }, 'learn: inputs resolved');
  if (!inputs.image.arm64Image) log.warn({ image: inputs.image.path }, 'image has no arm64 Image header; Xen may refuse it');
  const durations: Record<string, number> = {};
  let failure: ToolError | null = null;
  let dtb: DtbResult | null = null;
  let record: BootRecord | null = null;
  const serialLog = path.join(runDir, 'serial.log');
  const pidfile = path.join(runDir, 'qemu.pid');
  let argv: string[] = [];
  try {
    const tDtb = performance.now();
    dtb = inputs.dtb
      ? await patchUserDtb({ source: inputs.dtb, dir: runDir, loadAddr: inputs.loadAddr, moduleSize })
      : await makeXenDtb({
          qemu: inputs.qemu.path,
          profile: inputs.profile,
          memory: inputs.memory,
          dir: runDir,
          spec: { xenBootargs: bootargs, dom0Bootargs: config.dom0Args, loadAddr: inputs.loadAddr, moduleSize },
        });
    durations.dtbMs = Math.round(performance.now() - tDtb);
    argv = buildBootArgv({
      profile: inputs.profile,
      memory: inputs.memory,
      xen: inputs.xen,
      image: inputs.image.path,
      dtb: dtb.dtb,
      loadAddr: hex(inputs.loadAddr),
      pidfile,
    });
    const command = shellQuote([inputs.qemu.path, ...argv]);
    const script = path.join(runDir, 'qemu-cmd.sh');
    await writeFileAtomic(
      script,
      `#!/bin/sh\n# QEMU command of this run, as xen-dom0-boot ran it.\ncd ${shellQuote([runDir])} || exit 1\nexec ${command}\n`,
    );
    await chmod(script, 0o755);
    if (options.printQemuCmd) return { report: null, qemuCommand: command };
    log.info({ argv }, 'learn: booting');
    record = await bootOnce({
      qemu: inputs.qemu.path,
      argv,
      dir: runDir,
      serialLog,
      pidfile,
      timeoutMs: config.timeout * 1000,
      imageIsArm64: inputs.image.arm64Image,
    });
    durations.bootMs = record.durations.qemuLifetimeMs;
    failure = record.failure;
  } catch (error) {
    failure = toToolError(error);
  }
  durations.totalMs = Math.round(performance.now() - t0);
  const report = buildReport({
    tool: TOOL,
    command: 'learn',
    startedAt,
    runDir,
    inputs: reportInputs,
    boot:
      argv.length > 0
        ? {
            qemuArgv: argv,
            qemuCommand: shellQuote([inputs.qemu.path, ...argv]),
            serialLog,
            dtb: dtb?.dtb ?? null,
            stopReason: null,
            serialLines: 0,
            events: [],
            durations: null,
            record,
          }
        : null,
    failure,
    durations,
  });
  await writeFileAtomic(path.join(runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (failure) log.error({ failure: report.failure }, 'learn failed');
  else log.info({ layout: report.layout }, 'learn: layout learned');
  return { report };
}
