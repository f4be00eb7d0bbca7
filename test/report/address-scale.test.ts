/** makeScale and axisTicks: the one scale all lanes share, over the span edges of real layouts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAddressMap } from '../../src/report/address-map.js';
import { axisTicks, makeScale } from '../../src/report/address-scale.js';
import { fixtureLanes } from '../helpers/address-map.js';

describe('makeScale and axisTicks', () => {
  const edges = buildAddressMap(fixtureLanes()).lanes.flatMap((lane) => lane.spans.flatMap((s) => [BigInt(s.start), BigInt(s.end)]));

  it('is strictly increasing over the whole range, on the edges and between them', () => {
    for (const kind of ['log', 'linear'] as const) {
      const scale = makeScale(edges, kind);
      assert.equal(scale.x(scale.lo), 0);
      assert.equal(scale.x(scale.hi), 1);
      const probes = [...new Set(edges)].flatMap((e) => [e, e + 0x800n]).filter((a) => a <= scale.hi);
      probes.sort((a, b) => (a < b ? -1 : 1));
      for (let i = 1; i < probes.length; i += 1) {
        assert.ok(scale.x(probes[i - 1]!) < scale.x(probes[i]!), `${kind}: ${probes[i - 1]!.toString(16)} < ${probes[i]!.toString(16)}`);
      }
    }
  });

  it('puts hex ticks in address order, no two closer than the gap asked for', () => {
    const scale = makeScale(edges);
    const ticks = axisTicks(scale, edges, 0.02);
    assert.equal(ticks[0]!.address, '0x40000000');
    for (let i = 1; i < ticks.length; i += 1) {
      assert.ok(ticks[i]!.x - ticks[i - 1]!.x >= 0.02);
      assert.ok(BigInt(ticks[i]!.address) > BigInt(ticks[i - 1]!.address));
    }
    assert.ok(ticks.length < new Set(edges).size, 'close edges were dropped');
  });
});
