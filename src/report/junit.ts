/** Pure: report.json's steps to JUnit XML (every command, drift's combinations included), valid whatever bytes the serial log held. */
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

/** A failure's message with the last serial (or build, or Dom0) lines under it. */
function failureBody(message: string, tail: string[] | undefined): string {
  return `${message}\n${tail && tail.length > 0 ? `\n--- last lines ---\n${tail.join('\n')}\n` : ''}`;
}

function failureCase(report: ReportJson): NonNullable<Case['failure']> {
  const f = report.failure!;
  const tail = [f.details.serialTail, f.details.logTail, f.details.dom0Lines].find(Array.isArray);
  return { type: f.code, message: f.message, body: failureBody(f.message, tail) };
}

/** What every suite carries besides its cases: the run's inputs and versions, and the serial tail of its last boot. */
export interface SuiteExtras {
  properties: [string, string][];
  systemOut: string;
}

/** The suite's <properties>: the inputs (scalars and lists) and the versions that ran, flattened to name/value. */
export function junitProperties(report: ReportJson, versions: Record<string, unknown> | null): [string, string][] {
  const out: [string, string][] = [['command', report.command]];
  const add = (prefix: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    // A list as JSON: one item with a comma stays one item.
    if (Array.isArray(value)) out.push([prefix, JSON.stringify(value)]);
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${prefix}.${k}`, v);
    else out.push([prefix, String(value)]);
  };
  add('inputs', report.inputs);
  add('versions', versions);
  return out;
}

/** A step's own failure (a drift combination's), when it is not the run's. */
export interface StepFailure {
  type: string;
  message: string;
  tail?: string[];
}

/**
 * One case per step of the run, in order (the plan's steps, so the same cases whether the run
 * passed or failed); the run's failure on the last failed step that has no failure of its own,
 * else on a case of its own named after its stage.
 */
function reportCases(report: ReportJson, own: ReadonlyMap<string, StepFailure>): Case[] {
  const failing = report.steps.filter((s) => (s.status === 'failed' || s.status === 'interrupted') && !own.has(s.name)).at(-1);
  const cases: Case[] = report.steps.map((step) => {
    const c: Case = { name: step.name, seconds: step.ms / 1000 };
    if (step.status === 'skipped') c.skipped = step.detail ?? '';
    if (step.status === 'failed' || step.status === 'interrupted') {
      const mine = own.get(step.name);
      if (mine) c.failure = { type: mine.type, message: mine.message, body: failureBody(mine.message, mine.tail) };
      else if (step === failing && report.failure) c.failure = failureCase(report);
      else c.failure = { type: step.detail ?? 'failed', message: step.detail ?? 'failed', body: '' };
    }
    return c;
  });
  if (report.failure && !(failing && cases.some((c) => c.name === failing.name))) {
    const name = cases.some((c) => c.name === report.failure!.stage)
      ? `${report.failure.stage}: ${report.failure.code}`
      : report.failure.stage;
    cases.push({ name, seconds: 0, failure: failureCase(report) });
  }
  return cases;
}

function suite(name: string, cases: Case[], seconds: number, timestamp: string, extras: SuiteExtras): string {
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
    '    <properties>',
    ...extras.properties.map(([k, v]) => `      <property name="${xmlSafe(k)}" value="${xmlSafe(v)}"/>`),
    '    </properties>',
    body,
    `    <system-out>${xmlSafe(extras.systemOut)}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const NO_EXTRAS: SuiteExtras = { properties: [], systemOut: '' };

/** One case per step of the run (the plan's steps, run or skipped); drift's combinations are steps too. */
export function reportToJunit(
  report: ReportJson,
  extras: SuiteExtras = NO_EXTRAS,
  own: ReadonlyMap<string, StepFailure> = new Map(),
): string {
  return suite(
    `xen-dom0-boot ${report.command}`,
    reportCases(report, own),
    (report.durations.totalMs ?? 0) / 1000,
    report.startedAt,
    extras,
  );
}
