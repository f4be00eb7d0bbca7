/** Finds what a real Zephyr build needs (west, ZEPHYR_BASE, cmake, ninja) and says how to get what is missing. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../base/errors.js';
import { which } from '../util/which.js';

export function requireWest(env = process.env): string {
  const west = which('west', env.PATH ?? '');
  if (!west) {
    throw new ToolError(
      'TOOL_MISSING',
      'build',
      'west not found on PATH: install it with `pip install west` inside your Zephyr workspace (Zephyr Getting Started Guide), or use the cmake builder',
    );
  }
  return west;
}

export function requireZephyrBase(env = process.env): string {
  const base = env.ZEPHYR_BASE;
  if (!base) {
    throw new ToolError(
      'TOOL_MISSING',
      'build',
      'ZEPHYR_BASE is not set: run `source zephyr/zephyr-env.sh` in your west workspace, or export ZEPHYR_BASE=/path/to/zephyr',
    );
  }
  if (!existsSync(path.join(base, 'CMakeLists.txt'))) {
    throw new ToolError('TOOL_MISSING', 'build', `ZEPHYR_BASE=${base} is not a Zephyr tree (no CMakeLists.txt there)`);
  }
  return base;
}

export function requireCmakeNinja(env = process.env): { cmake: string; ninja: string } {
  const cmake = which('cmake', env.PATH ?? '');
  const ninja = which('ninja', env.PATH ?? '');
  if (!cmake) throw new ToolError('TOOL_MISSING', 'build', "cmake not found on PATH: install Debian's cmake (apt-get install cmake)");
  if (!ninja)
    throw new ToolError('TOOL_MISSING', 'build', "ninja not found on PATH: install Debian's ninja-build (apt-get install ninja-build)");
  return { cmake, ninja };
}

/** The Zephyr image a build directory holds. */
export const zephyrImage = (buildDir: string): string => path.join(buildDir, 'zephyr', 'zephyr.bin');

/** The user's overlays first, ours last, so ours wins (REFERENCE §5); joined with `;`. */
export function joinOverlays(userOverlays: readonly string[], ours: string): string {
  return [...userOverlays, ours].join(';');
}
