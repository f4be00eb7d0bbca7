/** Pure Xen log parser: serial lines in, a typed Dom0 layout and events out; order-independent. */
import { emptyLayout, missingFields, type Layout } from './layout.js';
import type { XenEvent } from './events.js';
import { PATTERNS, XEN_PREFIX } from './patterns.js';

/** Strips `(XEN) ` and a timestamp; null for lines that are not Xen's (e.g. Dom0's console). */
export function xenMessage(line: string): string | null {
  const match = XEN_PREFIX.exec(line);
  return match ? line.slice(match[0].length) : null;
}

const big = (hexDigits: string): bigint => BigInt(`0x${hexDigits}`);
const MAX_PANIC_LINES = 8;
/** The first words of every line PATTERNS can match. */
const INTERESTING =
  /^(?:Xen version|Allocating|BANK|d0|dom0|Grant|[Ee]xtended|Loading|\*\*\*|Freed|Panic|Reboot|Manual|Could|Failed|Hardware)/;
/** An end-exclusive range may end exactly at 2^64. */
const MAX_ADDRESS = 1n << 64n;

/** Incremental parser: feed lines as they arrive, read `layout` and `events` at any time. */
export class XenLogParser {
  readonly layout: Layout = emptyLayout();
  readonly events: XenEvent[] = [];
  /** Layout lines that cannot be true (end before start, past 2^64, a bank printed twice differently). */
  readonly anomalies: string[] = [];
  xenLineCount = 0;
  private lineNo = 0;
  private inBanks = false;
  private panic: { line: number; cpu: number; message: string[] } | null = null;

  /** Consumes one line; returns the events it completed. */
  push(line: string): XenEvent[] {
    this.lineNo += 1;
    const msg = xenMessage(line);
    if (msg === null) return [];
    this.xenLineCount += 1;
    const before = this.events.length;
    if (this.panic) this.continuePanic(msg);
    else this.parseMessage(msg.trimEnd());
    return this.events.slice(before);
  }

  /** True once every field a Dom0 build needs has been printed. */
  layoutComplete(): boolean {
    return missingFields(this.layout).length === 0;
  }

  /** Flushes a panic block whose closing line never came (truncated log). */
  finish(): XenEvent[] {
    const before = this.events.length;
    if (this.panic) this.closePanic();
    return this.events.slice(before);
  }

  private parseMessage(msg: string): void {
    // Most Xen lines carry nothing for us: one anchored test skips the pattern chain for them.
    if (!INTERESTING.test(msg)) {
      this.inBanks = false;
      return;
    }
    const n = this.lineNo;
    const layout = this.layout;
    let m: RegExpExecArray | null;
    const wasInBanks = this.inBanks;
    this.inBanks = false;
    if ((m = PATTERNS.bank.exec(msg)) && (wasInBanks || m[1])) {
      this.inBanks = wasInBanks;
      const index = Number(m[2]);
      const bank = { index, start: big(m[3]!), end: big(m[4]!) };
      if (!this.valid(bank, msg)) return;
      const at = layout.dom0Banks.findIndex((b) => b.index === index);
      if (at >= 0 && (layout.dom0Banks[at]!.start !== bank.start || layout.dom0Banks[at]!.end !== bank.end)) {
        this.anomalies.push(`BANK[${index}] printed twice with different ranges: "${msg}"`);
      }
      if (at >= 0) layout.dom0Banks[at] = bank;
      else layout.dom0Banks.push(bank);
      layout.dom0Banks.sort((a, b) => a.index - b.index);
    } else if (PATTERNS.banksHeader.test(msg)) {
      this.inBanks = true;
      layout.dom0Banks.length = 0;
    } else if ((m = PATTERNS.version.exec(msg))) {
      layout.xenVersion ??= m[1]!;
    } else if ((m = PATTERNS.grantTable.exec(msg))) {
      const range = { start: big(m[1]!), end: big(m[2]!) };
      if (this.valid(range, msg)) layout.grantTable = range;
    } else if ((m = PATTERNS.eventChannelPpi.exec(msg))) {
      layout.eventChannelPpi = Number(m[1]);
    } else if ((m = PATTERNS.extendedRegion.exec(msg))) {
      const region = { index: Number(m[1]), start: big(m[2]!), end: big(m[3]!) };
      if (!this.valid(region, msg)) return;
      const regions = layout.extendedRegions.filter((r) => r.index !== region.index);
      regions.push(region);
      regions.sort((a, b) => a.index - b.index);
      layout.extendedRegions = regions;
    } else if ((m = PATTERNS.kernel.exec(msg))) {
      layout.kernel = { start: big(m[2]!), end: big(m[3]!) };
    } else if ((m = PATTERNS.dom0Dtb.exec(msg))) {
      layout.dom0Dtb = { start: big(m[1]!), end: big(m[2]!) };
    } else if (PATTERNS.handover.test(msg)) {
      this.events.push({ kind: 'handover', line: n });
    } else if ((m = PATTERNS.freedInit.exec(msg))) {
      this.events.push({ kind: 'freed-init', line: n, kB: Number(m[1]) });
    } else if ((m = PATTERNS.panicStart.exec(msg))) {
      this.panic = { line: n, cpu: Number(m[1]), message: [] };
    } else if ((m = PATTERNS.reboot.exec(msg))) {
      this.events.push({ kind: 'reboot', line: n, text: msg });
    } else if ((m = PATTERNS.dom0MemoryShort.exec(msg))) {
      this.events.push({ kind: 'dom0-memory-short', line: n, unallocatedMB: Number(m[1]) });
    } else if ((m = PATTERNS.dom0Crashed.exec(msg))) {
      this.events.push({ kind: 'dom0-crashed', line: n, reason: m[1] || msg });
    } else if (PATTERNS.dom0Halted.test(msg)) {
      this.events.push({ kind: 'dom0-halted', line: n });
    }
  }

  /** A range Xen could have meant: start before end, both inside 64 bits. */
  private valid(range: { start: bigint; end: bigint }, msg: string): boolean {
    if (range.end > MAX_ADDRESS || range.start > MAX_ADDRESS) {
      this.anomalies.push(`address past 2^64: "${msg}"`);
      return false;
    }
    if (range.end <= range.start) {
      this.anomalies.push(`range ends before it starts: "${msg}"`);
      return false;
    }
    return true;
  }

  private continuePanic(msg: string): void {
    if (PATTERNS.starLine.test(msg)) return this.closePanic();
    const text = msg.trim();
    if (text) this.panic!.message.push(text);
    // A panic message is a line or two; without its closing line, stop collecting.
    if (this.panic!.message.length >= MAX_PANIC_LINES) this.closePanic();
  }

  private closePanic(): void {
    const panic = this.panic!;
    this.panic = null;
    const message = panic.message.join(' ');
    for (const text of panic.message) {
      const m = PATTERNS.dom0NotBuilt.exec(text);
      if (m) {
        const rc = m[1] === undefined ? null : Number(m[1]);
        this.events.push({ kind: 'dom0-not-built', line: panic.line, reason: text, rc });
      }
      const short = PATTERNS.dom0MemoryShort.exec(text);
      if (short) {
        this.events.push({ kind: 'dom0-memory-short', line: panic.line, unallocatedMB: Number(short[1]) });
      }
    }
    this.events.push({ kind: 'panic', line: panic.line, cpu: panic.cpu, message });
  }
}

/** Parses a whole log at once (fixtures, saved serial logs). */
export function parseXenLog(lines: Iterable<string>): { layout: Layout; events: XenEvent[]; anomalies: string[]; xenLineCount: number } {
  const parser = new XenLogParser();
  for (const line of lines) parser.push(line);
  parser.finish();
  return { layout: parser.layout, events: parser.events, anomalies: parser.anomalies, xenLineCount: parser.xenLineCount };
}
