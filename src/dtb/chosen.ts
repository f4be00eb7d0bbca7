/** Pure description of the /chosen edits Xen needs (REFERENCE §1 step 2), as fdtput argv arrays. */
import { hex } from '../xen/layout.js';

export interface ChosenSpec {
  xenBootargs: string;
  dom0Bootargs: string;
  loadAddr: bigint;
  moduleSize: bigint;
}

/** Rounds the image size up so the module always covers the whole image. */
export function moduleSizeFor(imageSize: number, align = 0x1000n): bigint {
  const size = BigInt(Math.max(imageSize, 1));
  return ((size + align - 1n) / align) * align;
}

/** Xen's command line: console on the profile's PL011, dom0_mem, profile args, then the user's. */
export function xenBootargs(parts: { uart: string; dom0Mem: string; profileArgs: string; extra: string }): string {
  return [`console=dtuart dtuart=${parts.uart}`, `dom0_mem=${parts.dom0Mem}`, parts.profileArgs, parts.extra]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
}

/** Splits a value into `cells` 32-bit cells, most significant first, as hex strings. */
export function toCells(value: bigint, cells: number): string[] {
  if (value >> BigInt(32 * cells) !== 0n) throw new RangeError(`${hex(value)} does not fit in ${cells} cell(s)`);
  const out: string[] = [];
  for (let i = cells - 1; i >= 0; i -= 1) out.push(hex((value >> BigInt(32 * i)) & 0xffffffffn));
  return out;
}

/** Joins cells (as fdtget prints them, hex) back into one value. */
export function fromCells(cells: readonly string[]): bigint {
  return cells.reduce((acc, cell) => (acc << 32n) | BigInt(cell.startsWith('0x') ? cell : `0x${cell}`), 0n);
}

export function moduleNodePath(loadAddr: bigint): string {
  return `/chosen/module@${loadAddr.toString(16)}`;
}

/** fdtput invocations (argv after "fdtput") that turn QEMU's own tree into xen.dtb. */
export function chosenEdits(dtb: string, spec: ChosenSpec): string[][] {
  const node = moduleNodePath(spec.loadAddr);
  return [
    ['-t', 's', dtb, '/chosen', 'xen,xen-bootargs', spec.xenBootargs],
    ['-t', 's', dtb, '/chosen', 'xen,dom0-bootargs', spec.dom0Bootargs],
    ['-t', 'i', dtb, '/chosen', '#address-cells', '2'],
    ['-t', 'i', dtb, '/chosen', '#size-cells', '2'],
    ['-c', dtb, node],
    ['-t', 's', dtb, node, 'compatible', 'multiboot,kernel', 'multiboot,module'],
    ['-t', 'x', dtb, node, 'reg', ...toCells(spec.loadAddr, 2), ...toCells(spec.moduleSize, 2)],
  ];
}
