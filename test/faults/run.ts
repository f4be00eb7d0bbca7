/** `npm run test:faults`: every failure named, nothing left running, nothing of the user's changed. */
import { buildGuests } from './guests.js';
import { runScenario, type Row } from './harness.js';
import { scenarios } from './scenarios.js';
import { filesScenarios } from './scenarios-files.js';
import { inputsScenarios } from './scenarios-inputs.js';
import { processScenarios } from './scenarios-process.js';
import { runScenarios } from './scenarios-run.js';

const only = process.argv.slice(2);
const guests = await buildGuests();
const rows: Row[] = [];
const all = [
  ...scenarios(guests),
  ...processScenarios(guests),
  ...filesScenarios(guests),
  ...inputsScenarios(guests),
  ...runScenarios(guests),
];
for (const scenario of all.filter((s) => only.length === 0 || only.includes(s.name))) {
  const row = await runScenario(scenario);
  rows.push(row);
  const mark = row.ok ? 'PASS' : 'FAIL';
  process.stdout.write(
    `${mark}  ${row.name.padEnd(32)} expected ${row.expect.padEnd(18)} got ${row.got.padEnd(18)} leftover ${String(row.leftover.length).padStart(2)}  files changed ${String(row.changed.length).padStart(2)}  ${String(row.ms).padStart(6)} ms  ${row.note}\n`,
  );
  for (const p of row.leftover) process.stdout.write(`        leftover process: ${p}\n`);
  for (const f of row.changed) process.stdout.write(`        user file changed: ${f}\n`);
  for (const r of row.reports) process.stdout.write(`        report: ${r}\n`);
}
const passed = rows.filter((r) => r.ok).length;
const failedRuns = rows.filter((r) => r.got !== 'ok').length;
process.stdout.write(
  `\nfaults: ${rows.length} scenarios; report.json and JUnit checked after every failed run (${failedRuns} scenarios failed as expected)\n${passed} passed, ${rows.length - passed} failed\n`,
);
process.exitCode = passed === rows.length && rows.length > 0 ? 0 : 1;
