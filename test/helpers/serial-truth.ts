/**
 * The layout as a person reads it off serial.log with plain greps: an independent check
 * of the parser in integration tests (no code shared with src/xen).
 */
import { readFileSync } from 'node:fs';

const h = (s: string): string => `0x${BigInt(s.startsWith('0x') ? s : `0x${s}`).toString(16)}`;

export function grepLayout(serialLog: string): {
  banks: string[][];
  grant: string[] | null;
  regions: string[][];
  ppi: number | null;
} {
  const text = readFileSync(serialLog, 'latin1').replaceAll('\r', '');
  const banks = [...text.matchAll(/^\(XEN\) (?:\[[^\]]*\] )?BANK\[\d+\] (0x[0-9a-f]+)-(0x[0-9a-f]+)/gm)].map((m) => [h(m[1]!), h(m[2]!)]);
  const grant = /Grant table range: (0x[0-9a-f]+)-(0x[0-9a-f]+)/.exec(text);
  const regions = [...text.matchAll(/extended region \d+: (0x[0-9a-f]+)->(0x[0-9a-f]+)/g)].map((m) => [h(m[1]!), h(m[2]!)]);
  const ppi = /Allocating PPI (\d+) for event channel/.exec(text);
  return { banks, grant: grant ? [h(grant[1]!), h(grant[2]!)] : null, regions, ppi: ppi ? Number(ppi[1]) : null };
}
