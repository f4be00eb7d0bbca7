/** Every file a run leaves, in one place: report.json, versions.json, reproduce.sh; --junit and --bundle where named. */
import path from 'node:path';
import { packBundle, writeReproduce } from '../report/bundle.js';
import type { ReportJson } from '../report/report.js';
import { writeVersions, type Probed } from '../report/versions.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { assertPlainTarget } from '../util/write-error.js';

export interface ArtifactTargets {
  /** The run folder exists (report.json and its companions go there). */
  folder: boolean;
  junit?: string;
  junitText: string;
  bundle?: string;
  probe: Promise<Probed> | null;
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
  const folder =
    targets.folder &&
    (await attempt(async () => {
      await writeFileAtomic(path.join(report.runDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      await writeVersions(report, targets.probe);
      await writeReproduce(report);
    }));
  const junit = targets.junit;
  if (junit) {
    await attempt(async () => {
      await assertPlainTarget(path.resolve(junit), '--junit');
      await writeFileAtomic(path.resolve(junit), targets.junitText, undefined, { what: '--junit' });
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
