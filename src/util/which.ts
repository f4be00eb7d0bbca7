/** Finds executables on PATH without a shell. */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** True when `file` exists, is a regular file and is executable by us. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** First executable named `name` on PATH, or null. */
export function which(name: string, envPath = process.env.PATH ?? ''): string | null {
  if (name.includes('/')) return isExecutable(name) ? path.resolve(name) : null;
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}
