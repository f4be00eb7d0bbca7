/** A stand-in for the Dom0 image before it is built: the test image, as large as the image expected and with its header. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { inspectImage, isArm64Header, readHeader, type ImageInfo } from '../image/inspect.js';
import { ensureTestImage } from '../image/test-image.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** A size when nothing better is known: larger than most Zephyr Dom0 images (Xen's layout does not follow the size anyway). */
export const ESTIMATE_BYTES = 2 * 1024 * 1024;

/** 64 MiB: the largest stand-in made, whatever the last image or the lock says (a stand-in sits in QEMU's memory). */
export const MAX_STAND_IN_BYTES = 64 * 1024 * 1024;

export interface ExpectedImage {
  size: number;
  from: 'last build' | 'lock' | 'estimate';
  /** The last image's arm64 header (64 bytes), when there is one. */
  header: Buffer | null;
}

/** The image the build will most likely make: the last build's, else the size the lock was learned with, else an estimate (at most MAX_STAND_IN_BYTES). */
export async function expectedImage(lastImage: string, lockedSize: number | null): Promise<ExpectedImage> {
  try {
    const info = await stat(lastImage);
    if (info.isFile() && info.size > 0) {
      const header = await readHeader(lastImage);
      return { size: Math.min(info.size, MAX_STAND_IN_BYTES), from: 'last build', header: isArm64Header(header) ? header : null };
    }
  } catch {
    // No image from an earlier build: the lock or the estimate.
  }
  if (lockedSize) return { size: Math.min(lockedSize, MAX_STAND_IN_BYTES), from: 'lock', header: null };
  return { size: ESTIMATE_BYTES, from: 'estimate', header: null };
}

/**
 * The test image's code (position independent, prints one line) padded to the expected size, with
 * the expected image's text_offset, image_size and flags, so Xen loads it as it will load the real one.
 */
export function standInBytes(testImage: Buffer, expected: Pick<ExpectedImage, 'size' | 'header'>): Buffer {
  const bytes = Buffer.alloc(Math.max(Math.min(expected.size, MAX_STAND_IN_BYTES), testImage.length));
  testImage.copy(bytes);
  if (expected.header) expected.header.copy(bytes, 8, 8, 32);
  else bytes.writeBigUInt64LE(BigInt(bytes.length), 16);
  // image_size must cover the file: a header that says less would have Xen load a truncated stand-in.
  if (bytes.readBigUInt64LE(16) < BigInt(bytes.length)) bytes.writeBigUInt64LE(BigInt(bytes.length), 16);
  return bytes;
}

/** Writes the stand-in into `dir` (the run's probe folder) and inspects it like any image. */
export async function writeStandIn(dir: string, expected: ExpectedImage): Promise<ImageInfo> {
  const file = path.join(dir, 'stand-in.bin');
  await writeFileAtomic(file, standInBytes(await readFile(await ensureTestImage()), expected));
  return inspectImage(file, 'the stand-in image');
}
