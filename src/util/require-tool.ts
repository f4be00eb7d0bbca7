/** Looks up a host tool on PATH, naming the Debian package to install when it is missing. */
import { ToolError } from '../base/errors.js';
import { SETUP_COMMAND } from '../base/paths.js';
import { which } from './which.js';

/** Path of `name`, or a TOOL_MISSING error that says which package provides it. */
export function requireTool(name: string, pkg: string): string {
  const found = which(name);
  if (!found) {
    throw new ToolError('TOOL_MISSING', 'tools', `${name} not found on PATH: install Debian's ${pkg} (${SETUP_COMMAND} does)`);
  }
  return found;
}
