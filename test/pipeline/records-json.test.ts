/** The pipeline's records as report.json shows them: one boot, and the passes joined to their boots. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootJson } from '../../src/pipeline/boot-json.js';
import { passesJson } from '../../src/pipeline/pass-json.js';
import type { PassRecord } from '../../src/pipeline/passes.js';
import { placeholderLayout } from '../../src/overlay/placeholder.js';
import { layoutToJson } from '../../src/xen/layout-json.js';

describe('bootJson', () => {
  it('a boot that never ran QEMU: no stop reason, no attempts, Dom0 not watched', () => {
    const json = bootJson({ qemuArgv: ['-m', '6G'], qemuCommand: 'qemu -m 6G', serialLog: '/r/serial.log', dtb: null, record: null });
    assert.equal(json.stopReason, null);
    assert.equal(json.attempts, 0);
    assert.equal(json.dom0.status, 'not-watched');
    assert.equal(json.durations, null);
  });

  it('a boot that ran: its events copied, one attempt unless told', () => {
    const durations = { qemuStartToFirstXenLineMs: 1, qemuStartToHandoverMs: 2, qemuStartToDom0UpMs: null, stopMs: 3, qemuLifetimeMs: 4 };
    const record = {
      stopReason: 'handed-over',
      serialLines: 58,
      events: [{ kind: 'handover', line: 57 }],
      dom0: { status: 'up' },
      durations,
    };
    const json = bootJson({ qemuArgv: [], qemuCommand: '', serialLog: 's', dtb: 'd', record: record as never });
    assert.equal(json.attempts, 1);
    assert.deepEqual(json.events, [{ kind: 'handover', line: 57 }]);
    assert.notEqual(json.events[0], record.events[0], 'a copy');
    assert.equal(
      bootJson({ qemuArgv: [], qemuCommand: '', serialLog: 's', dtb: 'd', record: { ...record, attempts: 3 } as never }).attempts,
      3,
    );
  });
});

describe('passesJson', () => {
  it('joins pass i to boot i and puts each build log in its pass folder', () => {
    const layout = layoutToJson(placeholderLayout());
    const pass = (n: number): PassRecord =>
      ({
        pass: n,
        built: layout,
        learned: layout,
        changes: [],
        rebuildNeeded: n === 1,
        overlay: `/r/pass-${n}/xen-dom0.overlay`,
        build: { image: '/b/zephyr.bin', imageSize: 4488, ms: 300, commands: [['make']], verified: [], targets: 'default' },
        boot: {},
      }) as unknown as PassRecord;
    const json = passesJson([pass(1), pass(2)], ['/r/pass-1', '/r/pass-2']);
    assert.deepEqual(
      json.map((p) => [p.pass, p.boot, p.build.log, p.build.reused]),
      [
        [1, 0, '/r/pass-1/build.log', false],
        [2, 1, '/r/pass-2/build.log', false],
      ],
    );
  });
});
