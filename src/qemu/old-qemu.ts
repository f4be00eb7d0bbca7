/** Pure: what the tool says about a QEMU older than 8.2 (the run's warning, and why a Dom0 may have gone silent). */
import { ToolError } from '../base/errors.js';
import { SETUP_COMMAND } from '../base/paths.js';
import type { ResolvedQemu } from './resolve.js';
import { formatVersion, olderThanTimerFix, TIMER_FIX } from './version.js';

const FROM: Record<ResolvedQemu['source'], string> = {
  option: '--qemu',
  'zephyr-sdk': 'the Zephyr SDK',
  'project-cache': "the project's cache",
  path: 'PATH',
};

const FIX = `${TIMER_FIX.major}.${TIMER_FIX.minor}`;
const REMEDY = `run \`${SETUP_COMMAND}\` to get QEMU 10 from bookworm-backports, or pass --qemu`;

/** The run's warning when it must use a QEMU older than 8.2 (Zephyr Dom0s hang at random there); null otherwise or when unknown. */
export function oldQemuWarning(qemu: ResolvedQemu, versionLine: string | null): string | null {
  const old = olderThanTimerFix(versionLine);
  if (!old) return null;
  return (
    `QEMU ${formatVersion(old)} (${qemu.path}, from ${FROM[qemu.source]}) is older than ${FIX}: its ARM generic timer ` +
    `may hang a Zephyr Dom0 at random (virtual timer compare value ~0 at reset); ${REMEDY}`
  );
}

/** A DOM0_SILENT failure under a QEMU older than 8.2 says that QEMU may be why; any other failure is returned as it is. */
export function explainSilentDom0(failure: ToolError | null, versionLine: string | null): ToolError | null {
  const old = olderThanTimerFix(versionLine);
  if (!failure?.is('DOM0_SILENT') || !old || versionLine === null) return failure;
  return new ToolError(
    'DOM0_SILENT',
    failure.stage,
    `${failure.message}; or QEMU ${formatVersion(old)} is why: QEMU before ${FIX} may hang a Zephyr Dom0 whose virtual ` +
      `timer compare value is ~0 (${REMEDY})`,
    { cause: failure.cause, details: { ...failure.details, qemuVersion: versionLine } },
  );
}
