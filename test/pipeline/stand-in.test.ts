/** The stand-in image a probe boot uses before the first build: the test image, sized and headed like the image expected. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESTIMATE_BYTES, expectedImage, MAX_STAND_IN_BYTES, standInBytes } from '../../src/pipeline/stand-in.js';
import { tempDir } from '../helpers/tmp.js';

/** An arm64 Image header: text_offset, image_size and flags as given, the magic at 56. */
function header(textOffset: bigint, imageSize: bigint, flags: bigint): Buffer {
  const bytes = Buffer.alloc(64);
  bytes.writeUInt32LE(0x14000010, 0);
  bytes.writeBigUInt64LE(textOffset, 8);
  bytes.writeBigUInt64LE(imageSize, 16);
  bytes.writeBigUInt64LE(flags, 24);
  bytes.write('ARM\x64', 56, 'latin1');
  return bytes;
}

const TEST_IMAGE = Buffer.concat([header(0n, 128n, 0xan), Buffer.from('code'.repeat(16), 'latin1')]);

describe('standInBytes', () => {
  it("keeps the test image's code, pads to the expected size and takes the expected header's fields", () => {
    const bytes = standInBytes(TEST_IMAGE, { size: 300_000, header: header(0x80000n, 400_000n, 0x2n) });
    assert.equal(bytes.length, 300_000);
    assert.deepEqual(bytes.subarray(64, TEST_IMAGE.length), TEST_IMAGE.subarray(64));
    assert.equal(bytes.readUInt32LE(0), 0x14000010, 'the branch to the code is the test image own');
    assert.equal(bytes.readBigUInt64LE(8), 0x80000n);
    assert.equal(bytes.readBigUInt64LE(16), 400_000n);
    assert.equal(bytes.readBigUInt64LE(24), 0x2n);
    assert.equal(bytes.subarray(56, 60).toString('latin1'), 'ARM\x64');
    assert.ok(bytes.subarray(TEST_IMAGE.length).every((b) => b === 0));
  });

  it('says its own size when no header is known, and never less than the file', () => {
    assert.equal(standInBytes(TEST_IMAGE, { size: 8192, header: null }).readBigUInt64LE(16), 8192n);
    const lying = standInBytes(TEST_IMAGE, { size: 8192, header: header(0n, 100n, 0xan) });
    assert.equal(lying.readBigUInt64LE(16), 8192n);
    assert.equal(standInBytes(TEST_IMAGE, { size: 10, header: null }).length, TEST_IMAGE.length, 'never cuts the code');
    assert.equal(standInBytes(TEST_IMAGE, { size: 3_000_000_000, header: null }).length, MAX_STAND_IN_BYTES, 'never larger than the cap');
  });
});

describe('expectedImage', () => {
  it("takes the last build's image (size and header), else the lock's size, else the estimate", async () => {
    const dir = tempDir('stand-in');
    const last = path.join(dir, 'zephyr.bin');
    assert.deepEqual(await expectedImage(last, 5000), { size: 5000, from: 'lock', header: null });
    assert.deepEqual(await expectedImage(last, null), { size: ESTIMATE_BYTES, from: 'estimate', header: null });
    assert.equal((await expectedImage(last, 3_000_000_000)).size, MAX_STAND_IN_BYTES, 'a huge size in the lock is capped');
    const image = Buffer.concat([header(0n, 70_000n, 0xan), Buffer.alloc(66_000)]);
    writeFileSync(last, image);
    const expected = await expectedImage(last, 5000);
    assert.equal(expected.from, 'last build');
    assert.equal(expected.size, image.length);
    assert.deepEqual(expected.header, image.subarray(0, 64));
    writeFileSync(last, Buffer.alloc(3000));
    assert.deepEqual(await expectedImage(last, null), { size: 3000, from: 'last build', header: null }, 'no arm64 header: size only');
    writeFileSync(last, '');
    assert.equal((await expectedImage(last, 5000)).from, 'lock', 'an empty image is no build');
    assert.equal(readFileSync(last).length, 0);
  });
});
