/** Resolves a config into concrete inputs (files that exist, tools found) before anything is run. */
import { existsSync, statSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { ToolError } from '../base/errors.js';
import { ensureTestImage } from '../image/test-image.js';
import { inspectImage, type ImageInfo } from '../image/inspect.js';
import { DEFAULT_XEN, SETUP_COMMAND } from '../base/paths.js';
import { loadProfile, type Profile } from '../qemu/profile.js';
import { resolveQemu, type ResolvedQemu } from '../qemu/resolve.js';
import { requireTool } from '../util/require-tool.js';

/** What a boot needs besides the image. */
export interface Machine {
  profile: Profile;
  xen: string;
  qemu: ResolvedQemu;
  dtb: string | null;
  memory: string;
  loadAddr: bigint;
}

export interface Inputs extends Machine {
  image: ImageInfo;
  imageSource: 'option' | 'test-image';
}

/** The Xen binary: --xen if given (must exist), else the copy `npm run setup` fetched. */
export function resolveXen(explicit: string | undefined): string {
  if (explicit) {
    if (!existsSync(explicit) || !statSync(explicit).isFile()) {
      throw new ToolError(
        'INPUT_NOT_FOUND',
        'config',
        `--xen ${explicit}: no such file (expected an arm64 Xen image, e.g. Debian's boot/xen-4.17-arm64)`,
      );
    }
    return explicit;
  }
  if (!existsSync(DEFAULT_XEN)) {
    throw new ToolError(
      'TOOL_MISSING',
      'tools',
      `Xen not found at ${DEFAULT_XEN}: run ${SETUP_COMMAND} to fetch Debian's xen-hypervisor-4.17-arm64, or pass --xen PATH`,
    );
  }
  return DEFAULT_XEN;
}

/** Profile, Xen, QEMU, host tools and the user's dtb, checked before anything runs. */
export async function resolveMachine(config: Config): Promise<Machine> {
  const profile = await loadProfile(config.profile);
  const xen = resolveXen(config.xen);
  if (config.dtb && !(existsSync(config.dtb) && statSync(config.dtb).isFile())) {
    const why = existsSync(config.dtb) ? 'not a regular file' : 'no such file';
    throw new ToolError('INPUT_NOT_FOUND', 'config', `--dtb ${config.dtb}: ${why} (expected a .dts or .dtb for Xen)`);
  }
  const qemu = resolveQemu(profile.binary, config.qemu);
  requireTool('dtc', 'device-tree-compiler');
  requireTool('fdtput', 'device-tree-compiler');
  requireTool('fdtget', 'device-tree-compiler');
  return {
    profile,
    xen,
    qemu,
    dtb: config.dtb ?? null,
    memory: config.memory ?? profile.memory,
    loadAddr: BigInt(config.loadAddr ?? profile.loadAddr),
  };
}

/** The machine plus the image for `learn`: --image, else the project's test image. */
export async function resolveInputs(config: Config): Promise<Inputs> {
  // Independent file checks side by side (this is the path to QEMU's start); when several are
  // wrong, the machine's error (Xen, QEMU, tools) is the one reported, as when they ran in turn.
  const [machine, image] = await Promise.allSettled([
    resolveMachine(config),
    config.image ? inspectImage(config.image) : ensureTestImage().then((file) => inspectImage(file)),
  ]);
  if (machine.status === 'rejected') throw machine.reason;
  if (image.status === 'rejected') throw image.reason;
  return { ...machine.value, image: image.value, imageSource: config.image ? 'option' : 'test-image' };
}
