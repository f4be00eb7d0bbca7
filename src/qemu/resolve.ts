/** Picks the QEMU binary: the user's path, the Zephyr SDK's, or the one on PATH. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { isExecutable, which } from '../util/which.js';

/** Where the Zephyr SDK keeps its QEMU (REFERENCE §1). */
export function sdkQemuPath(sdkDir: string, binary: string): string {
  return path.join(sdkDir, 'sysroots', 'x86_64-pokysdk-linux', 'usr', 'bin', binary);
}

export interface ResolvedQemu {
  path: string;
  source: 'option' | 'zephyr-sdk' | 'path';
}

/** An explicit path wins; else ZEPHYR_SDK_INSTALL_DIR's QEMU if there is one; else PATH. */
export function resolveQemu(binary: string, explicit: string | undefined, env = process.env): ResolvedQemu {
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new ToolError('INPUT_NOT_FOUND', 'config', `--qemu ${explicit}: no such file`);
    }
    if (!isExecutable(explicit)) {
      throw new ToolError('INPUT_NOT_FOUND', 'config', `--qemu ${explicit}: not an executable file`);
    }
    return { path: path.resolve(explicit), source: 'option' };
  }
  const sdk = env.ZEPHYR_SDK_INSTALL_DIR;
  if (sdk) {
    const candidate = sdkQemuPath(sdk, binary);
    if (isExecutable(candidate)) return { path: candidate, source: 'zephyr-sdk' };
  }
  const onPath = which(binary, env.PATH ?? '');
  if (onPath) return { path: onPath, source: 'path' };
  throw new ToolError(
    'TOOL_MISSING',
    'tools',
    `${binary} not found (checked ZEPHYR_SDK_INSTALL_DIR and PATH): install Debian's qemu-system-arm (npm run setup does) or pass --qemu PATH`,
  );
}
