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
}

const STAGE_CASE: Record<string, string> = {
  build: 'build',
  'qemu-start': 'QEMU start',
  'xen-boot': 'Xen hand-over',
  handover: 'Xen hand-over',
  layout: 'layout learned',
  overlay: 'overlay written',
  dom0: 'Dom0 up',
  converge: 'converged',
  drift: 'converged',
};

function failureCase(report: ReportJson): Case['failure'] {
  const f = report.failure!;
  const tail = [f.details.serialTail, f.details.logTail, f.details.dom0Lines].find(Array.isArray) as string[] | undefined;
  return { type: f.code, message: f.message, body: `${f.message}\n${tail ? `\n--- last lines ---\n${tail.join('\n')}\n` : ''}` };
}

/** The stages of one pass (or of learn's single boot), passed up to the failing one. */
function reportCases(report: ReportJson): Case[] {
  const cases: Case[] = [];
  const failed = report.failure ? (STAGE_CASE[report.failure.stage] ?? 'setup') : null;
  const passes = report.passes ?? [];
  const bootOnly = report.passes === undefined;
  const rounds = bootOnly ? report.boots.map((_, i) => i) : passes.map((_, i) => i);
  if (rounds.length === 0 && failed) {
    return [{ name: failed === 'build' ? 'pass 1: build' : failed, seconds: 0, failure: failureCase(report) }];
  }
  for (const i of rounds) {
    const last = i === rounds.length - 1;
    const pass = passes[i];
    const boot = report.boots[pass ? pass.boot : i];
    const prefix = bootOnly ? '' : `pass ${i + 1}: `;
    const d = boot?.durations;
    const stages: [string, number][] = [];
    if (pass) stages.push([i === 0 ? 'build' : 'rebuild', pass.build.ms / 1000]);
    stages.push(['QEMU start', (d?.qemuStartToFirstXenLineMs ?? 0) / 1000]);
    stages.push(['Xen hand-over', ((d?.qemuStartToHandoverMs ?? 0) - (d?.qemuStartToFirstXenLineMs ?? 0)) / 1000]);
    stages.push(['layout learned', 0]);
    if (pass?.rebuildNeeded && !last) stages.push(['overlay written', 0]);
    if (boot && boot.dom0.status !== 'not-watched') stages.push(['Dom0 up', (boot.dom0.upAfterMs ?? 0) / 1000]);
    for (const [stage, seconds] of stages) {
      const failing = last && failed !== null && (stage === failed || (failed === 'build' && stage === 'rebuild'));
      cases.push({ name: `${prefix}${stage}`, seconds: Math.max(0, seconds), failure: failing ? failureCase(report) : undefined });
      if (failing) return cases;
    }
  }
  if (!bootOnly) cases.push({ name: 'converged', seconds: 0, failure: failed === 'converged' ? failureCase(report) : undefined });
  if (failed && !cases.some((c) => c.failure)) cases.push({ name: failed, seconds: 0, failure: failureCase(report) });
  return cases;
}

function suite(name: string, cases: Case[], seconds: number, timestamp: string): string {
  const failures = cases.filter((c) => c.failure).length;
  const body = cases
    .map((c) => {
      const open = `    <testcase classname="${xmlSafe(name)}" name="${xmlSafe(c.name)}" time="${c.seconds.toFixed(3)}"`;
      if (!c.failure) return `${open}/>`;
      return `${open}>\n      <failure type="${xmlSafe(c.failure.type)}" message="${xmlSafe(c.failure.message)}">${xmlSafe(c.failure.body)}</failure>\n    </testcase>`;
    })
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="xen-dom0-boot" tests="${cases.length}" failures="${failures}" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="${xmlSafe(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds.toFixed(3)}" timestamp="${xmlSafe(timestamp)}">`,
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
