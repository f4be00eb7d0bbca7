/**
 * Pure: reads a merged devicetree source (Zephyr's `zephyr.dts`, or `dtc -O dts` output) into
 * nodes with their paths, labels and raw property values. Written for generated trees: no
 * includes, no /delete-node/, one tree; comments and `/dts-v1/;` are skipped.
 */
import { ToolError } from '../base/errors.js';

export interface DtNode {
  name: string;
  /** Full path, `/` for the root. */
  path: string;
  labels: string[];
  /** Raw property text after `=` (`< 0x0 0x1 >`, `"xen,xen"`, `&sram0`); `''` for a boolean property. */
  props: Map<string, string>;
  children: DtNode[];
  parent: DtNode | null;
}

export interface DtTree {
  file: string;
  root: DtNode;
  byPath: Map<string, DtNode>;
  byLabel: Map<string, DtNode>;
}

const bad = (file: string, line: number, what: string): ToolError =>
  new ToolError('BUILD_FAILED', 'overlay', `${file}:${line}: not a devicetree source the tool can read (${what})`);

/** Splits the text into statements ending at an unquoted `{`, `}` or `;`, comments dropped. */
function* statements(text: string): Generator<{ text: string; end: string; line: number }> {
  let current = '';
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '\n') line += 1;
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const stop = close === -1 ? text.length : close + 2;
      for (let j = i; j < stop; j += 1) if (text[j] === '\n') line += 1;
      i = stop - 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
      line += 1;
      continue;
    }
    if (c === '"') {
      const from = i;
      for (i += 1; i < text.length && text[i] !== '"'; i += 1) if (text[i] === '\\') i += 1;
      current += text.slice(from, i + 1);
      continue;
    }
    if (c === '&' && text[i + 1] === '{') {
      // A path reference, &{/path}: its braces open no node.
      const close = text.indexOf('}', i + 2);
      const stop = close === -1 ? text.length : close + 1;
      current += text.slice(i, stop);
      i = stop - 1;
      continue;
    }
    if (c === '{' || c === '}' || c === ';') {
      yield { text: current.trim(), end: c, line: startLine };
      current = '';
      startLine = line;
      continue;
    }
    if (!current.trim()) startLine = line;
    current += c;
  }
  if (current.trim()) yield { text: current.trim(), end: '', line: startLine };
}

const childPath = (parent: DtNode, name: string): string => (parent.path === '/' ? `/${name}` : `${parent.path}/${name}`);

/** Parses `text` (read from `file`, named in errors). */
export function parseDts(text: string, file: string): DtTree {
  const root: DtNode = { name: '/', path: '/', labels: [], props: new Map(), children: [], parent: null };
  const byPath = new Map<string, DtNode>([['/', root]]);
  const byLabel = new Map<string, DtNode>();
  let current: DtNode | null = null;
  for (const st of statements(text)) {
    if (st.end === '{') {
      const words = st.text.split(/\s+/).filter(Boolean);
      const name = words.pop();
      if (!name || words.some((w) => !w.endsWith(':'))) throw bad(file, st.line, `node header '${st.text}'`);
      const labels = words.map((w) => w.slice(0, -1));
      let node: DtNode;
      if (name === '/' && current === null) node = root;
      else if (current === null) throw bad(file, st.line, `node '${name}' outside the root`);
      else {
        const path = childPath(current, name);
        node = byPath.get(path) ?? { name, path, labels: [], props: new Map(), children: [], parent: current };
        if (!byPath.has(path)) {
          current.children.push(node);
          byPath.set(path, node);
        }
      }
      for (const label of labels) {
        node.labels.push(label);
        byLabel.set(label, node);
      }
      current = node;
    } else if (st.end === '}') {
      if (st.text) throw bad(file, st.line, `'${st.text}' before '}'`);
      if (current === null) throw bad(file, st.line, "unbalanced '}'");
      current = current.parent;
    } else if (st.end === ';') {
      if (!st.text || st.text.startsWith('/dts-v1/') || st.text.startsWith('/memreserve/')) continue;
      if (current === null) throw bad(file, st.line, `'${st.text}' outside a node`);
      const eq = st.text.indexOf('=');
      const name = (eq === -1 ? st.text : st.text.slice(0, eq)).trim();
      current.props.set(name, eq === -1 ? '' : st.text.slice(eq + 1).trim());
    } else {
      throw bad(file, st.line, `unterminated '${st.text.slice(0, 40)}'`);
    }
  }
  if (current !== null) throw bad(file, 0, 'a node is not closed');
  return { file, root, byPath, byLabel };
}

/** Every number in the `<...>` groups of a value, in order; null when a group holds a reference or an expression. */
export function cellsOf(value: string): bigint[] | null {
  const out: bigint[] = [];
  for (const group of value.matchAll(/<([^>]*)>/g)) {
    for (const word of group[1]!.trim().split(/\s+/).filter(Boolean)) {
      if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(word)) return null;
      out.push(BigInt(word));
    }
  }
  return out;
}

/** The strings of a value (`"a", "b"`). */
export function stringsOf(value: string): string[] {
  return [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
}

/** The node a path-valued property names: `&label`, `&{/path}` or `"/path"`; null when it names none. */
export function resolveRef(tree: DtTree, value: string): DtNode | null {
  const v = value.trim();
  const byPath = /^&\{(\/[^}]*)\}$/.exec(v) ?? /^"(\/[^"]*)"$/.exec(v);
  if (byPath) return tree.byPath.get(byPath[1]!) ?? null;
  const byLabel = /^&([A-Za-z_][\w]*)$/.exec(v);
  if (byLabel) return tree.byLabel.get(byLabel[1]!) ?? null;
  return null;
}

/** A node's `#address-cells` / `#size-cells` for its children (devicetree defaults 2 and 1). */
export function childCells(node: DtNode): { address: number; size: number } {
  const read = (prop: string, fallback: number): number => {
    const cells = cellsOf(node.props.get(prop) ?? '');
    return cells && cells.length === 1 ? Number(cells[0]) : fallback;
  };
  return { address: read('#address-cells', 2), size: read('#size-cells', 1) };
}

/** A `reg`-like value split into (address, size) pairs with the parent's cell counts. */
export function regPairs(value: string, cells: { address: number; size: number }): Array<{ address: bigint; size: bigint }> | null {
  const all = cellsOf(value);
  const width = cells.address + cells.size;
  if (!all || width === 0 || all.length % width !== 0) return null;
  const join = (from: number, n: number): bigint => all.slice(from, from + n).reduce((acc, c) => (acc << 32n) | c, 0n);
  const out = [];
  for (let i = 0; i < all.length; i += width) out.push({ address: join(i, cells.address), size: join(i + cells.address, cells.size) });
  return out;
}
