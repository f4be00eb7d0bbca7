/** Pure: the drift matrix (lists of inputs) to the combinations to boot, in a stable order. */
import { xenPathFor } from '../config/xen-choice.js';
import type { ComboJson } from '../report/drift-records.js';

export interface DriftMatrix {
  xen: string[];
  memory: string[];
  dom0Mem: string[];
  xenArgs: string[];
}

/** One combination to boot: the report's own record type. */
export type Combo = ComboJson;

/** Every combination, Xen outermost, then memory, dom0_mem and Xen args. */
export function expandMatrix(matrix: DriftMatrix): Combo[] {
  const combos: Combo[] = [];
  for (const xenLabel of matrix.xen) {
    for (const memory of matrix.memory) {
      for (const dom0Mem of matrix.dom0Mem) {
        for (const xenArgs of matrix.xenArgs) {
          combos.push({ index: combos.length, xenLabel, xen: xenPathFor(xenLabel), memory, dom0Mem, xenArgs });
        }
      }
    }
  }
  return combos;
}

const UNIT: Record<string, number> = { B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** Bytes of the largest size in a dom0_mem or -m value ("256M", "min:512M,max:1G"; no unit is kB, as Xen reads it); 0 when none. */
export function largestSize(value: string): number {
  let largest = 0;
  for (const m of value.matchAll(/(\d+)([BKMGT])?/gi)) largest = Math.max(largest, Number(m[1]) * UNIT[(m[2] ?? 'K').toUpperCase()]!);
  return largest;
}

/**
 * The order to start boots in: costliest first, so parallel workers finish together instead of
 * one booting the biggest Dom0 alone at the end. Xen maps all of Dom0's memory before the
 * hand-over, so dom0_mem sets the cost, then -m; ties keep the matrix order.
 */
export function costliestFirst(combos: Combo[]): Combo[] {
  return [...combos].sort(
    (a, b) => largestSize(b.dom0Mem) - largestSize(a.dom0Mem) || largestSize(b.memory) - largestSize(a.memory) || a.index - b.index,
  );
}

/** Runs `work` over `items` with at most `jobs` at once; results keep the items' order. */
export async function pool<T, R>(items: T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

/** Which slice of the matrix a CI runner boots: shard `index` of `total` (1-based). */
export interface Shard {
  index: number;
  total: number;
}

/**
 * The combinations of `shard`: the matrix in costliest-first order dealt to the shards like cards,
 * back and forth (1..N, N..1, ...), so every shard gets its share of the costliest boots and the
 * slices differ in size by at most one. Deterministic: the same matrix gives the same slices.
 */
export function shardOf(combos: Combo[], shard: Shard): Combo[] {
  return costliestFirst(combos)
    .filter((_, i) => {
      const round = Math.floor(i / shard.total);
      const seat = i % shard.total;
      return (round % 2 === 0 ? seat : shard.total - 1 - seat) === shard.index - 1;
    })
    .sort((a, b) => a.index - b.index);
}
