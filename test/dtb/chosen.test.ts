import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chosenEdits, fromCells, moduleNodePath, moduleSizeFor, toCells, xenBootargs } from '../../src/dtb/chosen.js';

describe('chosen edits', () => {
  it('rounds the module size up to whole 4 KiB pages', () => {
    assert.equal(moduleSizeFor(136), 0x1000n);
    assert.equal(moduleSizeFor(4096), 0x1000n);
    assert.equal(moduleSizeFor(4097), 0x2000n);
  });

  it('splits and joins cells exactly above 4 GiB', () => {
    assert.deepEqual(toCells(0x1c0000000n, 2), ['0x1', '0xc0000000']);
    assert.equal(fromCells(['1', 'c0000000']), 0x1c0000000n);
    assert.throws(() => toCells(0x100000000n, 1), /does not fit/);
  });

  it('builds Xen bootargs: console on the PL011, dom0_mem, then profile and user args', () => {
    assert.equal(
      xenBootargs({ uart: '/pl011@9000000', dom0Mem: '256M', profileArgs: 'bootscrub=0', extra: ' console_timestamps=boot ' }),
      'console=dtuart dtuart=/pl011@9000000 dom0_mem=256M bootscrub=0 console_timestamps=boot',
    );
  });

  it('adds the module node at the load address with a covering size', () => {
    const edits = chosenEdits('x.dtb', { xenBootargs: 'a', dom0Bootargs: 'console=hvc0', loadAddr: 0x40600000n, moduleSize: 0x3000n });
    assert.equal(moduleNodePath(0x40600000n), '/chosen/module@40600000');
    assert.deepEqual(edits.at(-1), ['-t', 'x', 'x.dtb', '/chosen/module@40600000', 'reg', '0x0', '0x40600000', '0x0', '0x3000']);
    assert.ok(edits.some((e) => e.includes('multiboot,kernel') && e.includes('multiboot,module')));
    assert.ok(edits.some((e) => e.includes('xen,dom0-bootargs') && e.includes('console=hvc0')));
  });
});
