/** Every file a run leaves, in one place: report.json, versions.json, reproduce.sh; --junit and --bundle where named. */
import { open } from 'node:fs/promises';
import path from 'node:path';
import stripAnsi from 'strip-ansi';
import { packBundle, writeReproduce } from '../report/bundle.js';
import { junitProperties, type SuiteExtras } from '../report/junit.js';
import { machineOf, type LearnInputs, type ReportJson } from '../report/report.js';
import { renderLayoutSvg } from '../report/layout-svg.js';
import { moduleSizeFor } from '../dtb/chosen.js';
import { hex } from '../xen/layout.js';
import { versionsOf, writeVersions, type Probed, type VersionsJson } from '../report/versions.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { assertPlainTarget } from '../util/write-error.js';

export interface ArtifactTargets {
  /** The run folder exists (report.json and its companions go there). */
  folder: boolean;
  junit?: string;
  /** JUnit for this report, with the suite's properties and system-out. */
  junitText: (extras: SuiteExtras) => string;
  bundle?: string;
  probe: Promise<Probed> | null;
}

/** The last `lines` lines of a serial log (its last 64 KiB), ANSI removed; empty when there is none. */
export async function serialTail(file: string | undefined, lines = 40): Promise<string> {
  if (!file) return '';
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 65_536);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return stripAnsi(buffer.toString('utf8')).replace(/\r/g, '').split('\n').slice(-lines).join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/**
 * layout.svg for a run that boots (learn, boot, check) once its machine is known: QEMU's RAM, the
 * boot module and what Xen printed; for boot, moved spans are outlined against the layout built with.
 */
export function layoutPicture(report: ReportJson): string | null {
  const machine = machineOf(report);
  if (!machine) return null;
  const pass = report.passes?.at(-1);
  const moduleSize = 'moduleSize' in machine ? (machine as LearnInputs).moduleSize : pass ? hex(moduleSizeFor(pass.build.imageSize)) : null;
  return renderLayoutSvg({
    label: `xen-dom0-boot ${report.command}`,
    title: `${report.command}: where Xen ${report.layout?.xenVersion ?? ''} placed Dom0 (-m ${machine.memory}, dom0_mem=${machine.dom0Mem})`,
    memory: machine.memory,
    layout: report.layout ?? pass?.learned ?? null,
    failure: report.failure?.code,
    modules: moduleSize ? [{ label: 'Dom0 image module', loadAddr: machine.loadAddr, moduleSize }] : [],
    baseline: pass ? pass.built : null,
  });
}

/**
 * report.json first (it says what happened), then its companions, JUnit, and the bundle of them all.
 * JUnit is written even when the run folder cannot take the report (a full disk): a nightly job
 * still learns why. The first error is thrown once everything that could be written was.
 */
export async function writeArtifacts(report: ReportJson, targets: ArtifactTargets): Promise<void> {
  let first: unknown = null;
  const attempt = async (write: () => Promise<void>): Promise<boolean> => {
    try {
      await write();
      return true;
    } catch (error) {
      first ??= error;
      return false;
    }
  };
  let versions: VersionsJson | null = null;
  const folder =
    targets.folder &&
    (await attempt(async () => {
      await writeFileAtomic(path.join(report.runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      versions = await writeVersions(report, targets.probe);
      await writeReproduce(report);
      const svg = layoutPicture(report);
      if (svg !== null) await writeFileAtomic(path.join(report.runDir, 'layout.svg'), svg);
    }));
  const junit = targets.junit;
  if (junit) {
    await attempt(async () => {
      versions ??= await versionsOf(report, targets.probe);
      const systemOut = await serialTail(report.boots.at(-1)?.serialLog);
      const text = targets.junitText({ properties: junitProperties(report, { ...versions }), systemOut });
      await assertPlainTarget(path.resolve(junit), '--junit');
      await writeFileAtomic(path.resolve(junit), text, undefined, { what: '--junit' });
    });
  }
  const bundle = targets.bundle;
  if (bundle && folder && first === null) {
    await attempt(async () => {
      await assertPlainTarget(path.resolve(bundle), '--bundle');
      await packBundle(report.runDir, bundle);
    });
  }
  if (first !== null) throw first;
}
