/**
 * Pure: where in a board's merged devicetree the overlay must put Dom0's addresses: the node
 * `/chosen zephyr,sram` names (Zephyr links there) and the `xen,xen` node (Zephyr's Xen drivers
 * read instance 0). Read from the tree without our overlay, so the overlay can delete and
 * re-create exactly those nodes, whatever labels and parents the board and snippet gave them.
 */
import { ToolError } from '../base/errors.js';
import { cellsOf, childCells, resolveRef, stringsOf, type DtNode, type DtTree } from './parse.js';

export interface NodeTarget {
  /** The node's path in the base tree; null when it does not exist yet (created by the overlay). */
  path: string | null;
  /** The label the overlay deletes it by and re-creates it with. */
  label: string;
  /** Every label the node has (others may be referenced elsewhere); re-created with all of them. */
  labels: string[];
  /** True when `label` is the node's own (delete by label); false when the overlay must delete by path. */
  labelled: boolean;
  /** Where the re-created node goes. */
  parentPath: string;
  /** The parent's `#address-cells` and `#size-cells`. */
  cells: { address: number; size: number };
  /** The node's own `interrupt-parent` as `<&label>`, kept on the re-created node; null: it inherits one. */
  interruptParent: string | null;
}

export interface DtTargets {
  sram: NodeTarget;
  hypervisor: NodeTarget;
  /** Label prefix of the extra-bank nodes (at the root). */
  bankLabelPrefix: string;
  /** The root's `#address-cells` and `#size-cells`, for the extra-bank nodes. */
  rootCells: { address: number; size: number };
  /** Where the targets were read from (a file), or 'default' for the built-in shape. */
  source: string;
}

/** qemu_cortex_a53 with Zephyr's xen_dom0 snippet: sram0 inside /soc, hypervisor at the root (REFERENCE §5). */
export const SNIPPET_TARGETS: DtTargets = {
  sram: {
    path: '/soc/memory@58000000',
    label: 'sram0',
    labels: ['sram0'],
    labelled: true,
    parentPath: '/soc',
    cells: { address: 2, size: 2 },
    interruptParent: null,
  },
  hypervisor: {
    path: '/hypervisor@40200000',
    label: 'hypervisor',
    labels: ['hypervisor'],
    labelled: true,
    parentPath: '/',
    cells: { address: 2, size: 2 },
    interruptParent: '<&gic>',
  },
  bankLabelPrefix: 'xen_dom0_bank',
  rootCells: { address: 2, size: 2 },
  source: 'default',
};

/**
 * The same shape as Zephyr's own zephyr.dts prints it (dtlib writes `< &gic >`): what the base
 * devicetree of qemu_cortex_a53 with xen_dom0 most likely gives, so pass 1 can build while it is read.
 */
export const ZEPHYR_SNIPPET_TARGETS: DtTargets = {
  ...SNIPPET_TARGETS,
  hypervisor: { ...SNIPPET_TARGETS.hypervisor, interruptParent: '< &gic >' },
  source: 'guess',
};

function freeLabel(tree: DtTree, wanted: string): string {
  if (!tree.byLabel.has(wanted)) return wanted;
  for (let i = 1; ; i += 1) if (!tree.byLabel.has(`${wanted}_${i}`)) return `${wanted}_${i}`;
}

/** `interrupt-parent` as `<&label>`: dtc's output holds a phandle number, which the overlay cannot use. */
function interruptParentOf(tree: DtTree, node: DtNode): string | null {
  const raw = node.props.get('interrupt-parent');
  if (!raw || /^<\s*&[\w]+\s*>$/.test(raw)) return raw ?? null;
  const phandle = cellsOf(raw);
  if (!phandle || phandle.length !== 1) return null;
  const owner = [...tree.byPath.values()].find((n) => cellsOf(n.props.get('phandle') ?? '')?.[0] === phandle[0] && n.labels.length > 0);
  return owner ? `<&${owner.labels[0]}>` : null;
}

/** `<&label>` of the first labelled interrupt controller that is a GIC, else `<&gic>`. */
function gicLabel(tree: DtTree): string {
  const gic = [...tree.byPath.values()].find(
    (n) =>
      n.props.has('interrupt-controller') &&
      n.labels.length > 0 &&
      stringsOf(n.props.get('compatible') ?? '').some((c) => c.startsWith('arm,gic')),
  );
  return `<&${gic?.labels[0] ?? 'gic'}>`;
}

function targetOf(tree: DtTree, node: DtNode, fallbackLabel: string): NodeTarget {
  const parent = node.parent!;
  const own = node.labels[0];
  return {
    path: node.path,
    label: own ?? freeLabel(tree, fallbackLabel),
    labels: own ? [...node.labels] : [freeLabel(tree, fallbackLabel)],
    labelled: own !== undefined,
    parentPath: parent.path,
    cells: childCells(parent),
    interruptParent: interruptParentOf(tree, node),
  };
}

/** Whether Zephyr counts the node (DT_INST takes only enabled nodes). */
export const isOkay = (node: DtNode): boolean => !stringsOf(node.props.get('status') ?? '"okay"').includes('disabled');

/** Finds both targets; throws naming the file and what is missing or ambiguous. */
export function findTargets(tree: DtTree): DtTargets {
  const chosen = tree.byPath.get('/chosen');
  const sramRef = chosen?.props.get('zephyr,sram');
  if (!sramRef) {
    throw new ToolError(
      'DT_TARGET_MISSING',
      'overlay',
      `${tree.file}: /chosen has no zephyr,sram: the overlay cannot tell where Zephyr links`,
    );
  }
  const sram = resolveRef(tree, sramRef);
  if (!sram || sram === tree.root) {
    throw new ToolError('DT_TARGET_MISSING', 'overlay', `${tree.file}: /chosen zephyr,sram = ${sramRef} names no node of the tree`);
  }
  const xen = [...tree.byPath.values()].filter((n) => stringsOf(n.props.get('compatible') ?? '').includes('xen,xen') && isOkay(n));
  if (xen.length > 1) {
    throw new ToolError(
      'DT_TARGET_MISSING',
      'overlay',
      `${tree.file}: ${xen.length} enabled xen,xen nodes (${xen.map((n) => n.path).join(', ')}); Zephyr reads only the first: keep one`,
    );
  }
  const rootCells = childCells(tree.root);
  const hypervisor: NodeTarget = xen[0]
    ? targetOf(tree, xen[0], 'hypervisor')
    : {
        path: null,
        label: freeLabel(tree, 'hypervisor'),
        labels: [freeLabel(tree, 'hypervisor')],
        labelled: false,
        parentPath: '/',
        cells: rootCells,
        // A new node inherits the root's interrupt-parent; without one, the GIC by its label.
        interruptParent: tree.root.props.has('interrupt-parent') ? null : gicLabel(tree),
      };
  return {
    sram: targetOf(tree, sram, 'xen_dom0_sram'),
    hypervisor,
    bankLabelPrefix: 'xen_dom0_bank',
    rootCells,
    source: tree.file,
  };
}
