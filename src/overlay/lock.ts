/** The lock file beside an overlay: the layout it encodes, as JSON, readable back into a Layout. */
import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import '../util/zod-locale.js';
import { ToolError } from '../base/errors.js';
import { layoutToJson, type LayoutJson } from '../xen/layout-json.js';
import type { Layout } from '../xen/layout.js';

export const LOCK_GENERATOR = 'xen-dom0-boot';

const hex = z.string().check(z.regex(/^0x[0-9a-f]+$/));
const range = z.strictObject({ start: hex, end: hex });
const LockSchema = z.object({
  generatedBy: z.literal(LOCK_GENERATOR),
  toolVersion: z.string(),
  learnedAt: z.string(),
  run: z.string(),
  overlay: z.string(),
  layout: z.object({
    xenVersion: z.nullable(z.string()),
    dom0Banks: z.array(range).check(z.minLength(1)),
    grantTable: range,
    extendedRegions: z.array(range).check(z.minLength(1)),
    eventChannelPpi: z.int(),
  }),
});

export type LockFile = z.infer<typeof LockSchema>;

export function lockFor(layout: Layout, meta: Omit<LockFile, 'generatedBy' | 'layout'>): LockFile {
  const json: LayoutJson = layoutToJson(layout);
  return {
    generatedBy: LOCK_GENERATOR,
    ...meta,
    layout: {
      xenVersion: json.xenVersion,
      dom0Banks: json.dom0Banks,
      grantTable: json.grantTable!,
      extendedRegions: json.extendedRegions,
      eventChannelPpi: json.eventChannelPpi!,
    },
  };
}

export function layoutFromLock(lock: LockFile): Layout {
  const r = (x: { start: string; end: string }) => ({ start: BigInt(x.start), end: BigInt(x.end) });
  return {
    xenVersion: lock.layout.xenVersion,
    dom0Banks: lock.layout.dom0Banks.map((b, index) => ({ index, ...r(b) })),
    grantTable: r(lock.layout.grantTable),
    extendedRegions: lock.layout.extendedRegions.map((e, index) => ({ index, ...r(e) })),
    eventChannelPpi: lock.layout.eventChannelPpi,
    kernel: null,
    dom0Dtb: null,
  };
}

/** Reads a lock file; null when there is none; a clear error when it is not one of ours. */
export async function readLock(file: string): Promise<LockFile | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  return text === null ? null : parseLock(file, text);
}

/** Validates a lock file's text (read once by the caller); errors name the file and the field. */
export function parseLock(file: string, text: string): LockFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ToolError('CONFIG_INVALID', 'config', `lock file ${file}: not valid JSON: ${(cause as Error).message}`);
  }
  const parsed = LockSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ToolError('CONFIG_INVALID', 'config', `lock file ${file}: field "${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}
