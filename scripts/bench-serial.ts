/**
 * Streams N MiB of random bytes (default 1024) through the serial line splitter and the Xen
 * log parser, as QEMU's output would go, and prints throughput and peak resident memory.
 * Usage: node --import tsx scripts/bench-serial.ts [MiB]
 */
import { randomFillSync } from 'node:crypto';
import { LineSplitter } from '../src/serial/lines.js';
import { XenLogParser } from '../src/xen/parse.js';

const mib = Number(process.argv[2] ?? 1024);
const chunk = Buffer.alloc(64 * 1024);
const splitter = new LineSplitter();
const parser = new XenLogParser();
let lines = 0;
let peakRss = process.memoryUsage().rss;
const t0 = performance.now();
for (let sent = 0; sent < mib * 1024 * 1024; sent += chunk.length) {
  randomFillSync(chunk);
  for (const line of splitter.push(chunk)) {
    parser.push(line);
    lines += 1;
  }
  if ((sent & 0xffffff) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
for (const line of splitter.end()) parser.push(line);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const s = (performance.now() - t0) / 1000;
console.log(`serial stream: ${mib} MiB random bytes, ${lines} lines, ${s.toFixed(1)} s (${(mib / s).toFixed(0)} MiB/s)`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB (target < 200 MiB: ${peakRss < 200 * 1024 * 1024 ? 'met' : 'NOT met'})`);
console.log(`parser kept: ${parser.events.length} events, ${parser.anomalies.length} anomalies, ${parser.layout.dom0Banks.length} banks`);
