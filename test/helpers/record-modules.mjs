// `node --import tsx --import ./record-modules.mjs ...`: appends the URL of every module the process
// resolves to the file $XDB_MODULES_LOG, one a line (a loader hook, in Node's hooks thread).
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url);
