/** Tees a serial stream: raw bytes to serial.log as they arrive, clean lines to listeners. */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { openFreshSync } from '../util/fresh-file.js';
import { LineSplitter, Tail } from './lines.js';

/** Longest a received serial byte waits before it is written to serial.log. */
export const FLUSH_MS = 20;

export type LineListener = (line: string, atMs: number) => void;

/** A live source of serial lines; the transport half of labgrid's transport/expect split. */
export class SerialCapture {
  readonly tail = new Tail<string>(40);
  lineCount = 0;
  byteCount = 0;
  private readonly listeners = new Set<LineListener>();
  private readonly splitter = new LineSplitter();
  private readonly log: WriteStream | null;
  private pending: Buffer[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly startedAt: number;
  readonly closed: Promise<void>;
  /** Set when serial.log could not be written; lines still flow to listeners. */
  logError: Error | null = null;

  constructor(stream: Readable, logPath: string, startedAt = performance.now()) {
    this.startedAt = startedAt;
    // A new file: an old serial.log, or a symbolic link put in its place, is removed, never written through.
    let fd: number | null = null;
    try {
      fd = openFreshSync(logPath);
    } catch (error) {
      this.logError = error as Error;
    }
    this.log = fd === null ? null : createWriteStream('', { fd });
    // A serial.log that cannot be written (disk full, a folder in the way) must not crash the run.
    this.log?.on('error', (error) => {
      this.logError ??= error;
    });
    stream.on('data', (chunk: Buffer) => {
      this.byteCount += chunk.length;
      if (!this.logError) this.queue(chunk);
      for (const line of this.splitter.push(chunk)) this.emit(line);
    });
    this.closed = new Promise((resolve) => {
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        for (const line of this.splitter.end()) this.emit(line);
        this.flush();
        if (this.logError || !this.log) resolve();
        else this.log.end(() => resolve());
      };
      stream.once('end', finish);
      stream.once('close', finish);
      stream.once('error', finish);
    });
  }

  /**
   * QEMU writes the guest's UART a few bytes at a time (about 380 chunks for a 3 KB boot log):
   * one file write per chunk is a thread-pool round trip each, CPU that two QEMUs on two cores
   * (drift --jobs 2) need. Chunks are written together at most FLUSH_MS later, and at the end.
   */
  private queue(chunk: Buffer): void {
    this.pending.push(chunk);
    // unref: a pending flush never keeps the process alive; the end of the stream flushes anyway.
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.logError) this.pending = [];
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.log?.write(data);
  }

  /** Subscribes to new lines; returns the unsubscribe function. */
  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(line: string): void {
    this.lineCount += 1;
    this.tail.push(line);
    const at = performance.now() - this.startedAt;
    for (const listener of this.listeners) listener(line, at);
  }
}
