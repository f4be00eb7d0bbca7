/** --junit and --bundle checked before anything runs: a nightly job learns of a bad path now, not after an hour of boots. */
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { assertPlainTarget } from '../util/write-error.js';
import { RUN_MARKER } from './run-folder.js';

/** The names the tool writes at the top of a run folder (per-pass and per-combination folders below it too). */
export const RUN_FOLDER_NAMES = new Set([
  'report.json',
  'versions.json',
  'reproduce.sh',
  'tool.log',
  'layout.svg',
  'drift.json',
  'drift.html',
  'serial.log',
  'xen.dtb',
  'xen.dts',
  'virt.dtb',
  'qemu-cmd.sh',
  'qemu.pid',
  RUN_MARKER,
]);

const bad = (what: string, file: string, why: string): ToolError =>
  new ToolError('OUTPUT_WRITE_FAILED', 'config', `${what} ${file}: ${why}`);

/** A regular file (or a new name) in an existing folder (or in --out, which the run makes); never a link, device or folder. */
export async function assertTarget(file: string, what: string, out?: string): Promise<void> {
  if (file === '') throw new ToolError('USAGE', 'config', `${what}: expected a file name, not an empty value`);
  const info = await lstat(file).catch(() => null);
  if (info?.isDirectory()) throw bad(what, file, 'cannot write: it is a folder (EISDIR); expected a file name, not a folder');
  await assertPlainTarget(path.resolve(file), what);
  const folder = path.dirname(path.resolve(file));
  const inOut = out !== undefined && out !== '' && !path.relative(path.resolve(out), folder).startsWith('..');
  const parent = await stat(folder).catch(() => null);
  if (!inOut && !parent?.isDirectory())
    throw bad(what, file, `cannot write: the folder ${path.dirname(path.resolve(file))} does not exist; create it first`);
}

/** --junit and --bundle must not be one file, nor a file the run writes in its folder, nor (the bundle) inside the folder it packs. */
export function assertApart(runDir: string, junit: string | undefined, bundle: string | undefined): void {
  const dir = path.resolve(runDir);
  if (junit && bundle && path.resolve(junit) === path.resolve(bundle)) {
    throw new ToolError('USAGE', 'config', `--junit and --bundle name the same file ${junit}: give each its own`);
  }
  for (const [what, file] of [
    ['--junit', junit],
    ['--bundle', bundle],
  ] as const) {
    if (!file) continue;
    const rel = path.relative(dir, path.resolve(file));
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (what === '--bundle' || rel.includes(path.sep) || RUN_FOLDER_NAMES.has(rel)) {
      throw new ToolError(
        'USAGE',
        'config',
        `${what} ${file} is inside the run folder ${runDir}${what === '--bundle' ? ', which it packs' : ', where the run writes its own files'}: name a file outside it${what === '--junit' ? ' (or a new name at its top)' : ''}`,
      );
    }
  }
}
