import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBootArgv, buildDumpDtbArgv, qemuPath, shellQuote } from '../../src/qemu/argv.js';
import { defaultProfile } from '../helpers/profile.js';

describe('buildBootArgv', () => {
  it("builds REFERENCE §1's documented command, pidfile in the run directory", async () => {
    const argv = buildBootArgv({
      profile: await defaultProfile(),
      memory: '6G',
      xen: '/x/xen',
      image: '/run/zephyr.bin',
      dtb: '/run/xen.dtb',
      loadAddr: '0x40600000',
      pidfile: '/run/qemu.pid',
    });
    assert.deepEqual(argv, [
      '-cpu',
      'cortex-a53',
      '-m',
      '6G',
      '-machine',
      'virt,gic-version=3,virtualization=true',
      '-nographic',
      '-nic',
      'none',
      '-chardev',
      'stdio,id=con,mux=on',
      '-serial',
      'chardev:con',
      '-mon',
      'chardev=con,mode=readline',
      '-pidfile',
      '/run/qemu.pid',
      '-device',
      'loader,file=/run/zephyr.bin,addr=0x40600000',
      '-dtb',
      '/run/xen.dtb',
      '-kernel',
      '/x/xen',
    ]);
  });

  it('doubles commas in the loader path so QEMU does not split the option', async () => {
    const argv = buildBootArgv({
      profile: await defaultProfile(),
      memory: '2G',
      xen: 'x',
      image: '/a,b/img',
      dtb: 'd',
      loadAddr: '0x1',
      pidfile: 'p',
    });
    assert.ok(argv.includes('loader,file=/a,,b/img,addr=0x1'));
    assert.equal(qemuPath('a,b,c'), 'a,,b,,c');
  });
});

describe('buildDumpDtbArgv', () => {
  it('uses the same cpu, memory and machine as the boot, plus dumpdtb', async () => {
    const argv = buildDumpDtbArgv({ profile: await defaultProfile(), memory: '2G', out: '/r/virt.dtb' });
    assert.deepEqual(argv.slice(0, 6), [
      '-cpu',
      'cortex-a53',
      '-m',
      '2G',
      '-machine',
      'virt,gic-version=3,virtualization=true,dumpdtb=/r/virt.dtb',
    ]);
    assert.ok(argv.includes('-nic'));
  });
});

describe('shellQuote', () => {
  it('quotes what a shell would split or expand', () => {
    assert.equal(shellQuote(['qemu', '-m', '6G', 'a b', "it's", '$HOME']), `qemu -m 6G 'a b' 'it'\\''s' '$HOME'`);
  });
});
