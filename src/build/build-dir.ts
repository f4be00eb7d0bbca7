/**
 * What --pristine may delete: only what the tool's builds made. A build folder the tool creates
 * (or finds empty) gets a marker, `.xen-dom0-boot-build`, listing the top-level entries that
 * appeared while its runs built (a run that dies meanwhile is accounted for by the next);
 * --pristine deletes those and nothing else, and refuses a folder the tool did not create that
 * holds files. Every builder goes through this: none deletes anything itself.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { makeDirs } from '../util/fresh-file.js';
import { writeFailure } from '../util/write-error.js';

/** The file that says the tool made this build folder, and which of its entries its builds made. */
export const BUILD_MARKER = '.xen-dom0-boot-build';

interface Marker {
  generatedBy: 'xen-dom0-boot';
  /** Top-level entries of the folder that the tool's builds made. */
  made: string[];
  /** The entries there when a run started building (absent between runs): what appears after is the builds'. */
  pending?: string[];
}

const markerPath = (buildDir: string): string => path.join(buildDir, BUILD_MARKER);

/** The folder's marker; null when the tool did not create (or adopt while empty) this folder. */
export async function readMarker(buildDir: string): Promise<Marker | null> {
  const text = await readFile(markerPath(buildDir), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const data = JSON.parse(text) as Partial<Marker>;
    if (data.generatedBy === 'xen-dom0-boot' && Array.isArray(data.made)) {
      return {
        generatedBy: 'xen-dom0-boot',
        made: data.made.map(String),
        pending: Array.isArray(data.pending) ? data.pending.map(String) : undefined,
      };
    }
  } catch {
    // not ours
  }
  return null;
}

async function writeMarker(buildDir: string, made: Iterable<string>, pending?: Iterable<string>): Promise<void> {
  const marker: Marker = {
    generatedBy: 'xen-dom0-boot',
    made: [...new Set(made)].filter((name) => name !== BUILD_MARKER).sort(),
    ...(pending ? { pending: [...new Set(pending)].sort() } : {}),
  };
  await writeFileAtomic(markerPath(buildDir), `${JSON.stringify(marker, null, 2)}\n`, undefined, { what: '--build-dir', stage: 'build' });
}

/** Pure: what the tool's builds made, given the marker and the entries there now (a run that died while building included). */
export function madeEntries(marker: Marker, now: ReadonlySet<string>): string[] {
  const pending = marker.pending ? new Set(marker.pending) : null;
  const appeared = pending ? [...now].filter((name) => !pending.has(name) && name !== BUILD_MARKER) : [];
  return [...new Set([...marker.made.filter((name) => now.has(name)), ...appeared])].sort();
}

/** The folder's top-level entries now (none when it does not exist). */
async function entriesOf(buildDir: string): Promise<Set<string>> {
  return new Set(await readdir(buildDir).catch(() => []));
}

/** Pure: `names` as a short list for a message. */
const listed = (names: string[]): string => (names.length > 5 ? `${names.slice(0, 5).join(', ')}, ...` : names.join(', '));

/**
 * Before a run builds: creates and marks a new build folder (an empty one is marked too: it holds
 * nothing of yours), and notes what is there, so that what appears while the run builds is known
 * to be the builds'. With `pristine`, deletes what earlier builds made; a folder without the marker
 * that holds files is refused (OUTPUT_NOT_OURS), naming it and its files, and nothing is deleted.
 */
export async function prepareBuildDir(buildDir: string, pristine: boolean): Promise<void> {
  let entries: string[] | null = null;
  try {
    entries = await readdir(buildDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new ToolError('USAGE', 'config', `--build-dir ${buildDir}: not a folder`);
    if (code !== 'ENOENT') throw writeFailure(error, buildDir, { what: '--build-dir', stage: 'build' });
  }
  if (entries === null || entries.length === 0) {
    try {
      await makeDirs(buildDir);
    } catch (error) {
      throw writeFailure(error, buildDir, { what: '--build-dir', stage: 'build' });
    }
    await writeMarker(buildDir, [], []);
    return;
  }
  const marker = await readMarker(buildDir);
  if (!marker) {
    if (!pristine) return;
    throw new ToolError(
      'OUTPUT_NOT_OURS',
      'config',
      `--pristine: --build-dir ${buildDir} was not created by xen-dom0-boot and holds files it did not make (${listed(entries.sort())}); ` +
        'it deletes only what its own builds made: empty or remove that folder yourself, or name a new --build-dir',
    );
  }
  let made = madeEntries(marker, new Set(entries));
  if (pristine) {
    for (const name of made) {
      if (!name.includes('/') && name !== '..' && name !== '.') await rm(path.join(buildDir, name), { recursive: true, force: true });
    }
    made = [];
  }
  await writeMarker(buildDir, made, await entriesOf(buildDir));
}

/** After a run, failed or not: records in the marker of a folder the tool owns what its builds made. A folder without it is yours. */
export async function recordMade(buildDir: string): Promise<void> {
  const marker = await readMarker(buildDir);
  if (marker?.pending) await writeMarker(buildDir, madeEntries(marker, await entriesOf(buildDir)));
}
