/** QEMU machine profiles: data files under qemu/ describing the board Xen boots on. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import '../util/zod-locale.js';
import { ToolError } from '../base/errors.js';
import { PROJECT_ROOT } from '../base/paths.js';
import { formatZodIssues } from '../config/issues.js';

const text = z.string().check(z.minLength(1));
const ProfileSchema = z.strictObject({
  name: text,
  description: z.string(),
  binary: text,
  cpu: text,
  machine: text,
  memory: z.string().check(z.regex(/^\d+[MG]$/)),
  uart: z.string().check(z.startsWith('/')),
  loadAddr: z.string().check(z.regex(/^0x[0-9a-fA-F]+$/)),
  xenBootargs: z.string(),
  extraArgs: z.array(z.string()),
});

export type Profile = z.infer<typeof ProfileSchema>;

export const PROFILE_DIR = path.join(PROJECT_ROOT, 'qemu');

/** Loads a profile by name (a file in qemu/) or by path to a JSON file. */
export async function loadProfile(nameOrPath: string): Promise<Profile> {
  const file = nameOrPath.endsWith('.json') ? path.resolve(nameOrPath) : path.join(PROFILE_DIR, `${nameOrPath}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ToolError('INPUT_NOT_FOUND', 'config', `QEMU profile "${nameOrPath}": cannot read ${file}`, { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ToolError('CONFIG_INVALID', 'config', `QEMU profile ${file}: not valid JSON (${(cause as Error).message})`);
  }
  const parsed = ProfileSchema.safeParse(data);
  if (!parsed.success) {
    throw new ToolError('CONFIG_INVALID', 'config', `QEMU profile ${file}: ${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}
