/** buildAddressMap and its scale, on layouts parsed from real Xen logs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAddressMap, type AddressMap } from '../../src/report/address-map.js';
import { memoryBytes } from '../../src/report/lane-spans.js';
import { fixtureLanes, learned, TWO_BANK_KEYS } from '../helpers/address-map.js';

const movedKeys = (map: AddressMap, lane: number): string[] =>
  map.lanes[lane]!.spans.filter((s) => s.moved)
    .map((s) => s.key)
    .sort();

describe('buildAddressMap: spans', () => {
  const map = buildAddressMap(fixtureLanes());

  it('draws RAM from 0x40000000 for -m, the boot module, and every field Xen printed, keyed by field and index', () => {
    const keys = map.lanes[3]!.spans.map((s) => s.key).sort();
    assert.deepEqual(keys, TWO_BANK_KEYS);
    const ram = (lane: number) => map.lanes[lane]!.spans.find((s) => s.kind === 'ram')!;
    assert.deepEqual([ram(0).start, ram(0).end], ['0x40000000', '0x1c0000000']);
    assert.deepEqual([ram(2).start, ram(2).end], ['0x40000000', '0xc0000000']);
    const module = map.lanes[0]!.spans.find((s) => s.kind === 'bootModule')!;
    assert.deepEqual([module.start, module.end, module.label], ['0x40600000', '0x40601000', 'boot module (Dom0 image)']);
    const dtb = map.lanes[0]!.spans.find((s) => s.kind === 'dom0Dtb')!;
    assert.deepEqual([dtb.start, dtb.end], ['0x58000000', '0x58001c2f']);
  });

  it('lists every lane in address order, and x grows with the address', () => {
    for (const lane of map.lanes) {
      for (let i = 1; i < lane.spans.length; i += 1) {
        const [a, b] = [lane.spans[i - 1]!, lane.spans[i]!];
        assert.ok(BigInt(a.start) <= BigInt(b.start), `${lane.label}: ${a.key} before ${b.key}`);
        if (BigInt(a.start) < BigInt(b.start)) assert.ok(a.x < b.x, `${lane.label}: x of ${a.key} < x of ${b.key}`);
        else assert.ok(BigInt(a.end) >= BigInt(b.end), 'at one start the containing span comes first');
      }
    }
  });

  it('uses one scale for all lanes: one address, one x', () => {
    const xs = (key: string) => map.lanes.flatMap((lane) => lane.spans.filter((s) => s.key === key).map((s) => s.x));
    assert.equal(new Set(xs('grantTable')).size, 1);
    assert.equal(new Set(xs('bootModule[0]')).size, 1);
    const ram2G = map.lanes[2]!.spans.find((s) => s.kind === 'ram')!;
    const bank1G = map.lanes[1]!.spans.find((s) => s.key === 'dom0Bank[0]')!;
    assert.equal(bank1G.start, '0xc0000000');
    assert.equal(ram2G.x + ram2G.width, bank1G.x, "2G RAM ends where the 1G lane's bank (0xc0000000) starts");
  });

  it('keeps a 7 KiB DTB visible next to 5.5 GiB on the log scale, where a linear scale makes it a hairline', () => {
    const smallest = Math.min(...map.lanes.flatMap((lane) => lane.spans.map((s) => s.width)));
    assert.ok(smallest >= 0.005, `every span of the matrix at least 0.5% of the axis, smallest ${smallest}`);
    const one = (scale: 'log' | 'linear') => {
      const spans = buildAddressMap([{ label: 'a', memory: '6G', layout: learned('xen417-6G-256M.log') }], { scale }).lanes[0]!.spans;
      return { dtb: spans.find((s) => s.kind === 'dom0Dtb')!.width, ext1: spans.find((s) => s.key === 'extendedRegion[1]')!.width };
    };
    const log = one('log');
    assert.ok(log.dtb * 10 > log.ext1, `log: DTB ${log.dtb} is more than a tenth of 5.5 GiB's ${log.ext1}`);
    const linear = one('linear');
    assert.ok(linear.dtb < 1e-5, `linear: DTB ${linear.dtb}`);
    assert.ok(linear.ext1 > 0.7, `linear: 5.5 GiB of 6 GiB is most of the axis, ${linear.ext1}`);
    assert.match(buildAddressMap(fixtureLanes(), { scale: 'linear' }).notes[0]!, /linear/);
    assert.match(map.notes[0]!, /logarithmic/);
  });

  it('puts overlapping spans on separate tracks (the module inside extended region 0, the kernel inside bank 0)', () => {
    for (const lane of map.lanes) {
      for (const a of lane.spans) {
        for (const b of lane.spans) {
          if (a === b || a.track !== b.track) continue;
          const overlap = BigInt(a.start) < BigInt(b.end) && BigInt(b.start) < BigInt(a.end);
          assert.ok(!overlap, `${lane.label}: ${a.key} and ${b.key} share track ${a.track}`);
        }
      }
      assert.equal(lane.tracks, Math.max(...lane.spans.map((s) => s.track)) + 1);
    }
    const ext0 = map.lanes[0]!.spans.find((s) => s.key === 'extendedRegion[0]')!;
    const module = map.lanes[0]!.spans.find((s) => s.kind === 'bootModule')!;
    assert.ok(BigInt(ext0.start) <= BigInt(module.start) && BigInt(module.end) <= BigInt(ext0.end));
    assert.notEqual(module.track, ext0.track);
  });
});

describe('buildAddressMap: moved spans', () => {
  const map = buildAddressMap(fixtureLanes());

  it('marks exactly the fields that differ from the first lane, per real capture', () => {
    assert.equal(map.lanes[0]!.reference, true);
    assert.deepEqual(movedKeys(map, 0), []);
    assert.deepEqual(movedKeys(map, 1), ['dom0Bank[0]', 'dom0Dtb', 'extendedRegion[0]', 'extendedRegion[1]', 'kernel']);
    assert.deepEqual(movedKeys(map, 2), ['extendedRegion[1]']);
    assert.deepEqual(movedKeys(map, 3), ['dom0Bank[0]', 'dom0Bank[1]', 'dom0Dtb', 'extendedRegion[1]', 'extendedRegion[2]']);
    assert.deepEqual(movedKeys(map, 4), ['extendedRegion[0]', 'extendedRegion[1]']);
    assert.deepEqual(movedKeys(map, 5), [
      'dom0Bank[0]',
      'dom0Bank[1]',
      'dom0Dtb',
      'extendedRegion[0]',
      'extendedRegion[1]',
      'extendedRegion[2]',
    ]);
  });

  it('says where a moved span was, and null for one the reference does not have', () => {
    const spans = map.lanes[3]!.spans;
    assert.deepEqual(spans.find((s) => s.key === 'dom0Bank[0]')!.was, { start: '0x50000000', end: '0x60000000' });
    assert.equal(spans.find((s) => s.key === 'dom0Bank[1]')!.was, null);
    assert.equal(spans.find((s) => s.key === 'grantTable')!.was, undefined);
  });

  it('shows a failed lane as failed, with RAM and the module only, never compared', () => {
    const failed = map.lanes[6]!;
    assert.match(failed.failure!, /^DOM0_NOT_BUILT: Xen could not give Dom0 its memory: 1344MB unallocated/);
    assert.deepEqual(
      failed.spans.map((s) => s.key),
      ['ram', 'bootModule[0]'],
    );
    assert.deepEqual(failed.gone, []);
  });

  it('compares each lane with its own baseline when given; null compares nothing; names what went away', () => {
    const base = learned('xen417-6G-3G-two-banks.log');
    const own = buildAddressMap([
      { label: 'a', memory: '6G', layout: learned('xen417-6G-256M.log'), baseline: base },
      { label: 'b', memory: '6G', layout: learned('xen417-6G-1G.log'), baseline: learned('xen417-6G-1G.log') },
      { label: 'c', memory: '6G', layout: learned('xen420-6G-256M.log'), baseline: null },
    ]);
    assert.deepEqual(movedKeys(own, 0), ['dom0Bank[0]', 'dom0Dtb', 'extendedRegion[1]']);
    assert.deepEqual(own.lanes[0]!.gone, ['dom0Bank[1]', 'extendedRegion[2]']);
    assert.deepEqual(movedKeys(own, 1), []);
    assert.deepEqual(movedKeys(own, 2), []);
    assert.ok(own.lanes.every((lane) => !lane.reference));
  });

  it('marks nothing between two boots of the same build (timestamps on or off)', () => {
    const same = buildAddressMap([
      { label: 'plain', memory: '6G', layout: learned('xen417-6G-256M.log') },
      { label: 'stamps', memory: '6G', layout: learned('xen417-6G-256M-timestamps.log') },
    ]);
    assert.deepEqual(movedKeys(same, 1), []);
  });
});

describe('buildAddressMap: what it cannot show', () => {
  it('does not invent Xen: a note says why, and Xen is drawn only when a lane gives it', () => {
    const unknown = buildAddressMap([{ label: 'a', memory: '6G', layout: learned('xen417-6G-256M.log') }]);
    assert.ok(!unknown.lanes[0]!.spans.some((s) => s.kind === 'xen'));
    assert.ok(unknown.notes.some((n) => /Xen itself is not drawn: its log does not say where it sits/.test(n)));
    const given = buildAddressMap([
      { label: 'a', memory: '6G', layout: learned('xen417-6G-256M.log'), xen: { start: '0x40200000', end: '0x40400000' } },
    ]);
    const xen = given.lanes[0]!.spans.find((s) => s.kind === 'xen')!;
    assert.deepEqual([xen.start, xen.end], ['0x40200000', '0x40400000']);
    const gnttab = given.lanes[0]!.spans.find((s) => s.kind === 'grantTable')!;
    assert.notEqual(xen.track, gnttab.track, 'Xen overlaps its grant table, so it gets its own track');
    assert.ok(!given.notes.some((n) => /Xen itself is not drawn/.test(n)));
  });

  it('reads -m as QEMU does and leaves RAM out (with a note) when it is not a size', () => {
    assert.equal(memoryBytes('6G'), 6n << 30n);
    assert.equal(memoryBytes('2048M'), 2n << 30n);
    assert.equal(memoryBytes('512'), 512n << 20n);
    assert.equal(memoryBytes('lots'), null);
    const map = buildAddressMap([{ label: 'a', memory: 'lots', layout: learned('xen417-6G-256M.log') }]);
    assert.ok(!map.lanes[0]!.spans.some((s) => s.kind === 'ram'));
    assert.ok(map.notes.some((n) => /RAM is not drawn/.test(n)));
  });
});
