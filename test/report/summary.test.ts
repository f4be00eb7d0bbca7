/** renderSummary: the lines a person reads after learn, boot and check, successful or not. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BootJson, FailureJson, PassJson, ReportJson } from '../../src/report/report.js';
import { renderSummary } from '../../src/report/summary.js';
import { layoutToJson, type LayoutJson } from '../../src/xen/layout-json.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { fixtureLines } from '../helpers/fixtures.js';
import { panicFailureOf } from '../helpers/boot-failure.js';
import { emptyLayout } from '../../src/xen/layout.js';

const RUN = '/runs/2026-01-01T00-00-00';

/** Every line of a summary fits 80 columns (the rule the human output keeps). */
function assertFits(text: string): void {
  for (const line of text.split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
}
const learned = (name: string): LayoutJson => layoutToJson(parseXenLog(fixtureLines(`xen/${name}`)).layout);

function report(over: Partial<ReportJson>): ReportJson {
  return {
    $schema: 'x',
    schemaVersion: 2,
    tool: { name: 'xen-dom0-boot', version: '0.1.0' },
    command: 'learn',
    result: 'ok',
    failure: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:01.000Z',
    runDir: RUN,
    inputs: null,
    steps: [],
    layout: null,
    boots: [],
    durations: { totalMs: 1500 },
    warnings: [],
    ...over,
  };
}

function boot(over: { handoverMs: number | null; lifetimeMs: number; dom0?: Partial<BootJson['dom0']> }): BootJson {
  return {
    qemuArgv: [],
    qemuCommand: 'qemu-system-aarch64 ...',
    serialLog: `${RUN}/serial.log`,
    dtb: null,
    stopReason: 'handed-over',
    serialLines: 59,
    events: [],
    dom0: { status: 'not-watched', seen: [], missing: [], failureLine: null, lines: [], upAfterMs: null, ...over.dom0 },
    attempts: 1,
    durations: {
      qemuStartToFirstXenLineMs: 100,
      qemuStartToHandoverMs: over.handoverMs,
      qemuStartToDom0UpMs: null,
      stopMs: 5,
      qemuLifetimeMs: over.lifetimeMs,
    },
  };
}

function pass(n: number, over: Partial<PassJson> & { reused?: boolean; ms?: number }): PassJson {
  const { reused = false, ms = 5300, ...rest } = over;
  return {
    pass: n,
    dir: `${RUN}/pass-${n}`,
    overlay: `${RUN}/pass-${n}/dom0.overlay`,
    built: learned('xen417-6G-256M.log'),
    learned: learned('xen417-6G-256M.log'),
    changes: [],
    rebuildNeeded: false,
    build: {
      image: '/b/zephyr.bin',
      imageSize: 123456,
      ms,
      reused,
      log: `${RUN}/pass-${n}/build.log`,
      commands: [],
      verified: [],
      targets: 'default',
    },
    boot: n - 1,
    ...rest,
  };
}

describe('renderSummary: learn', () => {
  it('prints the learned layout of a real Xen 4.17 boot with sizes, the PPI as GIC_PPI, the boot times and "Result: ok"', () => {
    const text = renderSummary(report({ layout: learned('xen417-6G-256M.log'), boots: [boot({ handoverMs: 812, lifetimeMs: 900 })] }));
    assert.equal(
      text,
      [
        'Xen 4.17.7 placed Dom0 at:',
        '  memory bank 0      0x50000000-0x60000000 (256 MiB)',
        '  grant table        0x40200000-0x40240000 (256 KiB)',
        '  extended region 0  0x40400000-0x50000000',
        '  extended region 1  0x60000000-0x1c0000000',
        '  event channel      PPI 16 (GIC_PPI 0 in a devicetree)',
        '  kernel loaded at   0x50000000-0x50001000',
        '  Dom0 DTB at        0x58000000-0x58001c2f',
        'Boot: hand-over after 812 ms; QEMU ran 900 ms; run took 1500 ms.',
        'Result: ok',
        `Report: ${RUN}/report.json`,
        '',
      ].join('\n'),
    );
  });

  it('sizes two banks, one above 4 GiB, exactly (dom0_mem=3G)', () => {
    const text = renderSummary(report({ layout: learned('xen417-6G-3G-two-banks.log') }));
    assert.match(text, /^ {2}memory bank 0 {6}0x50000000-0x100000000 \(2816 MiB\)$/m);
    assert.match(text, /^ {2}memory bank 1 {6}0x1a0000000-0x1b0000000 \(256 MiB\)$/m);
    assert.equal(text.match(/extended region \d/g)?.length, 3);
  });

  it('leaves out what Xen did not print, and says when it never printed its version', () => {
    const layout: LayoutJson = { ...learned('xen420-6G-256M.log'), xenVersion: null, kernel: null, dom0Dtb: null, eventChannelPpi: null };
    const text = renderSummary(report({ layout }));
    assert.match(text, /^Xen \(version not seen\) placed Dom0 at:$/m);
    assert.doesNotMatch(text, /kernel loaded at|Dom0 DTB at|event channel/);
    assert.match(text, /grant table/);
  });

  it('says "no hand-over" and "?" for an unknown total time', () => {
    const text = renderSummary(report({ durations: {}, boots: [boot({ handoverMs: null, lifetimeMs: 4000 })] }));
    assert.match(text, /^Boot: no hand-over; QEMU ran 4000 ms; run took \? ms\.$/m);
  });
});

describe('renderSummary: failures', () => {
  it('ends with the FAILED line and the last 8 serial lines of a real panic, after the warnings', () => {
    const error = panicFailureOf('xen417-bad-image-panic.log', false);
    const failure = { stage: error.stage, code: error.code, exitCode: error.exitCode, message: error.message, details: error.details };
    const text = renderSummary(
      report({
        result: 'failed',
        failure,
        boots: [boot({ handoverMs: null, lifetimeMs: 800 })],
        warnings: ['QEMU 7.2.22 is older than 8.2'],
      }),
    );
    assertFits(text);
    const out = text.split('\n');
    // The FAILED line is wrapped between words at 80 columns, its continuation indented.
    const at = out.indexOf('FAILED at xen-boot (DOM0_NOT_BUILT): Xen could not build Dom0: "Could not set up');
    assert.ok(at > 0, text);
    assert.equal(out[at + 1], '  DOM0 guest OS" (the image has no arm64 Image header)');
    assert.equal(out[at - 1], 'Warning: QEMU 7.2.22 is older than 8.2');
    assert.equal(out[at + 2], 'Last serial lines:');
    const tail = fixtureLines('xen/xen417-bad-image-panic.log').slice(-8);
    assert.ok(
      tail.every((line) => line.length <= 76),
      'these serial lines need no wrapping',
    );
    assert.deepEqual(
      out.slice(at + 3, at + 11),
      tail.map((line) => `  | ${line}`),
    );
    assert.ok(out.includes('  | (XEN) Could not set up DOM0 guest OS'));
    assert.equal(out[at + 11], `Report: ${RUN}/report.json`);
    assert.doesNotMatch(text, /Result: ok|Dom0 up/);
  });

  it('prints no serial block when the tail is empty or not a list', () => {
    for (const details of [{ serialTail: [] }, { serialTail: 'nope' }, {}]) {
      // A hand-edited report may hold anything: the summary must not trust the type.
      const failure = {
        stage: 'qemu-start',
        code: 'QEMU_EXITED',
        exitCode: 5,
        message: 'QEMU exited with code 1',
        details: details as FailureJson['details'],
      };
      const text = renderSummary(report({ result: 'failed', failure }));
      assert.match(text, /^FAILED at qemu-start \(QEMU_EXITED\): QEMU exited with code 1$/m);
      assert.doesNotMatch(text, /Last serial lines/);
    }
  });
});

describe('renderSummary: boot and check', () => {
  it('boot converged in two passes: a rebuild line naming the moved fields and Dom0 as built, then Dom0 up', () => {
    const moved: LayoutJson = learned('xen417-6G-1G.log');
    const text = renderSummary(
      report({
        command: 'boot',
        layout: learned('xen417-6G-256M.log'),
        boots: [
          boot({ handoverMs: 800, lifetimeMs: 2100, dom0: { status: 'failed', failureLine: 'FATAL: bad address' } }),
          boot({ handoverMs: 790, lifetimeMs: 1900, dom0: { status: 'up', upAfterMs: 37 } }),
        ],
        durations: { totalMs: 9000 },
        passes: [
          pass(1, {
            built: moved,
            rebuildNeeded: true,
            changes: [
              { field: 'dom0Banks', from: moved.dom0Banks, to: [] },
              { field: 'extendedRegions', from: [], to: [] },
            ],
          }),
          pass(2, { reused: true }),
        ],
        converged: true,
        overlay: '/app/dom0.overlay',
        lockFile: '/app/dom0.overlay.lock.json',
      }),
    );
    assertFits(text);
    const out = text.split('\n');
    assert.deepEqual(out.slice(0, 6), [
      'pass 1: build 5300 ms (123456 bytes), boot 2100 ms (hand-over 800 ms)',
      '  Xen placed Dom0 elsewhere (dom0Banks, extendedRegions) -> rebuild; Dom0 as',
      '    built: FATAL: bad address',
      'pass 2: build reused (123456 bytes, unchanged), boot 1900 ms (hand-over 790 ms)',
      '  layout matches the build; Dom0 up 37 ms after the hand-over',
      'Xen 4.17.7 placed Dom0 at:',
    ]);
    assert.ok(!out.some((line) => line.startsWith('Boot: ')), 'no learn-style boot line when there are passes');
    assert.deepEqual(out.slice(-5), [
      'Dom0 up. Converged in 2 passes; run took 9000 ms.',
      'Overlay: /app/dom0.overlay',
      'Lock:    /app/dom0.overlay.lock.json',
      `Report: ${RUN}/report.json`,
      '',
    ]);
  });

  it('check that confirms the lock: one pass, "no rebuild"', () => {
    const text = renderSummary(
      report({
        command: 'check',
        layout: learned('xen420-6G-256M.log'),
        boots: [boot({ handoverMs: 500, lifetimeMs: 1200, dom0: { status: 'up', upAfterMs: 12 } })],
        passes: [pass(1, { ms: 40 })],
        converged: true,
        overlay: '/app/dom0.overlay',
        lockFile: '/app/dom0.overlay.lock.json',
      }),
    );
    assertFits(text);
    assert.match(
      text,
      /^pass 1: build 40 ms \(123456 bytes\), boot 1200 ms \(hand-over 500 ms\)\n {2}layout matches the build; Dom0 up 12 ms after the hand-over$/m,
    );
    assert.match(text, /^Dom0 up\. Converged in 1 pass, no rebuild; run took 1500 ms\.$/m);
  });

  it('check that found drift: the pass says rebuild, the FAILED line says DRIFT, no "Dom0 up"', () => {
    const text = renderSummary(
      report({
        command: 'check',
        result: 'failed',
        failure: {
          stage: 'drift',
          code: 'DRIFT',
          exitCode: 16,
          message: "Xen's layout drifted from the lock file",
          details: { changes: [] },
        },
        boots: [boot({ handoverMs: 500, lifetimeMs: 1200, dom0: { status: 'silent' } })],
        passes: [pass(1, { rebuildNeeded: true, changes: [{ field: 'grantTable', from: null, to: null }] })],
        converged: false,
      }),
    );
    assertFits(text);
    assert.match(text, /^ {2}Xen placed Dom0 elsewhere \(grantTable\) -> rebuild$/m, 'a silent Dom0 adds no "as built" part');
    assert.match(text, /^FAILED at drift \(DRIFT\): Xen's layout drifted from the lock file$/m);
    assert.doesNotMatch(text, /Dom0 up|Overlay:|Lock:/);
  });

  it('a pass whose boot Xen failed, a pass with no boot, and a Dom0 that did not come up', () => {
    const text = renderSummary(
      report({
        command: 'boot',
        result: 'failed',
        failure: { stage: 'dom0', code: 'DOM0_SILENT', exitCode: 13, message: 'Dom0 printed nothing', details: {} },
        boots: [boot({ handoverMs: null, lifetimeMs: 300 }), boot({ handoverMs: 400, lifetimeMs: 600, dom0: { status: 'silent' } })],
        passes: [pass(1, { learned: null }), pass(2, {}), pass(3, { boot: 7 })],
      }),
    );
    assertFits(text);
    assert.deepEqual(text.split('\n').slice(0, 6), [
      'pass 1: build 5300 ms (123456 bytes), boot 300 ms (hand-over - ms)',
      '  Xen failed',
      'pass 2: build 5300 ms (123456 bytes), boot 600 ms (hand-over 400 ms)',
      '  layout matches the build; Dom0 silent',
      'pass 3: build 5300 ms (123456 bytes), no boot',
      '  layout matches the build; Dom0 ?',
    ]);
  });
});

describe('renderSummary: 80 columns', () => {
  it('wraps a long warning and message, cuts a long serial line onto marked lines, keeps a long path whole', () => {
    const runDir = `/home/someone/projects/a-zephyr-app/runs/boot-20261201-224445-472-4902-${'x'.repeat(30)}`;
    const serial = `(XEN) ${'0123456789'.repeat(12)}`;
    const text = renderSummary(
      report({
        runDir,
        warnings: [`QEMU 7.2.22 (/usr/bin/qemu-system-aarch64, from PATH) is older than 8.2: its ARM generic timer may hang a Zephyr Dom0`],
        result: 'failed',
        failure: {
          stage: 'xen-boot',
          code: 'XEN_PANIC',
          exitCode: 7,
          message: `Xen panicked: ${'word '.repeat(30)}end`,
          details: { serialTail: [serial] },
        },
      }),
    );
    const lines = text.split('\n');
    assert.deepEqual(
      lines.filter((l) => l.length > 80),
      [`  ${runDir}/report.json`],
      'only the path is wider, on its own line',
    );
    assert.equal(lines.at(-3), 'Report:');
    assert.ok(lines.includes('Warning: QEMU 7.2.22 (/usr/bin/qemu-system-aarch64, from PATH) is older than'));
    assert.ok(lines.includes('  8.2: its ARM generic timer may hang a Zephyr Dom0'));
    const serialLines = lines.filter((l) => l.startsWith('  | '));
    assert.equal(serialLines.length, 2);
    assert.equal(serialLines.map((l, i) => l.slice(i === 0 ? 4 : 6)).join(''), serial, 'every character of the serial line kept');
    assert.match(text, /^FAILED at xen-boot \(XEN_PANIC\): Xen panicked: word word/m);
    assert.ok(text.includes('word end\n'));
  });
});

describe('renderSummary: robustness', () => {
  it('is deterministic and leaves the report as it was', () => {
    const r = report({
      command: 'boot',
      layout: learned('xen417-6G-3G-two-banks.log'),
      boots: [boot({ handoverMs: 800, lifetimeMs: 2100, dom0: { status: 'up', upAfterMs: 5 } })],
      passes: [pass(1, {})],
      converged: true,
      overlay: '/o',
      lockFile: '/o.lock.json',
      warnings: ['w'],
    });
    const before = structuredClone(r);
    const first = renderSummary(r);
    assert.equal(renderSummary(r), first);
    assert.equal(renderSummary(structuredClone(r)), first);
    assert.deepEqual(r, before);
  });

  it('never throws on a report with no boots and no passes, and still names the report', () => {
    const shapes: Partial<ReportJson>[] = [
      {},
      { passes: [] },
      { passes: [], result: 'failed', failure: { stage: 'build', code: 'BUILD_FAILED', exitCode: 4, message: 'west failed', details: {} } },
      {
        boots: [],
        layout: layoutToJson(emptyLayout()),
      },
    ];
    for (const shape of shapes) {
      const text = renderSummary(report(shape));
      assert.ok(text.endsWith(`Report: ${RUN}/report.json\n`), text);
      assert.doesNotMatch(text, /^Boot: /m);
    }
    assert.match(renderSummary(report({})), /^Result: ok$/m);
    assert.match(renderSummary(report(shapes[2]!)), /^FAILED at build \(BUILD_FAILED\): west failed$/m);
  });
});
