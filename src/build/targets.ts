/** Where the overlay must re-target Dom0's nodes for this builder: read from its base devicetree, or the built-in shape. */
import { readFile } from 'node:fs/promises';
import { parseDts } from '../devicetree/parse.js';
import { findTargets, SNIPPET_TARGETS, type DtTargets } from '../devicetree/targets.js';
import type { Builder, BuildRequest } from './types.js';

/** The targets of `builder`'s board + snippet + user overlays; SNIPPET_TARGETS for a builder that cannot tell. */
export async function devicetreeTargets(
  builder: Builder,
  request: Pick<BuildRequest, 'buildDir' | 'logFile' | 'timeoutMs'>,
): Promise<DtTargets> {
  if (!builder.baseDevicetree) return SNIPPET_TARGETS;
  const file = await builder.baseDevicetree(request);
  return findTargets(parseDts(await readFile(file, 'utf8'), file));
}
