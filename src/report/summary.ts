/** The short human summary printed after a run (stdout); pure text from the report, every line within 80 columns. */
import type { RangeJson } from '../xen/layout-json.js';
import { fitLine, SUMMARY_WIDTH } from './fit.js';
import { withoutControls } from './progress/style.js';
import type { ReportJson } from './report.js';

const r = (range: RangeJson): string => `${range.start}-${range.end}`;

function sizeOf(range: RangeJson): string {
  const bytes = BigInt(range.end) - BigInt(range.start);
  const mib = bytes / 0x100000n;
  return bytes % 0x100000n === 0n ? `${mib} MiB` : `${bytes / 1024n} KiB`;
}

/** Two lines per pass: build and boot, then (indented) what the pass found. */
function passLines(report: ReportJson): string[] {
  return (report.passes ?? []).flatMap((pass) => {
    const boot = report.boots[pass.boot];
    const d = boot?.durations;
    const bootText = d ? `boot ${d.qemuLifetimeMs} ms (hand-over ${d.qemuStartToHandoverMs ?? '-'} ms)` : 'no boot';
    let verdict: string;
    if (pass.learned === null) verdict = 'Xen failed';
    else if (pass.rebuildNeeded) {
      const dom0 = boot?.dom0.status === 'failed' ? `; Dom0 as built: ${boot.dom0.failureLine}` : '';
      verdict = `Xen placed Dom0 elsewhere (${pass.changes.map((c) => c.field).join(', ')}) -> rebuild${dom0}`;
    } else if (boot?.dom0.status === 'up') verdict = `layout matches the build; Dom0 up ${boot.dom0.upAfterMs} ms after the hand-over`;
    else verdict = `layout matches the build; Dom0 ${boot?.dom0.status ?? '?'}`;
    const buildText = pass.build.reused
      ? `build reused (${pass.build.imageSize} bytes, unchanged)`
      : `build ${pass.build.ms} ms (${pass.build.imageSize} bytes)`;
    return [`pass ${pass.pass}: ${buildText}, ${bootText}`, `  ${verdict}`];
  });
}

/** How pass 1's layout was obtained (a lock, a record, a probe boot or the placeholder), then (indented) why. */
function startLine(report: ReportJson): string[] {
  const start = report.start;
  if (!start) return [];
  const probe = start.probe;
  const boot = probe?.boot != null ? report.boots[probe.boot] : undefined;
  const how: Record<typeof start.from, string> = {
    'lock file': 'the lock file',
    recorded: `a layout recorded by an earlier boot with the same inputs (${start.recorded?.run ?? '?'})`,
    'probe boot': `a probe boot with a stand-in image of ${probe?.imageSize} bytes (${probe?.sizeFrom}), ${boot?.durations?.qemuLifetimeMs ?? '?'} ms`,
    placeholder: "the seed's placeholder",
  };
  return [`start: ${how[start.from]}`, `  ${start.reason}`];
}

/** The summary of a learn, boot or check run. */
export function renderSummary(report: ReportJson): string {
  const lines: string[] = [];
  // Each line (a message's own lines too) within 80 columns, with no control characters (serial text can hold any).
  const say = (...texts: string[]): void =>
    void lines.push(...texts.flatMap((text) => text.split('\n')).flatMap((line) => fitLine(withoutControls(line))));
  say(...startLine(report), ...passLines(report));
  const layout = report.layout;
  if (layout) {
    say(`Xen ${layout.xenVersion ?? '(version not seen)'} placed Dom0 at:`);
    layout.dom0Banks.forEach((bank, i) => say(`  memory bank ${i}      ${r(bank)} (${sizeOf(bank)})`));
    if (layout.grantTable) say(`  grant table        ${r(layout.grantTable)} (${sizeOf(layout.grantTable)})`);
    layout.extendedRegions.forEach((region, i) => say(`  extended region ${i}  ${r(region)}`));
    if (layout.eventChannelPpi !== null) {
      say(`  event channel      PPI ${layout.eventChannelPpi} (GIC_PPI ${layout.eventChannelPpi - 16} in a devicetree)`);
    }
    if (layout.kernel) say(`  kernel loaded at   ${r(layout.kernel)}`);
    if (layout.dom0Dtb) say(`  Dom0 DTB at        ${r(layout.dom0Dtb)}`);
  }
  const boot = report.boots[0];
  const d = boot?.durations;
  if (d && !report.passes) {
    const handover = d.qemuStartToHandoverMs === null ? 'no hand-over' : `hand-over after ${d.qemuStartToHandoverMs} ms`;
    say(`Boot: ${handover}; QEMU ran ${d.qemuLifetimeMs} ms; run took ${report.durations.totalMs ?? '?'} ms.`);
  }
  for (const warning of report.warnings ?? []) say(`Warning: ${warning}`);
  if (report.failure) {
    say(`FAILED at ${report.failure.stage} (${report.failure.code}): ${report.failure.message}`);
    const tail = report.failure.details.serialTail;
    if (Array.isArray(tail) && tail.length > 0) {
      say('Last serial lines:');
      for (const line of tail.slice(-8)) lines.push(...fitLine(`  | ${withoutControls(String(line))}`, SUMMARY_WIDTH, '  |   '));
    }
  } else if (report.passes && report.converged) {
    const n = report.passes.length;
    say(
      `Dom0 up. Converged in ${n} pass${n === 1 ? '' : 'es'}${n === 1 ? ', no rebuild' : ''}; run took ${report.durations.totalMs ?? '?'} ms.`,
    );
    say(`Overlay: ${report.overlay}`, `Lock:    ${report.lockFile}`);
  } else {
    say('Result: ok');
  }
  say(`Report: ${report.runDir}/report.json`);
  return `${lines.join('\n')}\n`;
}
