/** Pure: QEMU's `--version` line as numbers, and whether that QEMU has the ARM timer fix of 8.2 (REFERENCE §7). */

export interface QemuVersion {
  major: number;
  minor: number;
  patch: number;
}

/** First QEMU whose ARM generic timer handles the overflow a Zephyr Dom0 under Xen triggers (before it: random hangs). */
export const TIMER_FIX: QemuVersion = { major: 8, minor: 2, patch: 0 };

/** Parses "QEMU emulator version 7.2.22 (Debian ...)" (patch optional); null when the line is not QEMU's. */
export function parseQemuVersion(line: string | null): QemuVersion | null {
  const m = /^QEMU emulator version (\d+)\.(\d+)(?:\.(\d+))?(?![\d.])/.exec(line?.trim() ?? '');
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareVersions(a: QemuVersion, b: QemuVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** "7.2.22". */
export function formatVersion(v: QemuVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** The parsed version when it predates the timer fix; null when it has it or the line says no version. */
export function olderThanTimerFix(line: string | null): QemuVersion | null {
  const version = parseQemuVersion(line);
  return version && compareVersions(version, TIMER_FIX) < 0 ? version : null;
}
