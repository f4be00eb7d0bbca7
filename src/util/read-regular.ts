/** Reads a file the tool expects to be a regular one, without ever blocking on a FIFO or a device. */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The path exists but is no regular file the tool should read (a FIFO, a device, a folder), or it is far too large. */
export class NotARegularFile extends Error {
  constructor(
    readonly file: string,
    readonly why: string,
  ) {
    super(`${file}: ${why}`);
  }
}

/** 64 MiB: more than any overlay, lock or layout record. */
const MAX_BYTES = 64 * 2 ** 20;

/**
 * The file's text, or null when there is none. Opened without blocking (a FIFO with no writer
 * would hold the open, and Ctrl-C with it, for ever), then read only when it is a regular file
 * of at most `maxBytes`; otherwise NotARegularFile. Other errors (EACCES) go up as they are.
 */
export async function readRegularFile(file: string, maxBytes = MAX_BYTES): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new NotARegularFile(file, 'is a folder, not a regular file');
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotARegularFile(file, 'is not a regular file (a FIFO, a device or a socket)');
    if (info.size > maxBytes) throw new NotARegularFile(file, `is ${info.size} bytes, more than the ${maxBytes} such a file can be`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
