/**
 * The process groups of a tool that died: a tiny `sh` started once per run, told each child's
 * group (`+PGID`, `-PGID` lines on its stdin). When its stdin closes, the tool is gone however it
 * ended (SIGKILL included: the kernel closes the pipe), and it kills every group still listed. The
 * parent-death signal (pdeathsig.ts) kills QEMU or a build's first process; this kills what they
 * started (compilers under make, a build's background jobs), which the kernel signal never reaches.
 */
import { execa } from 'execa';
import { which } from './which.js';

// A constant script: the only data it reads are the group numbers the tool writes. It keeps the
// list in "$@" (POSIX sh has no arrays) and ignores the terminal's signals, as it leads its own group.
const GUARD = `trap '' HUP INT
while read -r line; do
  case $line in
    +*) set -- "$@" "\${line#+}" ;;
    -*) pg=\${line#-}; for g do shift; [ "$g" = "$pg" ] || set -- "$@" "$g"; done ;;
  esac
done
for g do kill -s KILL -- "-$g" 2>/dev/null; done
`;

interface Guard {
  write(line: string): void;
}

let guard: Guard | null | undefined;

function startGuard(): Guard | null {
  const sh = which('/bin/sh') ?? which('sh');
  if (!sh) return null;
  try {
    const child = execa(sh, ['-c', GUARD], {
      stdin: 'pipe',
      stdout: 'ignore',
      stderr: 'ignore',
      buffer: false,
      reject: false,
      cleanup: false,
      // its own group: a Ctrl-C or a kill of the tool's job does not reach it
      detached: true,
    });
    child.catch(() => undefined);
    const stdin = child.stdin;
    if (child.pid === undefined || !stdin) return null;
    // Neither the guard nor its pipe may keep the tool alive.
    child.unref();
    (stdin as unknown as { unref?: () => void }).unref?.();
    let broken = false;
    stdin.on('error', () => {
      broken = true;
    });
    return {
      write(line: string) {
        if (!broken) stdin.write(line);
      },
    };
  } catch {
    return null;
  }
}

/** Lists `pgid` with the guard until the returned function is called (after the group was killed). */
export function guardGroup(pgid: number): () => void {
  guard ??= startGuard();
  const current = guard;
  if (!current) return () => undefined;
  current.write(`+${pgid}\n`);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    current.write(`-${pgid}\n`);
  };
}
