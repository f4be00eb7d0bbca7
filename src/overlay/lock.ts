/** The lock file beside an overlay: the layout it encodes, as JSON, readable back into a Layout. */
import * as z from 'zod/mini';
import '../util/zod-locale.js';
import { ToolError } from '../base/errors.js';
import { readRegularFile } from '../util/read-regular.js';
import { layoutToJson, type LayoutJson } from '../xen/layout-json.js';
import type { Layout } from '../xen/layout.js';
import { LearnedWithSchema } from './lock-inputs.js';

export const LOCK_GENERATOR = 'xen-dom0-boot';

const hex = z.string().check(z.regex(/^0x[0-9a-f]+$/));
const range = z.strictObject({ start: hex, end: hex });
const LockSchema = z.object({
  generatedBy: z.literal(LOCK_GENERATOR),
  toolVersion: z.string(),
  learnedAt: z.string(),
  run: z.string(),
  overlay: z.string(),
  /** Absent in locks of older versions. */
  learnedWith: z.optional(LearnedWithSchema),
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
  const text = await readRegularFile(file).catch(() => null);
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
  const problem = layoutProblem(parsed.data.layout);
  if (problem) throw new ToolError('CONFIG_INVALID', 'config', `lock file ${file}: field "layout.${problem.field}": ${problem.why}`);
  return parsed.data;
}

/** A range the overlay can encode: start before end, inside 64 bits. */
function rangeProblem(range: { start: string; end: string }): string | null {
  const start = BigInt(range.start);
  const end = BigInt(range.end);
  if (end > 1n << 64n) return `end ${range.end} lies past 2^64`;
  if (end <= start) return `end ${range.end} is not after start ${range.start}`;
  return null;
}

/** What a hand-edited lock may hold that no Xen printed: a reversed or too-large range, an event channel that is no PPI. */
function layoutProblem(layout: LockFile['layout']): { field: string; why: string } | null {
  const ranges: [string, { start: string; end: string }][] = [
    ...layout.dom0Banks.map((r, i): [string, typeof r] => [`dom0Banks.${i}`, r]),
    ['grantTable', layout.grantTable],
    ...layout.extendedRegions.map((r, i): [string, typeof r] => [`extendedRegions.${i}`, r]),
  ];
  for (const [field, range] of ranges) {
    const why = rangeProblem(range);
    if (why) return { field, why };
  }
  const ppi = layout.eventChannelPpi;
  if (ppi < 16 || ppi > 31) return { field: 'eventChannelPpi', why: `${ppi} is not a PPI (expected 16 to 31)` };
  return null;
}
