/** Pure mapping from how a boot ended (wait result, parsed log) to a failure or success. */
import { ToolError, type DetailsByCode, type Stage } from '../base/errors.js';
import type { ExitInfo, WaitResult } from '../serial/expect.js';
import type { XenEvent } from '../xen/events.js';
import { missingFields, type Layout } from '../xen/layout.js';

export type BootSignal = { kind: 'handed-over' } | { kind: 'fatal'; event: XenEvent };

export interface BootFacts {
  wait: WaitResult<BootSignal>;
  layout: Layout;
  events: XenEvent[];
  anomalies: string[];
  xenLineCount: number;
  lastXenLine: string | null;
  serialTail: string[];
  timeoutMs: number;
  xenTimeoutMs: number;
  /** The option whose value `xenTimeoutMs` is: --xen-timeout, or --timeout when that one is shorter. */
  xenTimeoutOption?: '--xen-timeout' | '--timeout';
  imageIsArm64: boolean;
}

/** What a QEMU_EXITED failure carries besides QEMU's stderr: Xen's serial tail, or what Dom0 printed. */
export type QemuExitedContext = Omit<DetailsByCode['QEMU_EXITED'], 'stderrTail'>;

/** QEMU ended on its own (`when`: before Xen spoke, before the hand-over, while Dom0 was watched). */
export function qemuExitedError(exit: ExitInfo, stage: Stage, when: string, details: QemuExitedContext): ToolError<'QEMU_EXITED'> {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  const why = exit.stderrTail.length > 0 ? `: ${exit.stderrTail.slice(-3).join(' | ')}` : '';
  return new ToolError('QEMU_EXITED', stage, `QEMU ${how} ${when}${why}`, { details: { ...details, stderrTail: exit.stderrTail } });
}

/** The specific reason from a boot's fatal events: Dom0 not built beats the bare panic. */
function fatalError(events: XenEvent[], tail: string[], imageIsArm64: boolean): ToolError {
  const details = { serialTail: tail };
  const short = events.find((e) => e.kind === 'dom0-memory-short');
  if (short) {
    return new ToolError(
      'DOM0_NOT_BUILT',
      'xen-boot',
      `Xen could not give Dom0 its memory: ${short.unallocatedMB}MB unallocated (lower --dom0-mem or raise --memory)`,
      { details },
    );
  }
  const notBuilt = events.find((e) => e.kind === 'dom0-not-built');
  if (notBuilt) {
    const hint = imageIsArm64 ? '' : ' (the image has no arm64 Image header)';
    return new ToolError('DOM0_NOT_BUILT', 'xen-boot', `Xen could not build Dom0: "${notBuilt.reason}"${hint}`, { details });
  }
  const panic = events.find((e) => e.kind === 'panic');
  if (panic) return new ToolError('XEN_PANIC', 'xen-boot', `Xen panicked on CPU ${panic.cpu}: ${panic.message}`, { details });
  const crashed = events.find((e) => e.kind === 'dom0-crashed' || e.kind === 'dom0-halted');
  const reason = crashed?.kind === 'dom0-crashed' ? crashed.reason : 'halted';
  return new ToolError('DOM0_CRASHED', 'handover', `Dom0 ${crashed?.kind === 'dom0-halted' ? 'halted' : `crashed: ${reason}`}`, {
    details,
  });
}

/** null when the boot reached the hand-over with a complete layout; else the failure, stage named. */
export function bootFailure(facts: BootFacts): ToolError | null {
  const { wait, serialTail } = facts;
  const details = { serialTail };
  const seconds = `${facts.timeoutMs / 1000} s`;
  switch (wait.status) {
    case 'matched': {
      if (wait.value.kind === 'fatal') return fatalError(facts.events, serialTail, facts.imageIsArm64);
      const missing = missingFields(facts.layout);
      if (facts.anomalies.length > 0) {
        return new ToolError('LAYOUT_INCOMPLETE', 'layout', `Xen's layout lines cannot all be true: ${facts.anomalies.join('; ')}`, {
          details: { ...details, anomalies: facts.anomalies, missing },
        });
      }
      if (missing.length === 0) return null;
      return new ToolError('LAYOUT_INCOMPLETE', 'layout', `Xen handed over to Dom0 but never printed: ${missing.join(', ')}`, {
        details: { ...details, missing },
      });
    }
    case 'exited': {
      if (facts.xenLineCount === 0) return qemuExitedError(wait.exit, 'qemu-start', 'before Xen printed anything', details);
      return qemuExitedError(wait.exit, 'handover', 'before Xen handed over to Dom0', details);
    }
    case 'timeout': {
      if (facts.xenLineCount === 0) {
        return new ToolError(
          'XEN_SILENT',
          'xen-boot',
          `no Xen output before the Xen start deadline (${facts.xenTimeoutOption ?? '--xen-timeout'} ${facts.xenTimeoutMs / 1000} s); is --xen an arm64 Xen image?`,
          { details },
        );
      }
      const handover = facts.events.some((e) => e.kind === 'handover');
      const where = handover ? 'Xen began the hand-over but never finished it' : 'Xen did not hand over to Dom0';
      return new ToolError(
        'HANDOVER_TIMEOUT',
        'handover',
        `${where} before the boot deadline (--timeout ${seconds}); last Xen line: ${facts.lastXenLine ?? '(none)'}`,
        { details },
      );
    }
  }
}
