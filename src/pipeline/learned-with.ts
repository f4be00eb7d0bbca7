/** This run's deciding inputs as a lock records them: hashes of Xen and the user's dtb, QEMU's version, the options. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ToolError } from '../base/errors.js';
import type { Config } from '../config/load.js';
import type { LearnedWith } from '../overlay/lock-inputs.js';
import type { Probed } from '../report/versions.js';
import { hex } from '../xen/layout.js';
import type { Machine } from './inputs.js';
import { bootargsFor } from './prepare-boot.js';

async function sha256Of(file: string, what: string): Promise<string> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch (cause) {
    throw new ToolError(
      'INPUT_NOT_FOUND',
      'config',
      `${what} ${file}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? cause})`,
      {
        cause,
      },
    );
  }
}

/** The inputs Xen's layout follows, for `imageSize` bytes of image; the version probe gives QEMU's line and Xen's hash. */
export async function learnedWithFor(machine: Machine, config: Config, probed: Promise<Probed>, imageSize: number): Promise<LearnedWith> {
  const [versions, dtbSha256] = await Promise.all([probed, machine.dtb ? sha256Of(machine.dtb, '--dtb') : null]);
  return {
    xenSha256: versions.xenSha ?? (await sha256Of(machine.xen, '--xen')),
    qemu: versions.qemu,
    profile: machine.profile.name,
    memory: machine.memory,
    dom0Mem: config.dom0Mem,
    xenBootargs: bootargsFor(machine, config),
    dom0Bootargs: config.dom0Args,
    loadAddr: hex(machine.loadAddr),
    dtbSha256,
    imageSize,
  };
}
