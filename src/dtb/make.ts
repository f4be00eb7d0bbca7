/** Makes xen.dtb: QEMU's own virt tree (dumpdtb) plus the /chosen edits for Xen. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { buildDumpDtbArgv } from '../qemu/argv.js';
import type { Profile } from '../qemu/profile.js';
import { clearName, copyFresh } from '../util/fresh-file.js';
import { runTool } from '../util/run-tool.js';
import { cacheKeys, fromCache, toCache } from './cache.js';
import { chosenEdits, type ChosenSpec } from './chosen.js';

export interface DtbResult {
  dtb: string;
  dts: string;
  source: 'qemu-dumpdtb' | 'user';
  commands: string[][];
  /** True when the trees came from .cache/dtb (same QEMU, machine and /chosen spec as before). */
  cached?: boolean;
  /** What /chosen xen,xen-bootargs says (read back from a user's tree). */
  xenBootargs?: string;
}

/** Dumps QEMU's tree with the boot's cpu/memory/machine and applies the /chosen edits. */
export async function makeXenDtb(options: {
  qemu: string;
  profile: Profile;
  memory: string;
  dir: string;
  spec: ChosenSpec;
}): Promise<DtbResult> {
  const virt = path.join(options.dir, 'virt.dtb');
  const dtb = path.join(options.dir, 'xen.dtb');
  const dts = path.join(options.dir, 'xen.dts');
  const dumpArgv = buildDumpDtbArgv({ profile: options.profile, memory: options.memory, out: virt });
  const commands: string[][] = [[options.qemu, ...dumpArgv]];
  const edits = chosenEdits(dtb, options.spec);
  // The tree depends only on QEMU and the machine arguments; xen.dtb also on the /chosen spec.
  const machine = { profile: options.profile, memory: options.memory };
  const [machineKey, xenKey] = (await cacheKeys(options.qemu, [machine, { machine, spec: options.spec }])) as [string, string];
  // The three copies side by side: this is the path to QEMU's start.
  const [hasDtb, hasDts, hasVirt] = await Promise.all([
    fromCache(xenKey, 'xen.dtb', dtb),
    fromCache(xenKey, 'xen.dts', dts),
    fromCache(machineKey, 'virt.dtb', virt),
  ]);
  if (hasDtb && hasDts && hasVirt) {
    return { dtb, dts, source: 'qemu-dumpdtb', commands: [...commands, ...edits.map((e) => ['fdtput', ...e])], cached: true };
  }
  if (!hasVirt) {
    // QEMU writes virt.dtb itself: the name is cleared first, so it cannot follow a link there.
    await clearName(virt, { stage: 'dtb' });
    await runTool(options.qemu, dumpArgv, {
      stage: 'dtb',
      code: 'DTB_FAILED',
      purpose: "dump QEMU's virt device tree",
      cwd: options.dir,
    });
    if (!existsSync(virt)) {
      throw new ToolError(
        'DTB_FAILED',
        'dtb',
        `${options.qemu} exited 0 but wrote no device tree (${virt}): expected a qemu-system-aarch64 that honours -machine ...,dumpdtb=FILE`,
      );
    }
    await toCache(machineKey, 'virt.dtb', virt);
  }
  await copyFresh(virt, dtb, { stage: 'dtb' });
  for (const edit of edits) {
    await runTool('fdtput', edit, { stage: 'dtb', code: 'DTB_FAILED', purpose: 'edit /chosen in xen.dtb' });
    commands.push(['fdtput', ...edit]);
  }
  await decompile(dtb, dts);
  await toCache(xenKey, 'xen.dtb', dtb);
  await toCache(xenKey, 'xen.dts', dts);
  return { dtb, dts, source: 'qemu-dumpdtb', commands };
}

/** Writes the tree as source beside it, so a person can read what Xen was given. */
export async function decompile(dtb: string, dts: string): Promise<void> {
  await clearName(dts, { stage: 'dtb' });
  await runTool('dtc', ['-q', '-I', 'dtb', '-O', 'dts', '-o', dts, dtb], {
    stage: 'dtb',
    code: 'DTB_FAILED',
    purpose: 'decompile xen.dtb',
  });
}
