/** `learn`: resolve the inputs, make Xen's device tree, boot Xen once and learn Dom0's layout. */
import type { Config } from '../config/load.js';
import { moduleSizeFor } from '../dtb/chosen.js';
import { preparedBootJson } from '../pipeline/boot-json.js';
import { bootWithRetry } from '../pipeline/boot-retry.js';
import { resolveInputs } from '../pipeline/inputs.js';
import { bootargsFor, bootOptions, prepareBoot } from '../pipeline/prepare-boot.js';
import { checkQemu } from '../pipeline/qemu-check.js';
import { learnedWithFor } from '../pipeline/learned-with.js';
import { recordFile, rememberLayout } from '../pipeline/layout-records.js';
import type { LearnInputs } from '../report/report.js';
import { probeVersions } from '../report/versions.js';
import type { Run } from '../run/run.js';
import { hex } from '../xen/layout.js';

export interface LearnOptions {
  /** Print the QEMU command and boot nothing. */
  printQemuCmd?: boolean;
}

/** learn's steps, in order: the same JUnit test cases whether it passes or fails. */
export const LEARN_STEPS = ['outputs', 'config', 'run folder', 'inputs', 'device tree', 'boot'];

export async function learn(run: Run, config: Config, options: LearnOptions = {}): Promise<void> {
  run.steps.plan(LEARN_STEPS);
  const inputs = await run.setup('inputs', 'config', () => resolveInputs(config));
  const runDir = run.runDir!;
  const reported: LearnInputs = {
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
  run.record.inputs = reported;
  run.log.info({ inputs: reported }, 'learn: inputs resolved');
  if (!inputs.image.arm64Image) run.log.warn({ image: inputs.image.path }, 'image has no arm64 Image header; Xen may refuse it');
  // versions.json needs only the inputs: probe while QEMU boots, not after (its QEMU line also says if QEMU is old).
  run.probe = probeVersions(inputs.qemu.path, inputs.xen);

  const prepared = await run.setup('device tree', 'dtb', () => prepareBoot(inputs, config, inputs.image, runDir));
  run.record.durations.dtbMs = prepared.dtbMs;
  // With the user's own tree, Xen's command line is the tree's.
  reported.xenBootargs = prepared.bootargs;
  if (options.printQemuCmd) {
    run.steps.notRun('boot', 'qemu-start', '--print-qemu-cmd');
    run.output = `${prepared.command}\n`;
    return;
  }
  const qemuCheck = checkQemu(inputs.qemu, run.probe, run.log);
  const record = await run.step(
    'boot',
    'xen-boot',
    () =>
      bootWithRetry(
        { ...bootOptions(inputs, config, prepared, inputs.image, runDir), onLine: (line) => run.progress.serial(line) },
        run.log,
      ),
    (r) => (r.failure ? { failed: r.failure.code } : { detail: `hand-over after ${r.durations.qemuStartToHandoverMs} ms` }),
  );
  run.record.boots.push(preparedBootJson(prepared, record));
  run.record.durations.bootMs = record.durations.qemuLifetimeMs;
  run.record.layout = record.layout;
  const { warning } = await qemuCheck;
  if (warning) run.record.warnings.push(warning);
  if (record.failure) throw record.failure;
  // What Xen gave these inputs is a first layout a later boot with the same inputs need not probe for.
  const learned = await learnedWithFor(inputs, config, run.probe, inputs.image.size);
  await rememberLayout(recordFile(learned), learned, record.layout, runDir);
}
