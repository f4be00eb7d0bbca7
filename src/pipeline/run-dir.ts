/** Creates the run directory; refuses a user folder that holds files this tool did not write. */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { RUNS_DIR } from '../paths.js';

/** A file in every run directory, so a later run may reuse the folder. */
export const RUN_MARKER = '.xen-dom0-boot-run';

function stamp(date: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}-${p(date.getMilliseconds(), 3)}`;
}

/** `out` if given (empty, new, or an earlier run's folder), else a new folder under runs/. */
export async function prepareRunDir(command: string, out: string | undefined, now = new Date()): Promise<string> {
  const dir = out ?? path.join(RUNS_DIR, `${command}-${stamp(now)}-${process.pid}`);
  if (out && existsSync(out)) {
    let entries: string[];
    try {
      entries = await readdir(out);
    } catch (cause) {
      throw new ToolError('USAGE', 'config', `--out ${out}: not a folder`, { cause });
    }
    if (entries.length > 0 && !entries.includes(RUN_MARKER)) {
      throw new ToolError('USAGE', 'config', `--out ${out}: the folder holds files this tool did not write; name an empty or new folder`);
    }
  }
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, RUN_MARKER), `${command}\n`);
  } catch (cause) {
    throw new ToolError(
      'USAGE',
      'config',
      `${out ? `--out ${out}` : dir}: cannot create the run folder (${(cause as NodeJS.ErrnoException).code ?? cause})`,
      { cause },
    );
  }
  return dir;
}
