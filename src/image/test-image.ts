/** Builds the project's tiny arm64 test image from example/test-image with the cross compiler. */
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CACHE_DIR, PROJECT_ROOT } from '../base/paths.js';
import { tempNameFor } from '../util/atomic-write.js';
import { requireTool } from '../util/require-tool.js';
import { runTool } from '../util/run-tool.js';

export const TEST_IMAGE_SOURCE = path.join(PROJECT_ROOT, 'example', 'test-image', 'image.S');
export const TEST_IMAGE = path.join(CACHE_DIR, 'test-image', 'test-image.bin');

async function mtime(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

/** Returns the test image's path, (re)building it when missing or older than its source. */
export async function ensureTestImage(): Promise<string> {
  const [built, source] = await Promise.all([mtime(TEST_IMAGE), mtime(TEST_IMAGE_SOURCE)]);
  if (built !== null && source !== null && built >= source) return TEST_IMAGE;
  const gcc = requireTool('aarch64-linux-gnu-gcc', 'gcc-aarch64-linux-gnu');
  const objcopy = requireTool('aarch64-linux-gnu-objcopy', 'binutils-aarch64-linux-gnu');
  const dir = path.dirname(TEST_IMAGE);
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(path.join(tmpdir(), 'xdb-test-image-'));
  const elf = path.join(work, 'test-image.elf');
  const tmp = tempNameFor(TEST_IMAGE);
  const common = { stage: 'image' as const, code: 'IMAGE_BUILD_FAILED' as const };
  await runTool(gcc, ['-nostdlib', '-nostartfiles', '-static', '-Wl,-Ttext=0', '-Wl,--build-id=none', '-o', elf, TEST_IMAGE_SOURCE], {
    ...common,
    purpose: 'build the test image',
  });
  try {
    await runTool(objcopy, ['-O', 'binary', elf, tmp], { ...common, purpose: 'make the test image binary' });
    await rename(tmp, TEST_IMAGE);
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(tmp, { force: true });
  }
  return TEST_IMAGE;
}
