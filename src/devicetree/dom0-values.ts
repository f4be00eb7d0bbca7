/** Pure: the Dom0 addresses a merged devicetree holds: what the demo is built with, and what a build is checked against. */
import { childCells, regPairs, resolveRef, cellsOf, stringsOf, type DtNode, type DtTree } from './parse.js';
import { isOkay } from './targets.js';
import { ToolError } from '../base/errors.js';

export interface Dom0DtValues {
  /** Flattened base,size pairs of the xen,xen node's reg. */
  hypervisorReg: bigint[];
  /** Flattened base,size pairs of the zephyr,sram node, then each extra bank node (xen_dom0_bankN). */
  memoryReg: bigint[];
  /** n of GIC_PPI n in the xen,xen node's interrupts. */
  evtchnPpi: number;
}

function regOf(tree: DtTree, node: DtNode): bigint[] {
  const pairs = regPairs(node.props.get('reg') ?? '', childCells(node.parent!));
  if (!pairs?.length) throw new ToolError('BUILD_FAILED', 'build', `${tree.file}: ${node.path} has no readable reg`);
  return pairs.flatMap((p) => [p.address, p.size]);
}

/** Reads what Dom0 needs from the merged tree, the way Zephyr's DT macros do (chosen, compatible, labels). */
export function dom0Values(tree: DtTree): Dom0DtValues {
  const sram = resolveRef(tree, tree.byPath.get('/chosen')?.props.get('zephyr,sram') ?? '');
  const xen = [...tree.byPath.values()].find((n) => stringsOf(n.props.get('compatible') ?? '').includes('xen,xen') && isOkay(n));
  if (!sram || !xen) {
    throw new ToolError('DT_TARGET_MISSING', 'build', `${tree.file}: needs /chosen zephyr,sram and a xen,xen node, as a Zephyr Dom0 does`);
  }
  const banks = [...tree.byLabel.entries()]
    .filter(([label]) => /^xen_dom0_bank\d+$/.test(label))
    .sort((a, b) => Number(a[0].slice(13)) - Number(b[0].slice(13)));
  const interrupts = cellsOf(xen.props.get('interrupts') ?? '');
  if (!interrupts || interrupts.length < 2) throw new ToolError('BUILD_FAILED', 'build', `${tree.file}: ${xen.path} has no interrupts`);
  return {
    hypervisorReg: regOf(tree, xen),
    memoryReg: [...regOf(tree, sram), ...banks.flatMap(([, node]) => regOf(tree, node))],
    evtchnPpi: Number(interrupts[1]),
  };
}
