import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'node:test';
import { demoDtSteps } from '../../src/build/demo.js';
import { OVERLAY_HEADER, renderOverlay, sizeCells } from '../../src/overlay/render.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { fixtureLines } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const source = { toolVersion: '0.1.0', xenVersion: '4.17.7', learnedAt: '2026-11-24T08:00:00.000Z', run: 'runs/boot-x' };
const layoutOf = (name: string) => parseXenLog(fixtureLines(`xen/${name}`)).layout;

/** Compiles the overlay the way the demo guest's build does (cpp with the GIC/DT_SIZE macros, then dtc, on a board tree that defines `gic`). */
async function compile(text: string): Promise<string> {
  const dir = tempDir('overlay');
  const overlay = path.join(dir, 'app.overlay');
  writeFileSync(overlay, text);
  for (const step of demoDtSteps(overlay, dir)) await execa(step.file, step.argv);
  return path.join(dir, 'demo.dtb');
}
const fdtget = async (...args: string[]) => (await execa('fdtget', args)).stdout.trim();

describe('renderOverlay', () => {
  it("writes the seed's format for one bank", () => {
    const text = renderOverlay(layoutOf('xen417-6G-256M.log'), source);
    assert.ok(text.startsWith(OVERLAY_HEADER));
    assert.match(text, /Xen 4\.17\.7 picked for Dom0, learned 2026-11-24T08:00:00\.000Z/);
    assert.match(text, /hypervisor: hypervisor@40200000 \{/);
    assert.match(text, /reg = <0x0 0x40200000 0x0 0x40000\n\s+0x0 0x40400000 0x0 0xfc00000\n\s+0x0 0x60000000 0x1 0x60000000>;/);
    assert.match(text, /interrupts = <GIC_PPI 0 IRQ_TYPE_EDGE IRQ_DEFAULT_PRIORITY>;/);
    assert.match(text, /interrupt-parent = <&gic>;/);
    assert.match(text, /ram: memory@50000000 \{\n\t\tdevice_type = "mmio-sram";\n\t\treg = <0x0 0x50000000 0x0 DT_SIZE_M\(256\)>;/);
    assert.doesNotMatch(text, /ram1:/);
  });

  it('writes extra banks as labelled nodes with the note that Zephyr uses only ram', () => {
    const text = renderOverlay(layoutOf('xen417-6G-3G-two-banks.log'), source);
    assert.match(text, /ram: memory@50000000 \{[^}]*reg = <0x0 0x50000000 0x0 DT_SIZE_M\(2816\)>/);
    assert.match(text, /Zephyr uses only `ram`[^\n]*\n\tram1: memory@1a0000000 \{[^}]*reg = <0x1 0xa0000000 0x0 DT_SIZE_M\(256\)>/);
  });

  it('keeps sizes of 4 GiB and more exact', () => {
    assert.equal(sizeCells(0x100000000n), '0x1 0x0');
    assert.equal(sizeCells(0x10000000n), '0x0 DT_SIZE_M(256)');
    assert.equal(sizeCells(0x1234n), '0x0 0x1234');
  });

  it('compiles with cpp and dtc, and fdtget reads back exact values above 4 GiB', async () => {
    const dtb = await compile(renderOverlay(layoutOf('xen417-6G-3G-two-banks.log'), source));
    const hyp = await fdtget(dtb, '/__symbols__', 'hypervisor');
    assert.equal(hyp, '/hypervisor@40200000');
    assert.equal(
      await fdtget('-t', 'x', dtb, hyp, 'reg'),
      ['0 40200000 0 40000', '0 40400000 0 fc00000', '1 0 0 a0000000', '1 b0000000 0 10000000'].join(' '),
    );
    assert.equal(await fdtget('-t', 'x', dtb, hyp, 'interrupts'), '1 0 1 a0');
    assert.equal(await fdtget('-t', 'x', dtb, await fdtget(dtb, '/__symbols__', 'ram'), 'reg'), '0 50000000 0 b0000000');
    assert.equal(await fdtget('-t', 'x', dtb, await fdtget(dtb, '/__symbols__', 'ram1'), 'reg'), '1 a0000000 0 10000000');
  });

  it('refuses a layout Zephyr cannot be built from', () => {
    const layout = layoutOf('xen417-dom0-mem-too-big.log');
    assert.throws(() => renderOverlay(layout, source), /needs a bank/);
  });
});
