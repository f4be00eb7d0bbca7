import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDts } from '../../src/devicetree/parse.js';
import { findTargets, SNIPPET_TARGETS } from '../../src/devicetree/targets.js';
import { ToolError } from '../../src/base/errors.js';
import { fixtureBytes } from '../helpers/fixtures.js';

const tree = (name: string) => parseDts(fixtureBytes(`devicetree/${name}`).toString('utf8'), name);
const isMissing = (pattern: RegExp) => (e: unknown) => e instanceof ToolError && e.code === 'DT_TARGET_MISSING' && pattern.test(e.message);

describe('findTargets', () => {
  it("finds the demo's snippet shape: sram0 in /soc, hypervisor at the root, the gic by label (dtc wrote a phandle)", () => {
    const t = findTargets(tree('demo-base.dts'));
    assert.deepEqual(
      { sram: t.sram, hypervisor: t.hypervisor },
      { sram: SNIPPET_TARGETS.sram, hypervisor: SNIPPET_TARGETS.hypervisor },
      'the demo board is shaped like qemu_cortex_a53 with the xen_dom0 snippet',
    );
    assert.equal(t.source, 'demo-base.dts');
  });

  it('follows the board where it differs: ram at the root, a parent with one address cell', () => {
    const t = findTargets(tree('dtlib-style.dts'));
    assert.equal(t.sram.label, 'ram');
    assert.equal(t.sram.parentPath, '/');
    assert.equal(t.sram.path, '/memory@60000000');
    assert.equal(t.hypervisor.path, '/hypervisor@88080000');
    assert.equal(t.hypervisor.interruptParent, '< &gic >');
  });

  it('deletes by path and picks a free label when zephyr,sram names an unlabelled node', () => {
    const text =
      '/ { #address-cells = <2>; #size-cells = <2>; chosen { zephyr,sram = "/memory@40000000"; }; xen_dom0_sram: other { }; memory@40000000 { reg = <0 0x40000000 0 0x1000>; }; };';
    const t = findTargets(parseDts(text, 'x.dts'));
    assert.equal(t.sram.labelled, false);
    assert.equal(t.sram.label, 'xen_dom0_sram_1');
    assert.equal(t.sram.path, '/memory@40000000');
  });

  it('adds a hypervisor node when the board has none, with a free label', () => {
    const text = '/ { chosen { zephyr,sram = &ram; }; hypervisor: thing { }; ram: memory@40000000 { }; };';
    const t = findTargets(parseDts(text, 'x.dts'));
    assert.equal(t.hypervisor.path, null);
    assert.equal(t.hypervisor.label, 'hypervisor_1');
    assert.equal(t.hypervisor.parentPath, '/');
  });

  it('names the file and what is missing or ambiguous', () => {
    assert.throws(() => findTargets(parseDts('/ { chosen { }; };', 'a.dts')), isMissing(/^a\.dts: \/chosen has no zephyr,sram/));
    assert.throws(
      () => findTargets(parseDts('/ { chosen { zephyr,sram = &nope; }; };', 'b.dts')),
      isMissing(/^b\.dts: .*&nope names no node/),
    );
    const two = '/ { chosen { zephyr,sram = &r; }; r: m { }; a { compatible = "xen,xen"; }; b { compatible = "xen,xen"; }; };';
    assert.throws(() => findTargets(parseDts(two, 'c.dts')), isMissing(/c\.dts: 2 enabled xen,xen nodes \(\/a, \/b\)/));
    const disabled =
      '/ { chosen { zephyr,sram = &r; }; r: m { }; a { compatible = "xen,xen"; status = "disabled"; }; b { compatible = "xen,xen"; }; };';
    assert.equal(findTargets(parseDts(disabled, 'd.dts')).hypervisor.path, '/b', 'a disabled xen,xen node is not Dom0s');
  });
});
