/** One boot: launch QEMU, learn the layout from the serial log, stop QEMU as soon as Xen hands over. */
import type { ToolError } from '../errors.js';
import { launchQemu } from '../qemu/launch.js';
import { waitFor, type WaitResult } from '../serial/expect.js';
import { FATAL_KINDS, type XenEvent } from '../xen/events.js';
import { XenLogParser } from '../xen/parse.js';
import type { Layout } from '../xen/layout.js';
import { bootFailure, type BootSignal } from './boot-outcome.js';

export interface BootRecord {
  layout: Layout;
  events: XenEvent[];
  failure: ToolError | null;
  serialLog: string;
  serialLines: number;
  serialBytes: number;
  stopReason: 'handed-over' | 'xen-failure' | 'qemu-exited' | 'timeout';
  durations: {
    qemuStartToFirstXenLineMs: number | null;
    qemuStartToHandoverMs: number | null;
    stopMs: number;
    qemuLifetimeMs: number;
  };
}

/** Boots once; QEMU is stopped before this returns, whatever happened. */
export async function bootOnce(options: {
  qemu: string;
  argv: string[];
  dir: string;
  serialLog: string;
  pidfile: string;
  timeoutMs: number;
  imageIsArm64: boolean;
  onLine?: (line: string) => void;
}): Promise<BootRecord> {
  const qemu = await launchQemu({
    binary: options.qemu,
    argv: options.argv,
    cwd: options.dir,
    serialLog: options.serialLog,
    pidfile: options.pidfile,
  });
  const parser = new XenLogParser();
  let firstXenAt: number | null = null;
  let handoverAt: number | null = null;
  let lastXenLine: string | null = null;
  qemu.serial.onLine((line, atMs) => {
    const before = parser.xenLineCount;
    for (const event of parser.push(line)) if (event.kind === 'handover') handoverAt ??= atMs;
    if (parser.xenLineCount > before) {
      firstXenAt ??= atMs;
      lastXenLine = line;
    }
    options.onLine?.(line);
  });
  let seen = 0;
  const signal = (): BootSignal | undefined => {
    const fresh = parser.events.slice(seen);
    seen = parser.events.length;
    for (const event of fresh) {
      if (FATAL_KINDS.has(event.kind)) return { kind: 'fatal', event };
      if (event.kind === 'freed-init') return { kind: 'handed-over' };
    }
    return undefined;
  };
  let wait: WaitResult<BootSignal>;
  let stopMs = 0;
  try {
    wait = await waitFor<BootSignal>(qemu.serial, signal, { timeoutMs: options.timeoutMs, exited: qemu.exited });
  } finally {
    const stopStarted = performance.now();
    await qemu.stop();
    stopMs = Math.round(performance.now() - stopStarted);
  }
  parser.finish();
  const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
  const failure = bootFailure({
    wait,
    layout: parser.layout,
    events: parser.events,
    xenLineCount: parser.xenLineCount,
    lastXenLine,
    serialTail: qemu.serial.tail.values(),
    timeoutMs: options.timeoutMs,
    imageIsArm64: options.imageIsArm64,
  });
  const stopReason =
    wait.status === 'matched'
      ? wait.value.kind === 'fatal'
        ? 'xen-failure'
        : 'handed-over'
      : wait.status === 'exited'
        ? 'qemu-exited'
        : 'timeout';
  return {
    layout: parser.layout,
    events: parser.events,
    failure,
    serialLog: options.serialLog,
    serialLines: qemu.serial.lineCount,
    serialBytes: qemu.serial.byteCount,
    stopReason,
    durations: {
      qemuStartToFirstXenLineMs: round(firstXenAt),
      qemuStartToHandoverMs: round(handoverAt),
      stopMs,
      qemuLifetimeMs: Math.round(performance.now() - qemu.startedAt),
    },
  };
}
