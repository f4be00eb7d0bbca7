/** One boot as the report shows it; `record` is null when QEMU never ran. */
import type { BootJson } from '../report/report.js';
import type { BootRecord } from './boot.js';
import type { PreparedBoot } from './prepare-boot.js';

export function bootJson(parts: {
  qemuArgv: string[];
  qemuCommand: string;
  serialLog: string;
  dtb: string | null;
  record: (BootRecord & { attempts?: number }) | null;
}): BootJson {
  const { record } = parts;
  return {
    qemuArgv: parts.qemuArgv,
    qemuCommand: parts.qemuCommand,
    serialLog: parts.serialLog,
    dtb: parts.dtb,
    stopReason: record?.stopReason ?? null,
    serialLines: record?.serialLines ?? 0,
    events: record?.events.map((e) => ({ ...e })) ?? [],
    dom0: record?.dom0 ?? { status: 'not-watched', seen: [], missing: [], failureLine: null, lines: [], upAfterMs: null },
    attempts: record?.attempts ?? (record ? 1 : 0),
    durations: record?.durations ?? null,
  };
}

/** The report's record of a boot prepared by prepareBoot (its argv, command, serial log and dtb). */
export const preparedBootJson = (prepared: PreparedBoot, record: (BootRecord & { attempts?: number }) | null): BootJson =>
  bootJson({ qemuArgv: prepared.argv, qemuCommand: prepared.command, serialLog: prepared.serialLog, dtb: prepared.dtb.dtb, record });
