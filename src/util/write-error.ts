/** A failed write as one clear error: which file, why (read-only, full, a folder in the way, ...) and what was expected. */
import { lstat } from 'node:fs/promises';
import { ToolError, toToolError, type Stage } from '../base/errors.js';

/** Why a write failed, and what the user should give instead, per errno. */
const REASONS: Record<string, [why: string, expected: string]> = {
  EROFS: ['read-only file system', 'a writable folder'],
  EACCES: ['permission denied', 'a folder you may write to'],
  EPERM: ['operation not permitted', 'a folder you may write to'],
  ENOSPC: ['no space left on the device', 'free space on its file system'],
  EDQUOT: ['disk quota exceeded', 'free space on its file system'],
  EFBIG: ['file too large for its file system', 'free space on its file system'],
  EISDIR: ['it is a folder', 'a file name, not a folder'],
  ENOTDIR: ['a part of its path is a file, not a folder', 'a path whose every part above it is a folder'],
  ENOENT: ['its folder does not exist', 'an existing folder'],
  ELOOP: ['it is a symbolic link', 'a plain file, not a link'],
  EEXIST: ['a file appeared there while it was written', 'a path no other process writes'],
  ENAMETOOLONG: ['the name is too long', 'a shorter path'],
  EMFILE: ['too many open files', 'fewer open files'],
  EIO: ['an input/output error of the device', 'a working disk'],
  EXDEV: ['the file and its temporary copy are on different file systems', 'a plain folder, not a mount point'],
  EMLINK: ['too many links', 'a folder with fewer entries'],
  ENXIO: ['no such device', 'a regular file path'],
  ENFILE: ['too many open files', 'fewer open files'],
};

/** The errno name, also for those Node 20 has no name for (a quota: errno -122, EDQUOT). */
function errnoName(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException | null;
  if (e?.errno === -122) return 'EDQUOT';
  return typeof e?.code === 'string' ? e.code : undefined;
}

/** True when `error` is a file-system error this module can name. */
export function isWriteErrno(error: unknown): boolean {
  const code = errnoName(error);
  return code !== undefined && code in REASONS;
}

/**
 * Refuses a target that is a device (such as /dev/null) or a symbolic link: the tool replaces
 * its files by rename, which would replace those. A folder is left to the write's own EISDIR.
 */
export async function assertPlainTarget(file: string, what: string): Promise<void> {
  const info = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw writeFailure(error, file, { what });
  });
  // A folder fails the write itself, named as EISDIR; links and devices would be replaced silently.
  if (info && !info.isFile() && !info.isDirectory()) {
    const kind = info.isSymbolicLink() ? 'a symbolic link' : 'a device or special file';
    throw new ToolError(
      'OUTPUT_WRITE_FAILED',
      'report',
      `${what} ${file}: cannot write: it is ${kind}, which the tool would replace; expected a regular file path`,
    );
  }
}

/**
 * `OUTPUT_WRITE_FAILED` naming `file` (with `what`, e.g. "--junit", before it) for a file-system
 * error; anything else (a bug) stays what it was.
 */
export function writeFailure(error: unknown, file: string, label: { what?: string; stage?: Stage } = {}): ToolError {
  if (error instanceof ToolError || !isWriteErrno(error)) return toToolError(error, label.stage);
  const code = errnoName(error)!;
  const [why, expected] = REASONS[code]!;
  return new ToolError(
    'OUTPUT_WRITE_FAILED',
    label.stage ?? 'report',
    `${label.what ? `${label.what} ` : ''}${file}: cannot write: ${why} (${code}); expected ${expected}`,
    { cause: error },
  );
}

/** A tool's words for a write that failed for lack of room or rights, as the errno they stand for. */
export const FULL_DISK_WORDS: [RegExp, string][] = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
];

/** The errno a tool's message means when it says the disk is full or read-only; null otherwise. */
export function fullDiskErrno(message: string): string | null {
  return FULL_DISK_WORDS.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}
