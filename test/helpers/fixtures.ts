/** Reads real captured serial logs from test/fixtures as lines, the way the tool's splitter makes them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../../src/serial/lines.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function fixtureBytes(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

export function fixtureLines(name: string): string[] {
  const splitter = new LineSplitter();
  return [...splitter.push(fixtureBytes(name)), ...splitter.end()];
}
