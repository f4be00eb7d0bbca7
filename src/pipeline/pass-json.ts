/** The pass loop's records as report.json shows them. */
import path from 'node:path';
import type { PassJson } from '../report/report.js';
import type { PassRecord } from './passes.js';

/** `boots[firstBoot + i]` is pass i's boot: every pass boots once, in order, after the probe boot if one ran. */
export function passesJson(passes: PassRecord[], dirs: string[], firstBoot = 0): PassJson[] {
  return passes.map((p, i) => ({
    pass: p.pass,
    dir: dirs[i]!,
    overlay: p.overlay,
    built: p.built,
    learned: p.learned,
    changes: p.changes,
    rebuildNeeded: p.rebuildNeeded,
    build: {
      image: p.build.image,
      reused: p.build.reused ?? false,
      verified: p.build.verified,
      targets: p.build.targets,
      imageSize: p.build.imageSize,
      ms: p.build.ms,
      log: path.join(dirs[i]!, 'build.log'),
      commands: p.build.commands,
    },
    boot: firstBoot + i,
  }));
}
