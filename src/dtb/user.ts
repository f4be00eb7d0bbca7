/** Takes a user's own .dts/.dtb for Xen and patches only the boot module's size; the user's file is never touched. */
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { hex } from '../xen/layout.js';
import { clearName, copyFresh } from '../util/fresh-file.js';
import { runTool } from '../util/run-tool.js';
import { fromCells, toCells } from './chosen.js';
import { decompile, type DtbResult } from './make.js';

/** Reads the user's tree (copied into the run folder): a file fdtget cannot read is the user's --dtb, not the tool's. */
const fdtget = (argv: string[]): Promise<string> =>
  runTool('fdtget', argv, { stage: 'dtb', code: 'DTB_MISMATCH', purpose: 'read the --dtb device tree' });

async function cellsOf(dtb: string, node: string, prop: string, fallback: number): Promise<number> {
  const text = await fdtget(['-t', 'i', '-d', String(fallback), dtb, node, prop]);
  return Number(text.trim());
}

/** Finds the /chosen module Xen boots as Dom0's kernel ("multiboot,kernel"), else the first module. */
async function findKernelModule(dtb: string, source: string): Promise<string> {
  const names = (await fdtget(['-l', dtb, '/chosen']))
    .split('\n')
    .map((n) => n.trim())
    .filter((n) => n.startsWith('module'));
  for (const name of names) {
    const compatible = await fdtget(['-d', '', dtb, `/chosen/${name}`, 'compatible']);
    if (compatible.split(/\s+/).includes('multiboot,kernel')) return `/chosen/${name}`;
  }
  if (names[0]) return `/chosen/${names[0]}`;
  throw new ToolError(
    'DTB_MISMATCH',
    'dtb',
    `${source}: /chosen has no module node (expected module@<load address> with compatible "multiboot,kernel")`,
  );
}

/** Copies the user's tree into the run directory and sets the module's size to `moduleSize`. */
export async function patchUserDtb(options: { source: string; dir: string; loadAddr: bigint; moduleSize: bigint }): Promise<DtbResult> {
  const { source, dir } = options;
  const dtb = path.join(dir, 'xen.dtb');
  const dts = path.join(dir, 'xen.dts');
  const commands: string[][] = [];
  const resolved = path.resolve(source);
  if (resolved === path.resolve(dtb) || resolved === path.resolve(dts)) {
    throw new ToolError(
      'USAGE',
      'config',
      `--dtb ${source}: this file is one the run writes in ${dir}; copy it elsewhere or pick another --out`,
    );
  }
  // A new xen.dtb: a link left at the name is replaced, never written through.
  await clearName(dtb, { stage: 'dtb' });
  if (/\.dts$/i.test(source)) {
    const argv = ['-q', '-I', 'dts', '-O', 'dtb', '-o', dtb, source];
    await runTool('dtc', argv, { stage: 'dtb', code: 'DTB_MISMATCH', purpose: `compile ${source}` });
    commands.push(['dtc', ...argv]);
  } else {
    await copyFresh(source, dtb, { stage: 'dtb' });
  }
  const node = await findKernelModule(dtb, source);
  const addressCells = await cellsOf(dtb, '/chosen', '#address-cells', 2);
  const sizeCells = await cellsOf(dtb, '/chosen', '#size-cells', 1);
  const reg = (await fdtget(['-t', 'x', dtb, node, 'reg'])).trim().split(/\s+/);
  if (reg.length < addressCells + sizeCells) {
    throw new ToolError(
      'DTB_MISMATCH',
      'dtb',
      `${source}: ${node} reg has ${reg.length} cells, expected ${addressCells} address + ${sizeCells} size cells`,
    );
  }
  const address = fromCells(reg.slice(0, addressCells));
  if (address !== options.loadAddr) {
    throw new ToolError(
      'DTB_MISMATCH',
      'dtb',
      `${source}: ${node} is at ${hex(address)} but the loader puts the image at ${hex(options.loadAddr)}; fix the dtb or pass --load-addr ${hex(address)}`,
    );
  }
  let sizeCellValues: string[];
  try {
    sizeCellValues = toCells(options.moduleSize, sizeCells);
  } catch {
    throw new ToolError(
      'DTB_MISMATCH',
      'dtb',
      `${source}: image size ${hex(options.moduleSize)} does not fit ${node}'s ${sizeCells} size cell(s)`,
    );
  }
  const edit = ['-t', 'x', dtb, node, 'reg', ...reg.slice(0, addressCells).map((c) => `0x${c}`), ...sizeCellValues];
  await runTool('fdtput', edit, { stage: 'dtb', code: 'DTB_FAILED', purpose: `set ${node} size` });
  commands.push(['fdtput', ...edit]);
  await decompile(dtb, dts);
  const bootargs = (await fdtget(['-d', '', dtb, '/chosen', 'xen,xen-bootargs'])).trim();
  return { dtb, dts, source: 'user', commands, xenBootargs: bootargs };
}
