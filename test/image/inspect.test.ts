/** inspectImage: the Dom0 image exists, is not empty, and whether it carries the arm64 Image header magic. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ToolError } from '../../src/base/errors.js';
import { inspectImage } from '../../src/image/inspect.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('inspect');
after(() => rmSync(dir, { recursive: true, force: true }));

/** An arm64 Image header (Linux's booting.rst): code0/code1, text_offset, image_size, flags, reserved, magic "ARM\x64" at 56. */
function arm64Image(size: number): Buffer {
  const image = Buffer.alloc(size);
  image.writeUInt32LE(0x14000010, 0); // b #0x40
  image.writeBigUInt64LE(0x80000n, 8); // text_offset
  image.writeBigUInt64LE(BigInt(size), 16); // image_size
  image.write('ARM\x64', 56, 'latin1');
  return image;
}

const file = (name: string, data: Buffer | string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
};

const rejectsWith = (promise: Promise<unknown>, message: string) =>
  assert.rejects(promise, (error: ToolError) => {
    assert.deepEqual([error.code, error.stage, error.message], ['INPUT_NOT_FOUND', 'image', message]);
    return true;
  });

describe('inspectImage', () => {
  it('reads the size and sees the arm64 magic of an Image (136 bytes, like the test image)', async () => {
    const p = file('image.bin', arm64Image(136));
    assert.deepEqual(await inspectImage(p), { path: p, size: 136, arm64Image: true });
  });

  it('says "not arm64" for zeros (the "zero image" of the fixtures), an ELF, and the magic one byte off', async () => {
    assert.equal((await inspectImage(file('zero.bin', Buffer.alloc(4096)))).arm64Image, false);
    const elf = Buffer.alloc(128);
    elf.write('\x7fELF', 0, 'latin1');
    assert.equal((await inspectImage(file('zephyr.elf', elf))).arm64Image, false);
    const shifted = Buffer.alloc(128);
    shifted.write('ARM\x64', 57, 'latin1');
    assert.equal((await inspectImage(file('shifted.bin', shifted))).arm64Image, false);
  });

  it('reads a file shorter than the header without failing (no magic)', async () => {
    assert.deepEqual(await inspectImage(file('short.bin', 'tiny')), { path: path.join(dir, 'short.bin'), size: 4, arm64Image: false });
    const cut = arm64Image(64).subarray(0, 59);
    assert.equal((await inspectImage(file('cut.bin', cut))).arm64Image, false);
  });

  it('refuses a missing file, a folder and an empty file, naming the option', async () => {
    const missing = path.join(dir, 'nope.bin');
    await rejectsWith(inspectImage(missing), `--image ${missing}: no such image file`);
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    await rejectsWith(inspectImage(folder, '--xen'), `--xen ${folder}: no such image file`);
    const empty = file('empty.bin', '');
    await rejectsWith(inspectImage(empty), `--image ${empty}: the image is empty`);
  });

  it('refuses a device such as /dev/zero: not a regular file', async () => {
    await rejectsWith(inspectImage('/dev/zero'), '--image /dev/zero: no such image file');
  });
});
