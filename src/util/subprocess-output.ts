/** A child's stdout and stderr kept in memory for its result, bounded so a flood cannot grow the tool. */
import type { Readable } from 'node:stream';

/** A child's output as text, decoded only when its result is made. */
export interface Collected {
  stdout(): string;
  stderr(): string;
}

/** Keeps the first `max` bytes of one stream; the rest is read and dropped, so the child never blocks on a full pipe. */
function keep(stream: Readable | null, max: number): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (size >= max) return;
    const part = chunk.subarray(0, max - size);
    chunks.push(part);
    size += part.length;
  });
  stream?.on('error', () => undefined);
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Starts reading both streams at once (before the child can fill a pipe); text is decoded when asked for. */
export function collectOutput(stdout: Readable | null, stderr: Readable | null, max: number): Collected {
  return { stdout: keep(stdout, max), stderr: keep(stderr, max) };
}
