import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { demoBuilder } from '../../src/build/demo.js';
import { renderConfFragment } from '../../src/build/dotconfig.js';
import { kconfigNumber, staleFindings, verifyBuild } from '../../src/build/verify.js';
import { dom0Values } from '../../src/devicetree/dom0-values.js';
import { parseDts } from '../../src/devicetree/parse.js';
import { SNIPPET_TARGETS } from '../../src/devicetree/targets.js';
import { ToolError } from '../../src/base/errors.js';
import { elfLoadBase } from '../../src/image/elf.js';
import { renderOverlay } from '../../src/overlay/render.js';
import { parseXenLog } from '../../src/xen/parse.js';
import { fixtureLines } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const layoutOf = (name: string) => parseXenLog(fixtureLines(`xen/${name}`)).layout;
const at256M = layoutOf('xen417-6G-256M.log'); // bank 0x50000000
const at1G = layoutOf('xen417-6G-1G.log'); // bank 0xc0000000
const isStale =
  (...patterns: RegExp[]) =>
  (e: unknown) =>
    e instanceof ToolError && e.code === 'BUILD_STALE' && e.stage === 'build' && patterns.every((p) => p.test(e.message));

/** One demo build folder; each build writes the overlay (and, when asked, the fragment) the pass loop would. */
function project() {
  const dir = tempDir('stale');
  const overlay = path.join(dir, 'build.overlay');
  const conf = path.join(dir, 'build.conf');
  const buildDir = path.join(dir, 'build');
  return async (layout: typeof at256M, withFragment: boolean) => {
    writeFileSync(overlay, renderOverlay(layout, { toolVersion: 't', xenVersion: null }, SNIPPET_TARGETS));
    writeFileSync(conf, renderConfFragment(layout, 't'));
    const logFile = path.join(dir, 'build.log');
    return demoBuilder.build({ overlay, confFile: withFragment ? conf : undefined, buildDir, logFile, pristine: false, timeoutMs: 60_000 });
  };
}

describe('a build that cannot be stale (case 3)', () => {
  it('an incremental demo build keeps the old link address when only the overlay moves, and verifyBuild says so', async () => {
    const build = project();
    const first = await build(at256M, false);
    assert.deepEqual(
      (await verifyBuild(first.outputs, at256M)).map((f) => path.basename(f)),
      ['zephyr.elf', '.config', 'zephyr.dts'],
    );
    const second = await build(at1G, false);
    assert.equal(second.reused, undefined, 'the overlay changed, so it really rebuilt');
    assert.match(readFileSync(second.outputs!.devicetree!, 'utf8'), /sram0: memory@c0000000/, 'the devicetree did move');
    await assert.rejects(
      verifyBuild(second.outputs, at1G),
      isStale(
        /zephyr\.elf is linked at 0x50000000, not at Dom0's bank 0xc0000000/,
        /\.config has CONFIG_SRAM_BASE_ADDRESS 0x50000000, not 0xc0000000/,
      ),
    );
  });

  it('with the fragment the configuration is made again and the image is linked at the new bank', async () => {
    const build = project();
    await verifyBuild((await build(at256M, true)).outputs, at256M);
    const moved = await build(at1G, true);
    await verifyBuild(moved.outputs, at1G);
    assert.equal(elfLoadBase(readFileSync(moved.outputs!.elf!)), 0xc0000000n);
    assert.match(readFileSync(moved.outputs!.dotConfig!, 'utf8'), /^CONFIG_SRAM_BASE_ADDRESS=0xc0000000$/m);
  });
});

describe('staleFindings', () => {
  const dt = {
    hypervisorReg: [0x40200000n, 0x40000n, 0x40400000n, 0xfc00000n, 0x60000000n, 0x160000000n],
    memoryReg: [0x50000000n, 0x10000000n],
    evtchnPpi: 0,
  };
  it('finds nothing when every output agrees, or when there are no outputs', () => {
    const facts = {
      elf: { file: 'e', base: 0x50000000n },
      dotConfig: { file: 'c', sramBase: 0x50000000n },
      devicetree: { file: 'd', values: dt },
    };
    assert.deepEqual(staleFindings(facts, at256M), []);
    assert.deepEqual(staleFindings({}, at256M), []);
  });

  it('names each output that disagrees, with both values', () => {
    const wrong = { hypervisorReg: [0x88080000n, 0x40000n], memoryReg: [0x58000000n, 0x8000000n], evtchnPpi: 3 };
    const found = staleFindings(
      { elf: { file: 'e.elf', base: null }, dotConfig: { file: '.config', sramBase: null }, devicetree: { file: 'z.dts', values: wrong } },
      at256M,
    );
    assert.deepEqual(found, [
      "e.elf is linked at (no load address), not at Dom0's bank 0x50000000",
      '.config has CONFIG_SRAM_BASE_ADDRESS unset, not 0x50000000',
      "z.dts: zephyr,sram is 0x58000000+0x8000000, not Dom0's bank 0x50000000+0x10000000",
      'z.dts: xen,xen reg is 0x88080000+0x40000, not the grant table and regions 0x40200000+0x40000 0x40400000+0xfc00000 0x60000000+0x160000000',
      "z.dts: xen,xen interrupts GIC_PPI 3, not 0 (Xen's PPI 16)",
    ]);
  });
});

describe('the outputs read', () => {
  it('takes the enabled xen,xen node, as Zephyr does, and Kconfig numbers in hex, decimal or quoted', () => {
    const tree = parseDts(
      '/ { #address-cells = <2>; #size-cells = <2>; chosen { zephyr,sram = &r; }; r: m { reg = <0 0x50000000 0 0x10000000>; }; off { compatible = "xen,xen"; status = "disabled"; reg = <0 1 0 1>; interrupts = <1 5 4 0xa0>; }; on { compatible = "xen,xen"; reg = <0 0x40200000 0 0x40000>; interrupts = <1 0 4 0xa0>; }; };',
      'd.dts',
    );
    assert.deepEqual(dom0Values(tree).hypervisorReg, [0x40200000n, 0x40000n]);
    assert.equal(kconfigNumber('0x50000000'), 0x50000000n);
    assert.equal(kconfigNumber('1342177280'), 0x50000000n);
    assert.equal(kconfigNumber('"0x50000000"'), 0x50000000n);
    assert.equal(kconfigNumber('y'), null);
    assert.equal(kconfigNumber(undefined), null);
  });
});

describe('elfLoadBase', () => {
  it('is null for what is not a 64-bit little-endian ELF', () => {
    assert.equal(elfLoadBase(Buffer.from('fake-zephyr')), null);
    assert.equal(elfLoadBase(Buffer.alloc(64)), null);
  });
});
