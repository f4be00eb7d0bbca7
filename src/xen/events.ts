/** Typed milestones and failure signs seen in a Xen log (REFERENCE §4). */

export type XenEvent =
  | { kind: 'handover'; line: number }
  | { kind: 'freed-init'; line: number; kB: number }
  | { kind: 'panic'; line: number; cpu: number; message: string }
  | { kind: 'dom0-not-built'; line: number; reason: string; rc: number | null }
  | { kind: 'dom0-memory-short'; line: number; unallocatedMB: number }
  | { kind: 'dom0-crashed'; line: number; reason: string }
  | { kind: 'dom0-halted'; line: number }
  | { kind: 'reboot'; line: number; text: string };

export type XenEventKind = XenEvent['kind'];

/** Events that mean Dom0 will not come up in this boot. */
export const FATAL_KINDS: ReadonlySet<XenEventKind> = new Set(['panic', 'dom0-not-built', 'dom0-crashed', 'dom0-halted']);
