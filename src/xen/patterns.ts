/** Regexes for the Xen log lines that carry Dom0's layout and failures (REFERENCE §2, §4). */

/** `(XEN) ` then an optional console timestamp of any `console_timestamps=` style. */
export const XEN_PREFIX = /^\(XEN\) (?:\[[^\]]*\] ?)?/;

const HEX = '(?:0x)?([0-9a-fA-F]+)';

export const PATTERNS = {
  version: /^Xen version (\S+)/,
  // 4.17 "Allocating 1:1 mappings totalling 256MB for dom0:", seed "Allocating 1:1 mappings for dom0:",
  // 4.22 "... for d0:", non-1:1 (cache colouring) "Allocating mappings totalling ...".
  banksHeader: /^Allocating (?:1:1 )?mappings (?:totalling \d+MB )?for (?:dom0|d0):?/,
  // "BANK[0] 0x..-0x.. (256MB)"; non-1:1 Dom0 prints "d0 BANK[0] ...".
  bank: new RegExp(`^(d0 )?BANK\\[(\\d+)\\] ${HEX}-${HEX}`),
  grantTable: new RegExp(`^Grant table range: ${HEX}-${HEX}`),
  eventChannelPpi: /^Allocating PPI (\d+) for event channel interrupt/,
  // "d0: extended region 1: 0x60000000->0x1c0000000"; older Xen "Extended region 1: ...".
  extendedRegion: new RegExp(`^(?:(?:d0|dom0): )?[Ee]xtended region (\\d+): ${HEX}->${HEX}`),
  kernel: new RegExp(`^Loading zImage from ${HEX} to ${HEX}-${HEX}`),
  dom0Dtb: new RegExp(`^Loading d0 DTB to ${HEX}-${HEX}`),
  handover: /^\*\*\* Serial input to (?:DOM0|d0)\b/,
  freedInit: /^Freed (\d+)kB init memory/,
  panicStart: /^Panic on CPU (\d+):/,
  starLine: /^\*{20,}\s*$/,
  reboot: /^(Reboot in five seconds|Manual reset required)/,
  dom0NotBuilt: /^Could not set up (?:DOM0|d0) guest OS(?: \(rc = (-?\d+)\))?/,
  dom0MemoryShort: /^Failed to allocate requested dom0 memory\.\s*(\d+)MB unallocated/,
  dom0Crashed: /^Hardware Dom0 crashed:?\s*(.*)$/,
  dom0Halted: /^Hardware Dom0 halted/,
} as const;
