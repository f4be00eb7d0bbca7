import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'node:test';
import { patchUserDtb } from '../../src/dtb/user.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

const userDts = path.join(FIXTURES, 'dtb', 'xen-virt-6G.dts');

describe("patchUserDtb on the user's own tree", () => {
  it('patches only the module size and leaves the user file untouched', async () => {
    const before = readFileSync(userDts, 'utf8');
    const dir = tempDir('userdtb');
    const result = await patchUserDtb({ source: userDts, dir, loadAddr: 0x40600000n, moduleSize: 0x7000n });
    const reg = (await execa('fdtget', ['-t', 'x', result.dtb, '/chosen/module@40600000', 'reg'])).stdout.trim();
    assert.equal(reg, '0 40600000 0 7000');
    const args = (await execa('fdtget', [result.dtb, '/chosen', 'xen,xen-bootargs'])).stdout.trim();
    assert.match(args, /dom0_mem=256M/);
    assert.equal(readFileSync(userDts, 'utf8'), before);
  });

  it('accepts a compiled .dtb too', async () => {
    const dir = tempDir('userdtb');
    const compiled = path.join(dir, 'mine.dtb');
    await execa('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', compiled, userDts]);
    const out = tempDir('userdtb-out');
    const result = await patchUserDtb({ source: compiled, dir: out, loadAddr: 0x40600000n, moduleSize: 0x2000n });
    assert.equal((await execa('fdtget', ['-t', 'x', result.dtb, '/chosen/module@40600000', 'reg'])).stdout.trim(), '0 40600000 0 2000');
  });

  it('a .dtb that is no device tree is DTB_MISMATCH (your --dtb), not DTB_FAILED (the tool could not make one)', async () => {
    const garbage = path.join(tempDir('userdtb'), 'garbage.dtb');
    writeFileSync(garbage, 'not a flattened device tree\n');
    await assert.rejects(patchUserDtb({ source: garbage, dir: tempDir('userdtb-out'), loadAddr: 0x40600000n, moduleSize: 0x1000n }), {
      code: 'DTB_MISMATCH',
      stage: 'dtb',
      message: /^cannot read the --dtb device tree: fdtget failed: /,
    });
  });

  it('refuses a module node whose address disagrees with the loader', async () => {
    await assert.rejects(patchUserDtb({ source: userDts, dir: tempDir('userdtb'), loadAddr: 0x48000000n, moduleSize: 0x1000n }), {
      code: 'DTB_MISMATCH',
      message: /module@40600000 is at 0x40600000 but the loader puts the image at 0x48000000/,
    });
  });
});
