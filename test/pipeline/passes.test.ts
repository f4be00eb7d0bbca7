/** The pass loop with fake builds and boots: what it decides, not how it boots. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BootRecord } from '../../src/pipeline/boot.js';
import { NOT_WATCHED, type Dom0Outcome } from '../../src/pipeline/dom0-watch.js';
import { runPasses, type PassDeps } from '../../src/pipeline/passes.js';
import { ToolError } from '../../src/base/errors.js';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import type { Layout } from '../../src/xen/layout.js';

function xenLayout(bank: bigint): Layout {
  return { ...placeholderLayout(), xenVersion: '4.17.7', dom0Banks: [{ index: 0, start: bank, end: bank + 0x10000000n }] };
}

function record(layout: Layout, dom0: Dom0Outcome, failure: ToolError | null = null): BootRecord {
  return {
    layout,
    events: [],
    failure,
    dom0,
    dom0TimeoutMs: 20_000,
    qemuExit: null,
    serialLog: 's',
    serialLines: 1,
    serialBytes: 1,
    stopReason: 'handed-over',
    durations: { qemuStartToFirstXenLineMs: 1, qemuStartToHandoverMs: 2, qemuStartToDom0UpMs: null, stopMs: 1, qemuLifetimeMs: 3 },
  };
}
const up: Dom0Outcome = { ...NOT_WATCHED, status: 'up', upAfterMs: 5 };

/** Xen gives `banks[n-1]` on pass n; Dom0 comes up when the image was built with that layout. */
function fakeXen(banks: bigint[], dom0WhenMatched: Dom0Outcome = up): PassDeps & { builds: Layout[] } {
  const builds: Layout[] = [];
  return {
    builds,
    async build(_n, layout) {
      builds.push(layout);
      return { image: 'img', imageSize: 100, ms: 1, commands: [], overlay: 'o', verified: [], targets: 'default' };
    },
    async boot(n, _image, built) {
      const learned = xenLayout(banks[Math.min(n, banks.length) - 1]!);
      const matched = built.dom0Banks[0]!.start === learned.dom0Banks[0]!.start;
      return record(learned, matched ? dom0WhenMatched : NOT_WATCHED);
    },
  };
}

describe('runPasses', () => {
  it('rebuilds once and converges when Xen keeps its layout', async () => {
    const xen = fakeXen([0x50000000n]);
    const result = await runPasses(placeholderLayout(), 3, xen);
    assert.equal(result.converged, true);
    assert.equal(result.passes.length, 2);
    assert.deepEqual(
      result.passes[0]!.changes.map((c) => c.field),
      ['dom0Banks'],
    );
    assert.equal(result.passes[0]!.rebuildNeeded, true);
    assert.equal(result.passes[1]!.rebuildNeeded, false);
    assert.equal(xen.builds[1]!.dom0Banks[0]!.start, 0x50000000n);
  });

  it('confirms in one pass, without rebuilding, when the start layout is right', async () => {
    const result = await runPasses(xenLayout(0x50000000n), 3, fakeXen([0x50000000n]));
    assert.equal(result.converged, true);
    assert.equal(result.passes.length, 1);
  });

  it('stops at max passes when the layout keeps moving, naming the last two layouts', async () => {
    const result = await runPasses(placeholderLayout(), 3, fakeXen([0x50000000n, 0x51000000n, 0x52000000n]));
    assert.equal(result.converged, false);
    assert.equal(result.passes.length, 3);
    assert.equal(result.failure!.code, 'NOT_CONVERGED');
    assert.match(result.failure!.message, /after 3 pass\(es\) \(--max-passes\): dom0Banks changed again/);
    const [a, b] = result.failure!.details.lastTwoLayouts as { dom0Banks: { start: string }[] }[];
    assert.deepEqual([a!.dom0Banks[0]!.start, b!.dom0Banks[0]!.start], ['0x51000000', '0x52000000']);
  });

  it('fails with Dom0 silent, naming the built layout, when the layouts agree but Dom0 never comes up', async () => {
    const silent: Dom0Outcome = { ...NOT_WATCHED, status: 'silent', missing: ['^dom0-demo: match$'] };
    const result = await runPasses(xenLayout(0x50000000n), 3, fakeXen([0x50000000n], silent));
    assert.equal(result.failure!.code, 'DOM0_SILENT');
    assert.match(result.failure!.message, /Dom0 printed nothing after the hand-over .*built with .*0x50000000/);
    assert.match(result.failure!.message, /\(--dom0-timeout 20 s\)/, 'names the deadline with its value');
  });

  it('fails with QEMU_EXITED, not DOM0_SILENT, when QEMU died while Dom0 was watched', async () => {
    const deps = fakeXen([0x50000000n]);
    const cutOff: Dom0Outcome = { ...NOT_WATCHED, status: 'pending', missing: ['^dom0-demo: match$'] };
    const exit = { exitCode: null, signal: 'SIGKILL', stderrTail: [] };
    deps.boot = async () => ({ ...record(xenLayout(0x50000000n), cutOff), stopReason: 'qemu-exited', qemuExit: exit });
    const result = await runPasses(xenLayout(0x50000000n), 3, deps);
    assert.equal(result.failure!.code, 'QEMU_EXITED');
    assert.equal(result.failure!.stage, 'dom0');
    assert.match(result.failure!.message, /^QEMU was killed by SIGKILL while Dom0 was watched after the hand-over$/);
  });

  it("passes Xen's own failure through and stops", async () => {
    const deps = fakeXen([0x50000000n]);
    deps.boot = async () =>
      record(
        xenLayout(0x50000000n),
        NOT_WATCHED,
        new ToolError('XEN_PANIC', 'xen-boot', 'Xen panicked', { details: { serialTail: ['(XEN) Panic'] } }),
      );
    const result = await runPasses(placeholderLayout(), 3, deps);
    assert.equal(result.failure!.code, 'XEN_PANIC');
    assert.equal(result.passes.length, 1);
  });
});
