/** Pure: the drift matrix (lists of inputs) to the combinations to boot, in a stable order. */
import path from 'node:path';
import { CACHE_DIR } from '../paths.js';

export interface DriftMatrix {
  xen: string[];
  memory: string[];
  dom0Mem: string[];
  xenArgs: string[];
}

export interface Combo {
  index: number;
  /** As the user named it: a path, or a version fetched by setup ("4.17", "4.20"). */
  xenLabel: string;
  xen: string;
  memory: string;
  dom0Mem: string;
  xenArgs: string;
}

/** "4.17" and "4.20" name the copies `npm run setup [-- --xen 4.20]` fetched; anything else is a path. */
export function xenPathFor(label: string): string {
  return /^\d+\.\d+$/.test(label) ? path.join(CACHE_DIR, 'xen', label, 'xen') : path.resolve(label);
}

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
