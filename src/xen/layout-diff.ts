/** Compares the parts of two layouts that a Dom0 image is built with (the overlay's fields). */
import { layoutToJson } from './layout-json.js';
import type { Layout } from './layout.js';

export const BUILD_FIELDS = ['dom0Banks', 'grantTable', 'extendedRegions', 'eventChannelPpi'] as const;

export interface FieldChange {
  field: (typeof BUILD_FIELDS)[number];
  from: unknown;
  to: unknown;
}

/** Per-field differences, empty when an image built with `a` fits a boot that printed `b`. */
export function diffLayouts(a: Layout, b: Layout): FieldChange[] {
  const ja = layoutToJson(a);
  const jb = layoutToJson(b);
  const changes: FieldChange[] = [];
  for (const field of BUILD_FIELDS) {
    if (JSON.stringify(ja[field]) !== JSON.stringify(jb[field])) changes.push({ field, from: ja[field], to: jb[field] });
  }
  return changes;
}
