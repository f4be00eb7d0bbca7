/** Picks the QEMU binary: the user's path, the Zephyr SDK's, the project cache's QEMU 10, or the one on PATH. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { QEMU_CACHE_BIN, SETUP_COMMAND } from '../base/paths.js';
import { isExecutable, which } from '../util/which.js';

/** Where the Zephyr SDK keeps its QEMU (REFERENCE §1). */
export function sdkQemuPath(sdkDir: string, binary: string): string {
  return path.join(sdkDir, 'sysroots', 'x86_64-pokysdk-linux', 'usr', 'bin', binary);
}

/** Where QEMU came from; versions.json and report.json say which. */
export type QemuSource = 'option' | 'zephyr-sdk' | 'project-cache' | 'path';

export interface ResolvedQemu {
  path: string;
  source: QemuSource;
}

/**
 * An explicit path wins; else ZEPHYR_SDK_INSTALL_DIR's QEMU if there is one; else the QEMU 10
 * `npm run setup` put in `cacheBin` (Debian 12's own 7.2 hangs Zephyr Dom0s); else PATH.
 */
export function resolveQemu(binary: string, explicit: string | undefined, env = process.env, cacheBin = QEMU_CACHE_BIN): ResolvedQemu {
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
  const cached = path.join(cacheBin, binary);
  if (!binary.includes('/') && isExecutable(cached)) return { path: cached, source: 'project-cache' };
  const onPath = which(binary, env.PATH ?? '');
  if (onPath) return { path: onPath, source: 'path' };
  throw new ToolError(
    'TOOL_MISSING',
    'tools',
    `${binary} not found (checked ZEPHYR_SDK_INSTALL_DIR, ${cacheBin} and PATH): run ${SETUP_COMMAND} (QEMU 10 from bookworm-backports, and Debian's qemu-system-arm) or pass --qemu PATH`,
  );
}
