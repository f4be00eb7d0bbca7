/** Files removed when the process exits however it exits (process.exit after a signal included): a half-written bundle. */
import { rmSync } from 'node:fs';

const pending = new Set<string>();
let hooked = false;

/** Removes `file` at exit unless `forget` is called first; returns `forget`. */
export function removeAtExit(file: string): () => void {
  pending.add(file);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const path of pending) rmSync(path, { force: true });
    });
  }
  return () => void pending.delete(file);
}
