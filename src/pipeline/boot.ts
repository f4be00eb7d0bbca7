/**
 * One boot: launch QEMU, learn the layout from the serial log, then either stop at the
 * hand-over or, when `atHandover` asks for it, watch Dom0 come up. QEMU is always stopped.
 */
import type { ToolError } from '../base/errors.js';
import type { BootDurationsJson, StopReason } from '../report/report.js';
import { launchQemu } from '../qemu/launch.js';
import { waitFor, type ExitInfo, type WaitResult } from '../serial/expect.js';
import { FATAL_KINDS, type XenEvent } from '../xen/events.js';
import type { Layout } from '../xen/layout.js';
import { XenLogParser } from '../xen/parse.js';
import { bootFailure, type BootSignal } from './boot-outcome.js';
import { Dom0Watch, NOT_WATCHED, type ConfirmSpec, type Dom0Outcome } from './dom0-watch.js';

export interface BootRecord {
  layout: Layout;
  events: XenEvent[];
  /** A Xen-level failure (no hand-over, panic, incomplete layout); Dom0's fate is in `dom0`. */
  failure: ToolError | null;
  dom0: Dom0Outcome;
  /** Dom0's deadline after the hand-over (--dom0-timeout), when it was watched. */
  dom0TimeoutMs: number | null;
  /** How QEMU ended when it exited on its own (killed, crashed) while Dom0 was watched: a QEMU failure, not Dom0's. */
  qemuExit: ExitInfo | null;
  serialLog: string;
  serialLines: number;
  serialBytes: number;
  stopReason: StopReason;
  durations: BootDurationsJson;
}

export interface BootOptions {
  qemu: string;
  argv: string[];
  dir: string;
  serialLog: string;
  pidfile: string;
  timeoutMs: number;
  /** Deadline for Xen's first line (Xen silent), within `timeoutMs`. */
  xenTimeoutMs?: number;
  imageIsArm64: boolean;
  /** Called once at the hand-over with the complete layout: null stops QEMU, a spec watches Dom0. */
  atHandover?: (layout: Layout) => ConfirmSpec | null;
  onLine?: (line: string) => void;
}

const round = (v: number | null): number | null => (v === null ? null : Math.round(v));

/** Boots once; QEMU is stopped before this returns, whatever happened. */
export async function bootOnce(options: BootOptions): Promise<BootRecord> {
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
  let handedOver = false;
  let watch: Dom0Watch | null = null;
  let fatal: XenEvent | null = null;
  qemu.serial.onLine((line, atMs) => {
    options.onLine?.(line);
    const xenLinesBefore = parser.xenLineCount;
    const events = parser.push(line);
    if (parser.xenLineCount === xenLinesBefore) {
      // Not a Xen line: Dom0's own console.
      if (handedOver) watch?.push(line, atMs);
      return;
    }
    firstXenAt ??= atMs;
    lastXenLine = line;
    for (const event of events) {
      if (event.kind === 'handover') handoverAt ??= atMs;
      if (FATAL_KINDS.has(event.kind)) fatal ??= event;
      // The hand-over line is the marker (the limit's too): the layout is complete, and waiting
      // for the "Freed ... init memory" line after it only delays the stop.
      if ((event.kind === 'handover' || event.kind === 'freed-init') && !handedOver) {
        handedOver = true;
        const spec = parser.layoutComplete() ? options.atHandover?.(parser.layout) : null;
        if (spec) watch = new Dom0Watch(spec, handoverAt ?? atMs);
      }
    }
  });
  const xenSignal = (): BootSignal | undefined =>
    fatal ? { kind: 'fatal', event: fatal } : handedOver ? { kind: 'handed-over' } : undefined;
  const dom0Done = (): true | undefined => (fatal || (watch && watch.status !== 'pending') ? true : undefined);
  let wait: WaitResult<BootSignal>;
  let dom0Wait: WaitResult<true> | null = null;
  let stopMs = 0;
  const xenTimeoutMs = Math.min(options.xenTimeoutMs ?? options.timeoutMs, options.timeoutMs);
  try {
    wait = await waitFor(qemu.serial, xenSignal, { timeoutMs: xenTimeoutMs, exited: qemu.exited });
    const left = options.timeoutMs - (performance.now() - qemu.startedAt);
    if (wait.status === 'timeout' && parser.xenLineCount > 0 && left > 0) {
      // Xen is talking: the rest of the boot deadline is for the hand-over.
      wait = await waitFor(qemu.serial, xenSignal, { timeoutMs: left, exited: qemu.exited });
    }
    if (wait.status === 'matched' && wait.value.kind === 'handed-over' && watch) {
      const w: Dom0Watch = watch;
      dom0Wait = dom0Done()
        ? { status: 'matched', value: true, atMs: 0 }
        : await waitFor(qemu.serial, dom0Done, { timeoutMs: w.spec.timeoutMs, exited: qemu.exited });
    }
  } finally {
    const stopStarted = performance.now();
    await qemu.stop();
    stopMs = Math.round(performance.now() - stopStarted);
  }
  parser.finish();
  const failure = bootFailure({
    wait: fatal && wait.status === 'matched' ? { ...wait, value: { kind: 'fatal', event: fatal } } : wait,
    layout: parser.layout,
    events: parser.events,
    anomalies: parser.anomalies,
    xenLineCount: parser.xenLineCount,
    lastXenLine,
    serialTail: qemu.serial.tail.values(),
    timeoutMs: options.timeoutMs,
    xenTimeoutMs,
    // The shorter deadline ended the wait for Xen's first line: name that option.
    xenTimeoutOption: options.xenTimeoutMs !== undefined && options.xenTimeoutMs < options.timeoutMs ? '--xen-timeout' : '--timeout',
    imageIsArm64: options.imageIsArm64,
  });
  const dom0 = dom0Outcome(watch, dom0Wait, fatal);
  const qemuExit = dom0Wait?.status === 'exited' && dom0.status === 'pending' ? dom0Wait.exit : null;
  const stopReason = qemuExit ? 'qemu-exited' : stopReasonOf(failure, wait, dom0);
  return {
    layout: parser.layout,
    events: parser.events,
    failure,
    dom0,
    dom0TimeoutMs: (watch as Dom0Watch | null)?.spec.timeoutMs ?? null,
    qemuExit,
    serialLog: options.serialLog,
    serialLines: qemu.serial.lineCount,
    serialBytes: qemu.serial.byteCount,
    stopReason,
    durations: {
      qemuStartToFirstXenLineMs: round(firstXenAt),
      qemuStartToHandoverMs: round(handoverAt),
      qemuStartToDom0UpMs: dom0.upAfterMs === null || handoverAt === null ? null : Math.round(handoverAt + dom0.upAfterMs),
      stopMs,
      qemuLifetimeMs: Math.round(performance.now() - qemu.startedAt),
    },
  };
}

/** Why QEMU was stopped: Xen's failure first, else what Dom0 did, else the plain hand-over. */
function stopReasonOf(failure: ToolError | null, wait: WaitResult<BootSignal>, dom0: Dom0Outcome): BootRecord['stopReason'] {
  if (failure) return wait.status === 'exited' ? 'qemu-exited' : wait.status === 'timeout' ? 'timeout' : 'xen-failure';
  if (dom0.status === 'up') return 'dom0-up';
  if (dom0.status === 'failed' || dom0.status === 'crashed') return 'dom0-failed';
  if (dom0.status === 'silent') return 'dom0-silent';
  return 'handed-over';
}

function dom0Outcome(watch: Dom0Watch | null, wait: WaitResult<true> | null, fatal: XenEvent | null): Dom0Outcome {
  if (!watch) return NOT_WATCHED;
  if (fatal && (fatal.kind === 'dom0-crashed' || fatal.kind === 'dom0-halted')) return watch.outcome('crashed');
  if (watch.status !== 'pending') return watch.outcome();
  // QEMU gone before Dom0's deadline: Dom0 was not silent, it was cut off (pending; the boot's qemuExit says how).
  return watch.outcome(wait?.status === 'timeout' ? 'silent' : 'pending');
}
