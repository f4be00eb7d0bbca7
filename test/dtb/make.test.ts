import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, it } from 'node:test';
import { makeXenDtb } from '../../src/dtb/make.js';
import { resolveQemu } from '../../src/qemu/resolve.js';
import { defaultProfile } from '../helpers/profile.js';
import { tempDir } from '../helpers/tmp.js';

const fdtget = async (...args: string[]): Promise<string> => (await execa('fdtget', args)).stdout.trim();

describe('makeXenDtb with the real QEMU and dtc', () => {
  it("adds Xen's /chosen entries to QEMU's own tree for the same memory size", async () => {
    const dir = tempDir('dtb');
    const profile = await defaultProfile();
    const qemu = resolveQemu(profile.binary, undefined).path;
    const spec = {
      xenBootargs: 'console=dtuart dtuart=/pl011@9000000 dom0_mem=512M',
      dom0Bootargs: 'console=hvc0',
      loadAddr: 0x40600000n,
      moduleSize: 0x5000n,
    };
    const result = await makeXenDtb({ qemu, profile, memory: '2G', dir, spec });
    assert.equal(await fdtget(result.dtb, '/chosen', 'xen,xen-bootargs'), spec.xenBootargs);
    assert.equal(await fdtget(result.dtb, '/chosen', 'xen,dom0-bootargs'), 'console=hvc0');
    assert.equal(await fdtget('-t', 'x', result.dtb, '/chosen/module@40600000', 'reg'), '0 40600000 0 5000');
    assert.equal(await fdtget(result.dtb, '/chosen/module@40600000', 'compatible'), 'multiboot,kernel multiboot,module');
    // QEMU's memory node reflects -m 2G: base 0x40000000, size 0x80000000.
    assert.equal(await fdtget('-t', 'x', result.dtb, '/memory@40000000', 'reg'), '0 40000000 0 80000000');
    assert.match(readFileSync(result.dts, 'utf8'), /module@40600000/);
  });

  it('reuses the cached trees for the same QEMU, machine and /chosen spec, and only then', async () => {
    const profile = await defaultProfile();
    const qemu = resolveQemu(profile.binary, undefined).path;
    const spec = {
      xenBootargs: `console=dtuart dom0_mem=${process.pid}M`,
      dom0Bootargs: 'console=hvc0',
      loadAddr: 0x40600000n,
      moduleSize: 0x3000n,
    };
    const first = await makeXenDtb({ qemu, profile, memory: '3G', dir: tempDir('dtb'), spec });
    const second = await makeXenDtb({ qemu, profile, memory: '3G', dir: tempDir('dtb'), spec });
    assert.equal(first.cached, undefined);
    assert.equal(second.cached, true);
    assert.equal(readFileSync(second.dts, 'utf8'), readFileSync(first.dts, 'utf8'));
    const other = await makeXenDtb({ qemu, profile, memory: '4G', dir: tempDir('dtb'), spec });
    assert.equal(other.cached, undefined);
    assert.equal(await fdtget('-t', 'x', other.dtb, '/memory@40000000', 'reg'), '0 40000000 1 0');
  });
});
