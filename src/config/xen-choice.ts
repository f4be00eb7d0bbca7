/** A Xen as the user names it: a path, or "4.17"/"4.20" for the copies `npm run setup [-- --xen 4.20]` fetched. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { CACHE_DIR, setupCommandWith } from '../base/paths.js';

/** The versions scripts/fetch-xen.sh knows (Debian 12's and Debian 13's packages). */
export const SETUP_FETCHES = ['4.17', '4.20'];

/** A version label ("4.17") rather than a path. */
export const isXenVersion = (value: string): boolean => /^\d+\.\d+$/.test(value);

/** "4.17" and "4.20" name the copies setup fetched; anything else is a path. */
export function xenPathFor(label: string): string {
  return isXenVersion(label) ? path.join(CACHE_DIR, 'xen', label, 'xen') : path.resolve(label);
}

/**
 * The Xen image `value` names, which must exist. `source` is where the value came from, as the
 * error shows it ("--xen", or `config file x.json: field "xen"`).
 */
export function resolveXenChoice(value: string, source: string): string {
  const file = xenPathFor(value);
  if (existsSync(file) && statSync(file).isFile()) return file;
  const hint = !isXenVersion(value)
    ? "no such file (expected an arm64 Xen image, e.g. Debian's boot/xen-4.17-arm64, or 4.17/4.20 for the copies setup fetched)"
    : SETUP_FETCHES.includes(value)
      ? `no Xen ${value} at ${file}; run ${setupCommandWith(`--xen ${value}`)}`
      : `no Xen ${value} at ${file}: setup fetches ${SETUP_FETCHES.join(' and ')} (Debian's); give any other Xen as a path`;
  throw new ToolError('INPUT_NOT_FOUND', 'config', `${source} ${value}: ${hint}`);
}
