/** Dom0 images the suite needs that the project does not ship: built once per suite run from real sources. */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { demoBuilder } from '../../src/build/demo.js';
import { renderOverlay } from '../../src/overlay/render.js';
import { parseXenLog } from '../../src/xen/parse.js';
import type { Layout } from '../../src/xen/layout.js';
import { fixtureLines } from '../helpers/fixtures.js';

export interface Guests {
  /** Never prints anything: a Dom0 that hangs at once. */
  silent: string;
  /** The demo linked at 0x60000000 while Xen gives 0x50000000. */
  wrongLink: string;
  /** The demo linked right, but built with the seed's hypervisor node. */
  wrongRegions: string;
}

const SILENT = `        .global _start
_start: b 1f
        .long 0
        .quad 0, 2f - _start, 0xa, 0, 0, 0
        .ascii "ARM\\x64"
        .long 0
1:      wfi
        b 1b
        .balign 8
2:
`;

async function demoWith(dir: string, name: string, layout: Layout): Promise<string> {
  const overlay = path.join(dir, `${name}.overlay`);
  writeFileSync(overlay, renderOverlay(layout, { toolVersion: 'fault', xenVersion: null, learnedAt: 'fault suite', run: name }));
  const built = await demoBuilder.build({
    overlay,
    buildDir: path.join(dir, name),
    logFile: path.join(dir, `${name}.log`),
    pristine: false,
    timeoutMs: 60_000,
  });
  const image = path.join(dir, `${name}.bin`);
  copyFileSync(built.image, image);
  return image;
}

export async function buildGuests(): Promise<Guests> {
  const dir = mkdtempSync(path.join(tmpdir(), 'xdb-fault-guests-'));
  const source = path.join(dir, 'silent.S');
  writeFileSync(source, SILENT);
  const elf = path.join(dir, 'silent.elf');
  const silent = path.join(dir, 'silent.bin');
  await execa('aarch64-linux-gnu-gcc', ['-nostdlib', '-nostartfiles', '-static', '-Wl,-Ttext=0', '-Wl,--build-id=none', '-o', elf, source]);
  await execa('aarch64-linux-gnu-objcopy', ['-O', 'binary', elf, silent]);
  const real = parseXenLog(fixtureLines('xen/xen417-6G-256M.log')).layout;
  const wrongLink = await demoWith(dir, 'wrong-link', { ...real, dom0Banks: [{ index: 0, start: 0x60000000n, end: 0x70000000n }] });
  const wrongRegions = await demoWith(dir, 'wrong-regions', { ...real, grantTable: { start: 0x88080000n, end: 0x880c0000n } });
  return { silent, wrongLink, wrongRegions };
}
