/** The run's QEMU version check: reads the versions.json probe (no extra QEMU start) and warns when QEMU is older than 8.2. */
import type { Logger } from '../util/log.js';
import { oldQemuWarning } from '../qemu/old-qemu.js';
import type { ResolvedQemu } from '../qemu/resolve.js';
import type { Probed } from '../report/versions.js';

export interface QemuCheck {
  /** QEMU's `--version` line; null when the probe failed or was stopped. */
  versionLine: string | null;
  /** For report.json's warnings; null when QEMU is new enough or its version is unknown. */
  warning: string | null;
}

/** Waits for the run's probe; logs the warning as soon as the version is known. Never rejects. */
export function checkQemu(qemu: ResolvedQemu, probe: Promise<Probed>, log: Logger): Promise<QemuCheck> {
  return probe.then((probed) => {
    const warning = oldQemuWarning(qemu, probed.qemu);
    if (warning) log.warn({ qemu: qemu.path, qemuSource: qemu.source, qemuVersion: probed.qemu }, warning);
    return { versionLine: probed.qemu, warning };
  });
}
