/** Puts test/fixtures/fake-west first on PATH and a minimal ZEPHYR_BASE in process.env (the west builder reads it). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

export const FAKE_WEST_DIR = path.join(FIXTURES, 'fake-west');
export const FAKE_WEST = path.join(FAKE_WEST_DIR, 'west');
/** What the fake writes to <dir>/zephyr/zephyr.bin. */
export const FAKE_IMAGE_BYTES = 'fake-zephyr'.length;

const KEYS = ['PATH', 'ZEPHYR_BASE', 'FAKE_WEST_LOG', 'FAKE_WEST_MODE'] as const;
type Key = (typeof KEYS)[number];

/** A folder that looks like a Zephyr tree to requireZephyrBase (an empty CMakeLists.txt). */
export function fakeZephyrBase(): string {
  const base = path.join(tempDir('zephyr-base'), 'zephyr');
  mkdirSync(base, { recursive: true });
  writeFileSync(path.join(base, 'CMakeLists.txt'), '');
  return base;
}

/** Sets process.env; returns the function that puts every touched variable back (or deletes it). */
export function setEnv(vars: Partial<Record<Key, string | undefined>>): () => void {
  const saved = new Map<Key, string | undefined>(KEYS.map((k) => [k, process.env[k]]));
  for (const [key, value] of Object.entries(vars) as [Key, string | undefined][]) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** The fake's env: PATH starting with its folder, a fake ZEPHYR_BASE, its argv log. */
export function fakeWestEnv(log: string, mode?: 'fail' | 'hang'): () => void {
  return setEnv({
    PATH: `${FAKE_WEST_DIR}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
    ZEPHYR_BASE: fakeZephyrBase(),
    FAKE_WEST_LOG: log,
    FAKE_WEST_MODE: mode,
  });
}

/** Each call the fake recorded, as its argv. */
export function recordedCalls(log: string): string[][] {
  let text: string;
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return [];
  }
  const calls: string[][] = [];
  let current: string[] = [];
  for (const line of text.split('\n').slice(0, -1)) {
    if (line === '----') {
      calls.push(current);
      current = [];
    } else current.push(line);
  }
  return calls;
}
