/** Reads what the run needs to know about a Dom0 image: its size and whether it is an arm64 Image. */
import { open, stat } from 'node:fs/promises';
import { ToolError } from '../base/errors.js';

export interface ImageInfo {
  path: string;
  size: number;
  /** True when the 64-byte arm64 Image header's magic ("ARM\x64" at 56) is present. */
  arm64Image: boolean;
}

const MAGIC = Buffer.from('ARM\x64', 'latin1');

/** The first 64 bytes of an image: an arm64 Image's header when it is one (zero-filled past a shorter file). */
export async function readHeader(file: string): Promise<Buffer> {
  const header = Buffer.alloc(64);
  const handle = await open(file, 'r');
  try {
    await handle.read(header, 0, 64, 0);
  } finally {
    await handle.close();
  }
  return header;
}

/** True when the header carries the arm64 Image magic ("ARM\x64" at 56). */
export const isArm64Header = (header: Buffer): boolean => header.subarray(56, 60).equals(MAGIC);

/** Checks the image exists and is non-empty; reads its header. */
export async function inspectImage(file: string, option = '--image'): Promise<ImageInfo> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (cause) {
    throw new ToolError('INPUT_NOT_FOUND', 'image', `${option} ${file}: no such image file`, { cause });
  }
  if (size === 0) throw new ToolError('INPUT_NOT_FOUND', 'image', `${option} ${file}: the image is empty`);
  let header: Buffer;
  try {
    header = await readHeader(file);
  } catch (cause) {
    throw new ToolError(
      'INPUT_NOT_FOUND',
      'image',
      `${option} ${file}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? cause})`,
      { cause },
    );
  }
  return { path: file, size, arm64Image: isArm64Header(header) };
}
