/** The run's QEMU version check: reuses the versions.json probe (no extra QEMU start) and warns when QEMU is older than 8.2. */
import type { Logger } from '../util/log.js';
import { oldQemuWarning } from '../qemu/old-qemu.js';
import type { ResolvedQemu } from '../qemu/resolve.js';
import { probeVersions } from '../report/versions.js';

export interface QemuCheck {
  /** QEMU's `--version` line; null when the probe failed or was stopped. */
  versionLine: string | null;
  /** For report.json's warnings; null when QEMU is new enough or its version is unknown. */
  warning: string | null;
}

/** Joins (or starts) the probe for these inputs; logs the warning as soon as the version is known. Never rejects. */
export function checkQemu(qemu: ResolvedQemu, xen: string, log: Logger): Promise<QemuCheck> {
  return probeVersions(qemu.path, xen).then((probe) => {
    const warning = oldQemuWarning(qemu, probe.qemu);
    if (warning) log.warn({ qemu: qemu.path, qemuSource: qemu.source, qemuVersion: probe.qemu }, warning);
    return { versionLine: probe.qemu, warning };
  });
}
