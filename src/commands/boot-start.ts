/** boot's first layout as steps: what the lock was learned with, then a recorded layout or a probe boot (src/pipeline/start-layout.ts). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import type { BuildSetup } from '../build/select.js';
import type { Config } from '../config/load.js';
import { inputChanges, type InputChange, type LearnedWith } from '../overlay/lock-inputs.js';
import { layoutFromLock } from '../overlay/lock.js';
import type { LockState } from '../pipeline/boot-guards.js';
import type { Machine } from '../pipeline/inputs.js';
import { learnedWithFor } from '../pipeline/learned-with.js';
import { recallLayout, recordFile, rememberLayout } from '../pipeline/layout-records.js';
import { probeBoot } from '../pipeline/probe-boot.js';
import { chooseStart, type StartDeps } from '../pipeline/start-layout.js';
import { expectedImage, writeStandIn } from '../pipeline/stand-in.js';
import type { StartJson } from '../report/report.js';
import type { Run } from '../run/run.js';
import type { Layout } from '../xen/layout.js';

export interface Start {
  layout: Layout;
  json: StartJson;
  /** This run's deciding inputs (imageSize: the image expected), for the lock and the records. */
  now: LearnedWith;
  changes: InputChange[];
}

/** The first layout: check always starts from the lock; boot and check --fix as --start-layout says when the lock does not apply. */
export async function startLayout(
  run: Run,
  config: Config,
  parts: { machine: Machine; setup: BuildSetup; lock: LockState; checking: boolean },
): Promise<Start> {
  const { machine, setup, lock, checking } = parts;
  const { now, changes, expected } = await run.setup('lock inputs', 'config', async () => {
    const expected = await expectedImage(setup.image, lock.lock?.learnedWith?.imageSize ?? null);
    const now = await learnedWithFor(machine, config, run.probe!, expected.size);
    return { now, changes: inputChanges(lock.lock?.learnedWith, now), expected };
  });
  if (checking && lock.lock) {
    const reason =
      changes.length === 0 ? 'check builds with the committed overlay' : 'check builds with the committed overlay, whatever changed';
    const json: StartJson = { from: 'lock file', mode: config.startLayout, reason, lockChanges: changes, recorded: null, probe: null };
    return { layout: layoutFromLock(lock.lock), json, now, changes };
  }
  const deps: StartDeps = {
    recall: async () => {
      const file = recordFile(now);
      const found = await recallLayout(file, now);
      return found && { ...found, file };
    },
    probe: async () => {
      const dir = path.join(run.runDir!, 'probe');
      const probed = await run.step(
        'probe boot',
        'xen-boot',
        async () => {
          await mkdir(dir, { recursive: true });
          // A stand-in that cannot be made (no cross compiler for the test image) is a probe that failed, not the run.
          const image = await writeStandIn(dir, expected).catch((error: unknown) => {
            if (error instanceof ToolError) return error;
            throw error;
          });
          if (image instanceof ToolError) return { image: path.join(dir, 'stand-in.bin'), boot: null, failure: image };
          const { record, json } = await probeBoot({ config, machine, log: run.log, onLine: (l) => run.progress.serial(l) }, image, dir);
          return { image: image.path, boot: { record, json }, failure: record.failure };
        },
        (p) => {
          if (p.failure) return { detail: `Xen failed with the stand-in (${p.failure.code}): starting without its layout` };
          const handover = p.boot!.record.durations.qemuStartToHandoverMs;
          return { detail: `stand-in of ${expected.size} bytes (${expected.from}): hand-over after ${handover} ms` };
        },
      );
      const boot = probed.boot ? run.record.boots.push(probed.boot.json) - 1 : null;
      if (probed.boot) run.record.durations.probeBootMs = probed.boot.record.durations.qemuLifetimeMs;
      const { failure } = probed;
      if (failure)
        run.record.warnings.push(`the probe boot with a stand-in image failed (${failure.code}: ${failure.message.split('\n')[0]})`);
      else await rememberLayout(recordFile(now), now, probed.boot!.record.layout, run.runDir!);
      return { layout: failure ? null : probed.boot!.record.layout, image: probed.image, expected, boot, failure };
    },
  };
  const chosen = await chooseStart(config.startLayout, lock.lock, changes, deps);
  return { ...chosen, now, changes };
}
