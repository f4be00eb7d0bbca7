/**
 * The pass loop: build with the layout we believe, boot, learn what Xen picked; rebuild and
 * boot again until the image was built with the layout Xen gives it and Dom0 is up.
 * Build and boot are injected, so the logic is tested with fake boots.
 */
import { ToolError } from '../base/errors.js';
import type { BuildResult } from '../build/types.js';
import { layoutToJson, type LayoutJson } from '../xen/layout-json.js';
import { diffLayouts, type FieldChange } from '../xen/layout-diff.js';
import type { Layout } from '../xen/layout.js';
import type { BootRecord } from './boot.js';
import { qemuExitedError } from './boot-outcome.js';

export interface PassDeps {
  /** Builds pass `n` with `layout` (writes its overlay in the pass folder). */
  build(n: number, layout: Layout): Promise<BuiltPass>;
  /** Boots pass `n`'s image; confirms Dom0 when Xen's layout equals `built`. */
  boot(n: number, image: BuildResult, built: Layout): Promise<BootRecord>;
}

/** A pass's build as the loop keeps it: the overlay it used, the outputs checked, where the targets came from. */
export type BuiltPass = BuildResult & { overlay: string; verified: string[]; targets: string };

export interface PassRecord {
  pass: number;
  built: LayoutJson;
  learned: LayoutJson | null;
  /** What Xen's layout changed compared with the one this pass was built with. */
  changes: FieldChange[];
  rebuildNeeded: boolean;
  overlay: string;
  build: BuiltPass;
  boot: BootRecord;
}

export interface PassesResult {
  passes: PassRecord[];
  converged: boolean;
  /** The layout Dom0 was confirmed with (when converged). */
  layout: Layout | null;
  failure: ToolError | null;
}

function dom0Failure(record: BootRecord, built: Layout): ToolError {
  const { dom0 } = record;
  const builtJson = JSON.stringify(layoutToJson(built));
  const details = {
    dom0Lines: dom0.lines,
    missingPatterns: dom0.missing,
    builtWith: layoutToJson(built),
    xenPicked: layoutToJson(record.layout),
  };
  if (record.qemuExit) return qemuExitedError(record.qemuExit, 'dom0', 'while Dom0 was watched after the hand-over', details);
  if (dom0.status === 'failed') return new ToolError('DOM0_FAILED', 'dom0', `Dom0 reported a failure: ${dom0.failureLine}`, { details });
  if (dom0.status === 'crashed') return new ToolError('DOM0_CRASHED', 'dom0', 'Dom0 crashed after the hand-over', { details });
  const deadline = record.dom0TimeoutMs === null ? 'passed' : `${record.dom0TimeoutMs / 1000} s`;
  const said = dom0.lines.length === 0 ? 'printed nothing' : `never printed ${dom0.missing.map((p) => `/${p}/`).join(' and ')}`;
  return new ToolError(
    'DOM0_SILENT',
    'dom0',
    `Dom0 ${said} after the hand-over (--dom0-timeout ${deadline}): likely an address mismatch even though the layouts agree; built with ${builtJson}`,
    { details },
  );
}

export async function runPasses(start: Layout, maxPasses: number, deps: PassDeps): Promise<PassesResult> {
  const passes: PassRecord[] = [];
  let built = start;
  for (let n = 1; n <= maxPasses; n += 1) {
    const build = await deps.build(n, built);
    const boot = await deps.boot(n, build, built);
    const changes = boot.failure ? [] : diffLayouts(built, boot.layout);
    passes.push({
      pass: n,
      built: layoutToJson(built),
      learned: boot.failure ? null : layoutToJson(boot.layout),
      changes,
      rebuildNeeded: changes.length > 0,
      overlay: build.overlay,
      build,
      boot,
    });
    if (boot.failure) return { passes, converged: false, layout: null, failure: boot.failure };
    // QEMU died while Dom0 was watched (--observe-dom0 too): the boot failed, whatever the layout said.
    if (boot.qemuExit) return { passes, converged: false, layout: null, failure: dom0Failure(boot, built) };
    if (changes.length === 0) {
      if (boot.dom0.status === 'up') return { passes, converged: true, layout: boot.layout, failure: null };
      return { passes, converged: false, layout: null, failure: dom0Failure(boot, built) };
    }
    built = { ...boot.layout };
  }
  const last = passes.at(-1)!;
  const previous = passes.at(-2);
  const moved = last.changes.map((c) => c.field).join(', ');
  return {
    passes,
    converged: false,
    layout: null,
    failure: new ToolError(
      'NOT_CONVERGED',
      'converge',
      `Xen's layout still moved after ${maxPasses} pass(es) (--max-passes): ${moved} changed again`,
      {
        details: { lastTwoLayouts: [previous?.learned ?? last.built, last.learned] },
      },
    ),
  };
}
