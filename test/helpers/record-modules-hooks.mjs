// The resolve hook of record-modules.mjs: records each resolved URL, changes nothing.
import { appendFileSync } from 'node:fs';
import process from 'node:process';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.XDB_MODULES_LOG) appendFileSync(process.env.XDB_MODULES_LOG, `${result.url}\n`);
  return result;
}
