/**
 * The kernel's parent-death signal around a child: util-linux `setpriv --pdeathsig KILL -- cmd`
 * sets PR_SET_PDEATHSIG and execs the command (same pid), so the command is killed when the tool
 * dies, even by SIGKILL, with no cooperation from it. The signal fires when the thread that forked
 * dies: Node spawns from its main thread, whose death is the tool's.
 */
import path from 'node:path';
import { accessSync, constants, statSync } from 'node:fs';
import { which } from './which.js';

/** Where the command really is, or why it cannot run (ENOENT, EACCES), found before spawning. */
export type Resolved = { file: string } | { error: 'ENOENT' | 'EACCES' };

/**
 * Resolves `file` as execvp would (PATH for a bare name, `cwd` for a relative path), so that a
 * missing command is known before spawning instead of being setpriv's exit code 127.
 */
export function resolveCommand(file: string, cwd: string | undefined, envPath: string | undefined): Resolved {
  if (!file.includes('/')) {
    const found = which(file, envPath ?? '');
    return found ? { file: found } : { error: 'ENOENT' };
  }
  const full = path.resolve(cwd ?? process.cwd(), file);
  try {
    accessSync(full, constants.X_OK);
    return statSync(full).isFile() ? { file: full } : { error: 'EACCES' };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'ENOENT' : 'EACCES' };
  }
}

let setpriv: string | null | undefined;

/** setpriv's path (looked up once, in the usual places first), or null where util-linux's is missing. */
export function setprivPath(): string | null {
  if (setpriv === undefined) {
    setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => which(p)) ?? which('setpriv');
  }
  return setpriv;
}

/** `file argv...` wrapped so the kernel kills it when the tool dies; unchanged where setpriv is missing. */
export function withParentDeath(file: string, argv: string[]): { file: string; argv: string[] } {
  const wrapper = setprivPath();
  return wrapper ? { file: wrapper, argv: ['--pdeathsig', 'KILL', '--', file, ...argv] } : { file, argv };
}
