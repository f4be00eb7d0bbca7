/** A fresh temporary folder per test file. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const tempDir = (prefix: string): string => mkdtempSync(path.join(tmpdir(), `xdb-${prefix}-`));
