/** Pure: the horizontal scale every lane of an address map shares, and the hex ticks of its axis. */

/** "log" (default) keeps 4 KiB next to 4 GiB visible; "linear" is proportional and lets tiny spans become hairlines. */
export type ScaleKind = 'log' | 'linear';

/** Maps a guest physical address to a fraction of the axis, 0 at `lo` and 1 at `hi`. */
export interface Scale {
  kind: ScaleKind;
  lo: bigint;
  hi: bigint;
  /** Strictly increasing in the address between lo and hi; clamped outside. */
  x(address: bigint): number;
}

/** One labelled mark on the axis. */
export interface Tick {
  address: string;
  x: number;
}

const PAGE = 4096;

/**
 * Log scale, piecewise: the sorted distinct edges (every span's start and end, all lanes together) cut
 * the axis into gaps; a gap of `bytes` gets 1 + log2(1 + bytes / 4 KiB) units of width, and inside a
 * gap x grows linearly. So x is monotonic in the address (spans keep their order and containment),
 * every span is at least one unit wide (a 4 KiB DTB gets about 2 units where a 4 GiB region gets 21,
 * not a millionth of it), and since all lanes share the edges, one address has one x in every lane.
 * The price: widths are not proportional to sizes (read the hex labels), and a span cut by more
 * edges (a bank holding the kernel and the DTB) looks wider than a span of the same size cut by none.
 */
function logUnits(edges: bigint[]): number[] {
  const cumulative = [0];
  for (let i = 1; i < edges.length; i += 1) {
    const bytes = Number(edges[i]! - edges[i - 1]!);
    cumulative.push(cumulative[i - 1]! + 1 + Math.log2(1 + bytes / PAGE));
  }
  return cumulative;
}

/** Index of the last edge <= address (edges sorted, address within them). */
function gapOf(edges: bigint[], address: bigint): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= address) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** One scale over the span edges of all lanes, so an address lines up across lanes (order, duplicates ignored). */
export function makeScale(addresses: bigint[], kind: ScaleKind = 'log'): Scale {
  const edges = [...new Set(addresses)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (edges.length === 0) edges.push(0x40000000n);
  if (edges.length === 1) edges.push(edges[0]! + 1n);
  const lo = edges[0]!;
  const hi = edges.at(-1)!;
  const clamp = (a: bigint): bigint => (a < lo ? lo : a > hi ? hi : a);
  if (kind === 'linear') {
    return { kind, lo, hi, x: (a) => Number(clamp(a) - lo) / Number(hi - lo) };
  }
  const units = logUnits(edges);
  const total = units.at(-1)!;
  return {
    kind,
    lo,
    hi,
    x(address) {
      const a = clamp(address);
      const i = gapOf(edges, a);
      const within = Number(a - edges[i]!) / Number(edges[i + 1]! - edges[i]!);
      return (units[i]! + within * (units[i + 1]! - units[i]!)) / total;
    },
  };
}

/** Hex ticks at the span edges, left to right; any closer than `minGap` (a fraction) to the last kept is dropped so labels do not overlap. */
export function axisTicks(scale: Scale, addresses: bigint[], minGap: number): Tick[] {
  const ticks: Tick[] = [];
  const edges = [...new Set(addresses)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const address of edges) {
    const x = scale.x(address);
    const last = ticks.at(-1);
    if (last && x - last.x < minGap) continue;
    ticks.push({ address: `0x${address.toString(16)}`, x });
  }
  return ticks;
}
