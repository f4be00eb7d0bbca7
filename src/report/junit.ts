/** Pure: report.json (learn, boot, check) or drift rows to JUnit XML, valid whatever bytes the serial log held. */
import type { DriftRow } from './drift-report.js';
import type { ReportJson } from './report.js';

/** Characters XML 1.0 cannot hold (C0 controls but tab/LF/CR, U+FFFE/FFFF, lone surrogates) become U+FFFD. */
export function xmlSafe(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Case {
  name: string;
  seconds: number;
  failure?: { type: string; message: string; body: string };
  skipped?: string;
}

function failureCase(report: ReportJson): NonNullable<Case['failure']> {
  const f = report.failure!;
  const tail = [f.details.serialTail, f.details.logTail, f.details.dom0Lines].find(Array.isArray);
  return { type: f.code, message: f.message, body: `${f.message}\n${tail ? `\n--- last lines ---\n${tail.join('\n')}\n` : ''}` };
}

/** One case per step of the run, in order; the run's failure on the step it stopped at (or a case of its own). */
function reportCases(report: ReportJson): Case[] {
  const cases: Case[] = [];
  let placed = false;
  for (const step of report.steps) {
    const c: Case = { name: step.name, seconds: step.ms / 1000 };
    if (step.status === 'skipped') c.skipped = step.detail ?? '';
    if (step.status === 'failed' || step.status === 'interrupted') {
      // The run's failure goes on the last step that failed; an earlier failed step (a drift row) carries its own code.
      const last = report.steps.filter((s) => s.status === 'failed' || s.status === 'interrupted').at(-1) === step;
      c.failure =
        report.failure && last ? failureCase(report) : { type: step.detail ?? 'failed', message: step.detail ?? 'failed', body: '' };
      if (last && report.failure) placed = true;
    }
    cases.push(c);
  }
  if (report.failure && !placed) cases.push({ name: report.failure.stage, seconds: 0, failure: failureCase(report) });
  return cases;
}

function suite(name: string, cases: Case[], seconds: number, timestamp: string): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="${xmlSafe(name)}" name="${xmlSafe(c.name)}" time="${c.seconds.toFixed(3)}"`;
      if (c.skipped !== undefined) return `${open}>\n      <skipped message="${xmlSafe(c.skipped)}"/>\n    </testcase>`;
      if (!c.failure) return `${open}/>`;
      return `${open}>\n      <failure type="${xmlSafe(c.failure.type)}" message="${xmlSafe(c.failure.message)}">${xmlSafe(c.failure.body)}</failure>\n    </testcase>`;
    })
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="xen-dom0-boot" tests="${cases.length}" failures="${failures}" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="${xmlSafe(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}" timestamp="${xmlSafe(timestamp)}">`,
    body,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function reportToJunit(report: ReportJson): string {
  return suite(`xen-dom0-boot ${report.command}`, reportCases(report), (report.durations.totalMs ?? 0) / 1000, report.startedAt);
}

/** One test case per drift combination; a failed combination is a failed case. */
export function driftToJunit(rows: DriftRow[], wallMs: number, startedAt: string): string {
  const cases: Case[] = rows.map((row) => {
    const c = row.combo;
    const name = `xen ${c.xenLabel}, -m ${c.memory}, dom0_mem=${c.dom0Mem}${c.xenArgs ? `, ${c.xenArgs}` : ''}`;
    const failure = row.failure ? { type: row.failure.code, message: row.failure.message, body: row.failure.message } : undefined;
    return { name, seconds: (row.bootMs ?? 0) / 1000, failure };
  });
  return suite('xen-dom0-boot drift', cases, wallMs / 1000, startedAt);
}
