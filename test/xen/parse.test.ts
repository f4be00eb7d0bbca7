import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingFields } from '../../src/xen/layout.js';
import { parseXenLog, xenMessage } from '../../src/xen/parse.js';
import { layoutToJson } from '../../src/xen/layout-json.js';
import { fixtureLines } from '../helpers/fixtures.js';

const learn = (name: string) => parseXenLog(fixtureLines(`xen/${name}`));

describe('parseXenLog on real Xen 4.17 boots', () => {
  it('reads the single-bank layout of -m 6G dom0_mem=256M', () => {
    const { layout, events } = learn('xen417-6G-256M.log');
    assert.deepEqual(layoutToJson(layout), {
      xenVersion: '4.17.7',
      dom0Banks: [{ start: '0x50000000', end: '0x60000000' }],
      grantTable: { start: '0x40200000', end: '0x40240000' },
      extendedRegions: [
        { start: '0x40400000', end: '0x50000000' },
        { start: '0x60000000', end: '0x1c0000000' },
      ],
      eventChannelPpi: 16,
      kernel: { start: '0x50000000', end: '0x50001000' },
      dom0Dtb: { start: '0x58000000', end: '0x58001c2f' },
    });
    assert.deepEqual(
      events.map((e) => e.kind),
      ['handover', 'freed-init'],
    );
    assert.deepEqual(missingFields(layout), []);
  });

  it('reads two banks with dom0_mem=3G, addresses above 4 GiB exact', () => {
    const { layout } = learn('xen417-6G-3G-two-banks.log');
    assert.equal(layout.dom0Banks.length, 2);
    assert.deepEqual(layout.dom0Banks[0], { index: 0, start: 0x50000000n, end: 0x100000000n });
    assert.deepEqual(layout.dom0Banks[1], { index: 1, start: 0x1a0000000n, end: 0x1b0000000n });
    assert.deepEqual(
      layout.extendedRegions.map((r) => [r.start, r.end]),
      [
        [0x40400000n, 0x50000000n],
        [0x100000000n, 0x1a0000000n],
        [0x1b0000000n, 0x1c0000000n],
      ],
    );
  });

  it('gives the same layout with console_timestamps=boot as without', () => {
    const stamped = learn('xen417-6G-256M-timestamps.log');
    const plain = learn('xen417-6G-256M.log');
    assert.deepEqual(layoutToJson(stamped.layout).dom0Banks, layoutToJson(plain.layout).dom0Banks);
    assert.deepEqual(stamped.layout.grantTable, plain.layout.grantTable);
    assert.deepEqual(stamped.layout.extendedRegions, plain.layout.extendedRegions);
    assert.equal(stamped.layout.eventChannelPpi, 16);
    assert.ok(stamped.events.some((e) => e.kind === 'freed-init'));
  });

  it('sees -m 2G move only the last extended region', () => {
    const small = learn('xen417-2G-256M.log').layout;
    const big = learn('xen417-6G-256M.log').layout;
    assert.deepEqual(small.dom0Banks, big.dom0Banks);
    assert.equal(small.extendedRegions.at(-1)!.end, 0xc0000000n);
    assert.equal(big.extendedRegions.at(-1)!.end, 0x1c0000000n);
  });

  it('sees dom0_mem=1G move bank 0 to 0xc0000000', () => {
    const { layout } = learn('xen417-6G-1G.log');
    assert.equal(layout.dom0Banks[0]!.start, 0xc0000000n);
    assert.equal(layout.dom0Banks[0]!.end, 0x100000000n);
  });
});

describe('parseXenLog failure signs', () => {
  it('types a Dom0 that could not be built, with the panic', () => {
    const { events, layout } = learn('xen417-bad-image-panic.log');
    const notBuilt = events.find((e) => e.kind === 'dom0-not-built');
    assert.ok(notBuilt && notBuilt.kind === 'dom0-not-built');
    assert.equal(notBuilt.reason, 'Could not set up DOM0 guest OS');
    const panic = events.find((e) => e.kind === 'panic');
    assert.ok(panic && panic.kind === 'panic');
    assert.equal(panic.cpu, 0);
    assert.equal(panic.message, 'Could not set up DOM0 guest OS');
    assert.ok(events.some((e) => e.kind === 'reboot' && e.text.startsWith('Reboot in five seconds')));
    assert.ok(!events.some((e) => e.kind === 'handover'));
    assert.ok(missingFields(layout).length > 0);
  });

  it("reads 'noreboot' panics", () => {
    const { events } = learn('xen417-bad-image-noreboot.log');
    assert.ok(events.some((e) => e.kind === 'reboot' && e.text.startsWith('Manual reset required')));
    assert.ok(events.some((e) => e.kind === 'panic'));
  });

  it('types not enough memory for Dom0 with the unallocated amount', () => {
    const { events, layout } = learn('xen417-dom0-mem-too-big.log');
    const short = events.find((e) => e.kind === 'dom0-memory-short');
    assert.ok(short && short.kind === 'dom0-memory-short');
    assert.equal(short.unallocatedMB, 1344);
    assert.deepEqual(layout.dom0Banks, []);
  });

  it('flushes a panic cut off before its closing line (truncated log)', () => {
    const lines = fixtureLines('xen/xen417-bad-image-panic.log');
    const cut = lines.slice(0, lines.findIndex((l) => l.includes('Could not set up')) + 1);
    const { events } = parseXenLog(cut);
    assert.ok(events.some((e) => e.kind === 'panic' && e.message === 'Could not set up DOM0 guest OS'));
  });

  it('stops collecting a panic message that never closes, and parses on', () => {
    const lines = [
      '(XEN) Panic on CPU 0:',
      ...Array.from({ length: 20 }, (_, i) => `(XEN) noise ${i}`),
      '(XEN) Allocating PPI 16 for event channel interrupt',
    ];
    const { events, layout } = parseXenLog(lines);
    assert.ok(events.some((e) => e.kind === 'panic'));
    assert.equal(layout.eventChannelPpi, 16);
  });

  it('reports what a truncated boot log is missing', () => {
    const lines = fixtureLines('xen/xen417-6G-256M.log');
    const cut = lines.slice(
      0,
      lines.findIndex((l) => l.includes('Grant table range')),
    );
    const { layout, events } = parseXenLog(cut);
    assert.deepEqual(missingFields(layout), ['grantTable', 'extendedRegions', 'eventChannelPpi']);
    assert.equal(layout.dom0Banks.length, 1);
    assert.deepEqual(events, []);
  });

  it('types Dom0 crashes and halts', () => {
    const { events } = parseXenLog([
      '(XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.',
      '(XEN) Hardware Dom0 halted: halting machine',
    ]);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['dom0-crashed', 'dom0-halted'],
    );
  });
});

describe('parseXenLog on impossible input', () => {
  it('keeps addresses past 2^53 exact and refuses ones past 2^64', () => {
    const { layout, anomalies } = parseXenLog([
      '(XEN) Allocating 1:1 mappings totalling 256MB for dom0:',
      '(XEN) BANK[0] 0x20000000000001-0x20000010000001 (256MB)',
      '(XEN) d0: extended region 0: 0xfffffffffffff000->0x10000000000000000',
      '(XEN) d0: extended region 1: 0x1->0x100000000000000000',
    ]);
    assert.equal(layout.dom0Banks[0]!.start, 9007199254740993n);
    assert.equal(layoutToJson(layout).dom0Banks[0]!.start, '0x20000000000001');
    assert.deepEqual(
      layout.extendedRegions.map((r) => r.end),
      [1n << 64n],
    );
    assert.equal(anomalies.length, 1);
    assert.match(anomalies[0]!, /past 2\^64/);
  });

  it('flags ranges that end before they start and banks printed twice differently', () => {
    const { layout, anomalies } = parseXenLog([
      '(XEN) Grant table range: 0x00000040240000-0x00000040200000',
      '(XEN) Allocating 1:1 mappings totalling 512MB for dom0:',
      '(XEN) BANK[0] 0x00000050000000-0x00000060000000 (256MB)',
      '(XEN) BANK[0] 0x00000070000000-0x00000080000000 (256MB)',
    ]);
    assert.equal(layout.grantTable, null);
    assert.equal(anomalies.length, 2);
    assert.match(anomalies[0]!, /ends before it starts/);
    assert.match(anomalies[1]!, /BANK\[0\] printed twice/);
  });
});

describe('parseXenLog line order and spellings', () => {
  it('reads Xen 4.20, which prints the grant table before the banks', () => {
    const { layout } = learn('xen420-6G-256M.log');
    assert.equal(layout.xenVersion, '4.20.5-pre');
    assert.deepEqual(layout.dom0Banks, [{ index: 0, start: 0x50000000n, end: 0x60000000n }]);
    assert.deepEqual(layout.grantTable, { start: 0x40200000n, end: 0x40240000n });
    assert.equal(layout.extendedRegions.at(-1)!.end, 0x1bfe00000n);
  });

  it('does not depend on the order of the layout lines', () => {
    const lines = fixtureLines('xen/xen417-6G-3G-two-banks.log');
    const isBlock = (l: string) => /Allocating 1:1|BANK\[/.test(l);
    const block = lines.filter(isBlock);
    const rest = lines.filter((l) => !isBlock(l)).reverse();
    const reordered = [...rest.slice(0, 5), ...block, ...rest.slice(5)];
    assert.deepEqual(layoutToJson(parseXenLog(reordered).layout), layoutToJson(learn('xen417-6G-3G-two-banks.log').layout));
  });

  it("reads the seed's older spellings and newer ones", () => {
    const seed = parseXenLog([
      '(XEN) Grant table range: 0x00000088080000-0x000000880c0000',
      '(XEN) [    0.928173] d0: extended region 2: 0x40000000->0x47e00000',
      '(XEN) Allocating 1:1 mappings for dom0:',
      '(XEN) BANK[0] 0x00000060000000-0x00000070000000 (256MB)',
      '(XEN) Extended region 0: 0x10000000->0x20000000',
    ]).layout;
    assert.deepEqual(seed.dom0Banks, [{ index: 0, start: 0x60000000n, end: 0x70000000n }]);
    assert.deepEqual(seed.grantTable, { start: 0x88080000n, end: 0x880c0000n });
    assert.deepEqual(
      seed.extendedRegions.map((r) => r.index),
      [0, 2],
    );
    const newer = parseXenLog([
      '(XEN) Allocating 1:1 mappings totalling 256MB for d0:',
      '(XEN) BANK[0] 0x00000050000000-0x00000060000000 (256MB)',
      '(XEN) Allocating mappings totalling 512MB for d0:',
      '(XEN) d0 BANK[0] 0x000000c0000000-0x000000e0000000 (512MB)',
    ]).layout;
    assert.deepEqual(newer.dom0Banks, [{ index: 0, start: 0xc0000000n, end: 0xe0000000n }]);
  });

  it('ignores BANK lines outside a Dom0 allocation and lines that are not Xen', () => {
    const { layout, xenLineCount } = parseXenLog([
      '(XEN) BANK[0] 0x00000040000000-0x000001c0000000 (6144MB)',
      'Grant table range: 0x1-0x2',
      '*** Booting Zephyr OS build v3.6.0 ***',
    ]);
    assert.deepEqual(layout.dom0Banks, []);
    assert.equal(layout.grantTable, null);
    assert.equal(xenLineCount, 1);
  });

  it('strips every console_timestamps style', () => {
    for (const stamp of ['[    0.928173] ', '[2026-11-24 07:31:00] ', '[2026-11-24 07:31:00.123] ', '[0000000012345678] ']) {
      assert.equal(
        xenMessage(`(XEN) ${stamp}Allocating PPI 16 for event channel interrupt`),
        'Allocating PPI 16 for event channel interrupt',
      );
    }
    assert.equal(xenMessage('plain dom0 text'), null);
  });
});
