/** Reads a drift.json someone hands the tool (a shard's run folder, a --baseline): its rows, checked enough to trust. */
import { readFile, stat } from 'node:fs/promises';
import { ToolError } from '../base/errors.js';
import { DRIFT_SCHEMA_VERSION, type DriftJson } from './drift-records.js';

/** 256 MiB: a drift.json of 100,000 rows is about 100 MiB. */
const MAX_BYTES = 256 * 2 ** 20;

/** `what` names where the file came from in errors (e.g. "--baseline", "drift merge"). */
export async function readDriftFile(file: string, what: string): Promise<DriftJson> {
  let text: string;
  try {
    // A FIFO or a device would block the read or never end (/dev/zero): only a regular file of a sane size is read.
    const info = await stat(file);
    if (!info.isFile())
      throw new ToolError('CONFIG_INVALID', 'config', `${what} ${file}: not a regular file (expected the drift.json of a drift run)`);
    if (info.size > MAX_BYTES)
      throw new ToolError('CONFIG_INVALID', 'config', `${what} ${file}: ${info.size} bytes, more than a drift.json holds`);
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if (cause instanceof ToolError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (cause as Error).message})`;
    throw new ToolError('INPUT_NOT_FOUND', 'config', `${what} ${file}: ${why} (expected the drift.json of a drift run)`, { cause });
  }
  let json: Partial<DriftJson>;
  try {
    json = JSON.parse(text) as Partial<DriftJson>;
  } catch (cause) {
    throw new ToolError('CONFIG_INVALID', 'config', `${what} ${file}: not JSON (${(cause as Error).message})`, { cause });
  }
  const wrong =
    json.schemaVersion !== DRIFT_SCHEMA_VERSION
      ? `schemaVersion ${JSON.stringify(json.schemaVersion)}, expected ${DRIFT_SCHEMA_VERSION}`
      : json.command !== 'drift' || !Array.isArray(json.rows) || typeof json.matrix !== 'object' || !json.tool
        ? 'not a drift.json (command, tool, matrix and rows expected)'
        : json.rows.some((row) => typeof row?.combo?.index !== 'number' || !('layout' in row) || !('failure' in row))
          ? 'a row without combo.index, layout or failure'
          : null;
  if (wrong) throw new ToolError('CONFIG_INVALID', 'config', `${what} ${file}: ${wrong}`);
  return { shard: null, ...json } as DriftJson;
}
