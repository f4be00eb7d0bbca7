import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'node:test';
import { mergeDevicetree } from '../../src/build/demo.js';
import { dom0Values } from '../../src/devicetree/dom0-values.js';
import { parseDts } from '../../src/devicetree/parse.js';
import { findTargets, SNIPPET_TARGETS } from '../../src/devicetree/targets.js';
import { ToolError } from '../../src/base/errors.js';
import { OVERLAY_HEADER, renderOverlay, sizeCells } from '../../src/overlay/render.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { fixtureBytes, fixtureLines } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const source = { toolVersion: '0.1.0', xenVersion: '4.17.7', learnedAt: '2026-11-24T08:00:00.000Z', run: 'runs/boot-x' };
const layoutOf = (name: string) => parseXenLog(fixtureLines(`xen/${name}`)).layout;
const run = async (step: { file: string; argv: string[] }) => void (await execa(step.file, step.argv));

/** Merges the demo board, its xen_dom0-shaped snippet and `text` with the real cpp and dtc, as the demo build does. */
async function merge(text: string) {
  const dir = tempDir('overlay');
  const overlay = path.join(dir, 'app.overlay');
  writeFileSync(overlay, text);
  return mergeDevicetree(path.join(dir, 'zephyr'), [overlay], run);
}

/** The overlay this project wrote before it knew Zephyr's snippet (the seed's example values): a second `hypervisor` label and a root `ram` node. */
const SEED_STYLE = `/ {
	hypervisor: hypervisor@88080000 {
		compatible = "xen,xen";
		reg = <0x0 0x88080000 0x0 0x40000 0x0 0x60000000 0x1 0x60000000>;
		interrupts = <GIC_PPI 0 IRQ_TYPE_EDGE IRQ_DEFAULT_PRIORITY>;
		interrupt-parent = <&gic>;
	};
	ram: memory@50000000 {
		device_type = "mmio-sram";
		reg = <0x0 0x50000000 0x0 DT_SIZE_M(256)>;
	};
};
`;

describe('renderOverlay', () => {
  it("deletes the snippet's nodes by label and re-creates them where they were, at Xen's addresses", () => {
    const text = renderOverlay(layoutOf('xen417-6G-256M.log'), source);
    assert.ok(text.startsWith(OVERLAY_HEADER));
    assert.match(text, /Xen 4\.17\.7 picked for Dom0, learned 2026-11-24T08:00:00\.000Z/);
    assert.match(text, /\n\/delete-node\/ &hypervisor;\n\/delete-node\/ &sram0;\n/);
    assert.match(text, /\tchosen \{\n\t\tzephyr,sram = &sram0;\n\t\};/);
    assert.match(text, /\n\thypervisor: hypervisor@40200000 \{/);
    assert.match(text, /reg = <0x0 0x40200000 0x0 0x40000\n\s+0x0 0x40400000 0x0 DT_SIZE_M\(252\)\n\s+0x0 0x60000000 0x1 0x60000000>;/);
    assert.match(text, /interrupts = <GIC_PPI 0 IRQ_TYPE_EDGE IRQ_DEFAULT_PRIORITY>;/);
    assert.match(
      text,
      /\n\tsoc \{\n\t\tsram0: memory@50000000 \{\n\t\t\tdevice_type = "mmio-sram";\n\t\t\treg = <0x0 0x50000000 0x0 DT_SIZE_M\(256\)>;/,
    );
    assert.doesNotMatch(text, /xen_dom0_bank/);
  });

  it("composes with the snippet where the seed's format clashes (case 1) or moves nothing (case 2)", async () => {
    await assert.rejects(merge(SEED_STYLE), /[Dd]uplicate label 'hypervisor'/, 'a second hypervisor label stops dtc, as it stops Zephyr');
    const withoutLabel = SEED_STYLE.replace('hypervisor: hypervisor@88080000', 'hypervisor@88080000');
    const old = dom0Values(await merge(withoutLabel));
    assert.deepEqual(old.memoryReg.slice(0, 2), [0x58000000n, 0x8000000n], 'a root ram node leaves zephyr,sram at the snippet bank');

    const layout = layoutOf('xen417-6G-256M.log');
    const ours = dom0Values(
      await merge(renderOverlay(layout, source, findTargets(parseDts(fixtureBytes('devicetree/demo-base.dts').toString(), 'base')))),
    );
    assert.deepEqual(ours.memoryReg, [0x50000000n, 0x10000000n]);
    assert.deepEqual(ours.hypervisorReg, [0x40200000n, 0x40000n, 0x40400000n, 0xfc00000n, 0x60000000n, 0x160000000n]);
    assert.equal(ours.evtchnPpi, 0);
  });

  it('writes extra banks at the root, exact above 4 GiB, and dtc reads them back', async () => {
    const text = renderOverlay(layoutOf('xen417-6G-3G-two-banks.log'), source);
    assert.match(text, /sram0: memory@50000000 \{[^}]*reg = <0x0 0x50000000 0x0 DT_SIZE_M\(2816\)>/);
    assert.match(text, /\n\txen_dom0_bank1: memory@1a0000000 \{[^}]*reg = <0x1 0xa0000000 0x0 DT_SIZE_M\(256\)>/);
    const values = dom0Values(await merge(text));
    assert.deepEqual(values.memoryReg, [0x50000000n, 0xb0000000n, 0x1a0000000n, 0x10000000n]);
  });

  it("follows another board's shape: root ram, one-cell parent, delete by path when unlabelled", () => {
    const layout = layoutOf('xen417-6G-256M.log');
    const rcar = findTargets(parseDts(fixtureBytes('devicetree/dtlib-style.dts').toString(), 'rcar'));
    const text = renderOverlay(layout, source, rcar);
    assert.match(text, /\/delete-node\/ &hypervisor;\n\/delete-node\/ &ram;/);
    assert.match(text, /\n\tram: sdram: memory@50000000 \{/, 'every label the node had, so &sdram elsewhere still resolves');
    assert.match(text, /interrupt-parent = < &gic >;/);
    const oneCell = {
      ...rcar,
      sram: {
        ...rcar.sram,
        labelled: false,
        label: 'xen_dom0_sram',
        labels: ['xen_dom0_sram'],
        parentPath: '/soc',
        cells: { address: 1, size: 1 },
      },
    };
    const t2 = renderOverlay(layout, source, oneCell);
    assert.match(t2, /\/delete-node\/ &\{\/memory@60000000\};/);
    assert.match(
      t2,
      /\tsoc \{\n\t\txen_dom0_sram: memory@50000000 \{\n\t\t\tdevice_type = "mmio-sram";\n\t\t\treg = <0x50000000 0x10000000>;/,
    );
    assert.match(t2, /zephyr,sram = &xen_dom0_sram;/);
    const high = layoutOf('xen417-6G-3G-two-banks.log');
    assert.throws(
      () => renderOverlay({ ...high, dom0Banks: [{ ...high.dom0Banks[1]! }] }, source, oneCell),
      (e: unknown) =>
        e instanceof ToolError &&
        e.code === 'DT_CELLS_MISMATCH' &&
        e.exitCode === 4 &&
        /0x1a0000000 does not fit in 1 cell/.test(e.message),
    );
  });

  it("leaves interrupt-parent out when the node inherits it, and names the board's own GIC label for a new node", () => {
    const layout = layoutOf('xen417-6G-256M.log');
    const inherit =
      '/ { #address-cells = <2>; #size-cells = <2>; interrupt-parent = <&intc>; chosen { zephyr,sram = &ram; }; ram: memory@0 { }; intc: gic@1 { compatible = "arm,gic-v3"; interrupt-controller; }; h: hyp { compatible = "xen,xen"; }; };';
    const a = renderOverlay(layout, source, findTargets(parseDts(inherit, 'a.dts')));
    assert.doesNotMatch(a, /interrupt-parent/);
    assert.match(a, /\/delete-node\/ &h;[\s\S]*\n\th: hypervisor@40200000 \{/);
    const fresh =
      '/ { #address-cells = <2>; #size-cells = <2>; chosen { zephyr,sram = &ram; }; ram: memory@0 { }; intc: gic@1 { compatible = "arm,gic-400"; interrupt-controller; }; };';
    const b = renderOverlay(layout, source, findTargets(parseDts(fresh, 'b.dts')));
    assert.match(b, /interrupt-parent = <&intc>;/);
    assert.doesNotMatch(b, /\/delete-node\/ &hypervisor/, 'there was no node to delete');
  });

  it('keeps sizes of 4 GiB and more exact', () => {
    assert.equal(sizeCells(0x100000000n), '0x1 0x0');
    assert.equal(sizeCells(0x10000000n), '0x0 DT_SIZE_M(256)');
    assert.equal(sizeCells(0x1234n), '0x0 0x1234');
  });

  it('refuses a layout Zephyr cannot be built from, as LAYOUT_INCOMPLETE', () => {
    const layout = layoutOf('xen417-dom0-mem-too-big.log');
    assert.throws(
      () => renderOverlay(layout, source),
      (e: unknown) => e instanceof ToolError && e.code === 'LAYOUT_INCOMPLETE',
    );
    assert.equal(SNIPPET_TARGETS.sram.label, 'sram0');
  });

  it('names a range or PPI no overlay can hold as LAYOUT_INCOMPLETE at the overlay stage, never a bare RangeError (INTERNAL)', () => {
    const layout = layoutOf('xen417-6G-256M.log');
    const refused = (bad: typeof layout, pattern: RegExp) =>
      assert.throws(
        () => renderOverlay(bad, source),
        (e: unknown) => e instanceof ToolError && e.code === 'LAYOUT_INCOMPLETE' && e.stage === 'overlay' && pattern.test(e.message),
      );
    const bank = layout.dom0Banks[0]!;
    refused({ ...layout, dom0Banks: [{ ...bank, end: bank.start - 1n }] }, /^dom0Banks\[0\] 0x[0-9a-f]+-0x[0-9a-f]+: not a range/);
    const region = layout.extendedRegions[0]!;
    refused({ ...layout, extendedRegions: [{ ...region, start: 1n << 70n, end: 1n << 71n }] }, /^extendedRegions\[0\] .*past 2\^64/);
    refused({ ...layout, eventChannelPpi: 5 }, /^eventChannelPpi 5: not a PPI \(16-31\)/);
  });
});
