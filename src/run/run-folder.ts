/** Creates the run directory; refuses a user folder that holds files this tool did not write, or a symbolic link. */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { RUNS_DIR } from '../base/paths.js';
import { makeDirs, writeFresh } from '../util/fresh-file.js';
import { writeFailure } from '../util/write-error.js';

/** A file in every run directory, so a later run may reuse the folder. */
export const RUN_MARKER = '.xen-dom0-boot-run';

function stamp(date: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}-${p(date.getMilliseconds(), 3)}`;
}

/** The first symbolic link inside `dir` (relative path), at any depth; null when there is none. The tool never makes one. */
export async function findLink(dir: string, rel = ''): Promise<string | null> {
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const name = path.join(rel, entry.name);
    if (entry.isSymbolicLink()) return name;
    if (entry.isDirectory()) {
      const found = await findLink(dir, name);
      if (found) return found;
    }
  }
  return null;
}

/**
 * `out` if given (empty, new, or an earlier run's folder), else a new folder under runs/. An earlier
 * run's folder that holds a symbolic link (`xen.dtb`, `serial.log`, a pass's `build.log` ...) is
 * refused: a run rewrites those names, and a write must never land on a link's target.
 */
export async function prepareRunFolder(command: string, out: string | undefined, now = new Date()): Promise<string> {
  // An empty --out would be the current folder, which holds the user's files.
  if (out === '') throw new ToolError('USAGE', 'config', '--out: expected a folder name, not an empty value');
  const dir = path.resolve(out ?? path.join(RUNS_DIR, `${command}-${stamp(now)}-${process.pid}`));
  if (out && existsSync(out)) {
    let entries: string[];
    try {
      entries = await readdir(out);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOTDIR') throw writeFailure(cause, out, { what: '--out', stage: 'config' });
      throw new ToolError('USAGE', 'config', `--out ${out}: not a folder`, { cause });
    }
    if (entries.length > 0 && !entries.includes(RUN_MARKER)) {
      throw new ToolError(
        'OUTPUT_NOT_OURS',
        'config',
        `--out ${out}: the folder holds files this tool did not write; name an empty or new folder`,
      );
    }
    const link = entries.length > 0 ? await findLink(out) : null;
    if (link) {
      throw new ToolError(
        'OUTPUT_NOT_OURS',
        'config',
        `--out ${out}: ${link} is a symbolic link; this tool never makes one and never writes through one: remove it, or name an empty or new folder`,
      );
    }
  }
  try {
    await makeDirs(dir);
    await writeFresh(path.join(dir, RUN_MARKER), `${command}\n`);
  } catch (cause) {
    throw writeFailure(cause, dir, { what: out ? '--out' : 'the run folder', stage: 'config' });
  }
  return dir;
}
