/** The failure bootFailure() makes of a captured log that ends in a panic (test/fixtures/xen). */
import type { ToolError } from '../../src/base/errors.js';
import { bootFailure } from '../../src/pipeline/boot-outcome.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { fixtureLines } from './fixtures.js';

export function panicFailureOf(log: string, imageIsArm64 = true): ToolError {
  const lines = fixtureLines(`xen/${log}`);
  const parsed = parseXenLog(lines);
  const panic = parsed.events.find((e) => e.kind === 'panic')!;
  return bootFailure({
    wait: { status: 'matched', value: { kind: 'fatal', event: panic }, atMs: 700 },
    ...parsed,
    lastXenLine: lines.at(-1)!,
    serialTail: lines.slice(-20),
    timeoutMs: 60_000,
    xenTimeoutMs: 15_000,
    imageIsArm64,
  })!;
}
