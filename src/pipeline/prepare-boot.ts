/** Everything a boot needs in its folder before QEMU starts: xen.dtb, the argv, qemu-cmd.sh. */
import path from 'node:path';
import type { Config } from '../config/load.js';
import { moduleSizeFor, xenBootargs } from '../dtb/chosen.js';
import { makeXenDtb, type DtbResult } from '../dtb/make.js';
import { patchUserDtb } from '../dtb/user.js';
import type { ImageInfo } from '../image/inspect.js';
import { buildBootArgv, shellQuote } from '../qemu/argv.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { clearName } from '../util/fresh-file.js';
import { hex } from '../xen/layout.js';
import type { Machine } from './inputs.js';
import type { BootOptions } from './boot.js';

export interface PreparedBoot {
  dtb: DtbResult;
  argv: string[];
  command: string;
  serialLog: string;
  pidfile: string;
  bootargs: string;
  moduleSize: bigint;
  dtbMs: number;
}

/** Xen's command line for this config and machine. */
export const bootargsFor = (machine: Machine, config: Config): string =>
  xenBootargs({ uart: machine.profile.uart, dom0Mem: config.dom0Mem, profileArgs: machine.profile.xenBootargs, extra: config.xenArgs });

export async function prepareBoot(machine: Machine, config: Config, image: ImageInfo, dir: string): Promise<PreparedBoot> {
  const t0 = performance.now();
  const moduleSize = moduleSizeFor(image.size);
  const bootargs = bootargsFor(machine, config);
  const dtb = machine.dtb
    ? await patchUserDtb({ source: machine.dtb, dir, loadAddr: machine.loadAddr, moduleSize })
    : await makeXenDtb({
        qemu: machine.qemu.path,
        profile: machine.profile,
        memory: machine.memory,
        dir,
        spec: { xenBootargs: bootargs, dom0Bootargs: config.dom0Args, loadAddr: machine.loadAddr, moduleSize },
      });
  const dtbMs = Math.round(performance.now() - t0);
  const pidfile = path.join(dir, 'qemu.pid');
  const argv = buildBootArgv({
    profile: machine.profile,
    memory: machine.memory,
    xen: machine.xen,
    image: image.path,
    dtb: dtb.dtb,
    loadAddr: hex(machine.loadAddr),
    pidfile,
  });
  const command = shellQuote([machine.qemu.path, ...argv]);
  const script = path.join(dir, 'qemu-cmd.sh');
  // Atomic (a rename replaces a link at the name, never writes through it), executable from birth.
  await writeFileAtomic(
    script,
    `#!/bin/sh\n# QEMU command of this boot, as xen-dom0-boot ran it.\ncd ${shellQuote([dir])} || exit 1\nexec ${command}\n`,
    0o755,
  );
  // QEMU writes its pidfile itself: an old one, or a link in its place, is removed first.
  await clearName(pidfile, { stage: 'qemu-start' });
  // With the user's own tree, Xen's command line is the tree's, not the one built from options.
  return { dtb, argv, command, serialLog: path.join(dir, 'serial.log'), pidfile, bootargs: dtb.xenBootargs ?? bootargs, moduleSize, dtbMs };
}

/** The boot options every command shares for a prepared boot folder. */
export function bootOptions(machine: Machine, config: Config, prepared: PreparedBoot, image: ImageInfo, dir: string): BootOptions {
  return {
    qemu: machine.qemu.path,
    argv: prepared.argv,
    dir,
    serialLog: prepared.serialLog,
    pidfile: prepared.pidfile,
    timeoutMs: config.timeout * 1000,
    xenTimeoutMs: config.xenTimeout * 1000,
    imageIsArm64: image.arm64Image,
  };
}
