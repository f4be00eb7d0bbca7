/** Resolves a config into concrete inputs (files that exist, tools found) before anything is run. */
import { existsSync, statSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { ToolError } from '../errors.js';
import { ensureTestImage } from '../image/test-image.js';
import { inspectImage, type ImageInfo } from '../image/inspect.js';
import { DEFAULT_XEN } from '../paths.js';
import { loadProfile, type Profile } from '../qemu/profile.js';
import { resolveQemu, type ResolvedQemu } from '../qemu/resolve.js';
import { requireTool } from '../util/require-tool.js';

export interface Inputs {
  profile: Profile;
  xen: string;
  qemu: ResolvedQemu;
  image: ImageInfo;
  imageSource: 'option' | 'test-image';
  dtb: string | null;
  memory: string;
  loadAddr: bigint;
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
      `Xen not found at ${DEFAULT_XEN}: run npm run setup to fetch Debian's xen-hypervisor-4.17-arm64, or pass --xen PATH`,
    );
  }
  return DEFAULT_XEN;
}

export async function resolveInputs(config: Config): Promise<Inputs> {
  const profile = await loadProfile(config.profile);
  const xen = resolveXen(config.xen);
  if (config.dtb && !existsSync(config.dtb)) {
    throw new ToolError('INPUT_NOT_FOUND', 'config', `--dtb ${config.dtb}: no such file (expected a .dts or .dtb for Xen)`);
  }
  const qemu = resolveQemu(profile.binary, config.qemu);
  requireTool('dtc', 'device-tree-compiler');
  requireTool('fdtput', 'device-tree-compiler');
  requireTool('fdtget', 'device-tree-compiler');
  const imagePath = config.image ?? (await ensureTestImage());
  const image = await inspectImage(imagePath);
  return {
    profile,
    xen,
    qemu,
    image,
    imageSource: config.image ? 'option' : 'test-image',
    dtb: config.dtb ?? null,
    memory: config.memory ?? profile.memory,
    loadAddr: BigInt(config.loadAddr ?? profile.loadAddr),
  };
}
