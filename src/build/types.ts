/** What every builder takes and returns. */
import type { DtTargets } from '../devicetree/targets.js';

export interface BuildRequest {
  /** The overlay this build must use (EXTRA_DTC_OVERLAY_FILE for Zephyr). */
  overlay: string;
  /** The Kconfig fragment pinning the link address (EXTRA_CONF_FILE for Zephyr); absent: none. */
  confFile?: string;
  /** Build directory; reused between passes for incremental builds. */
  buildDir: string;
  /** Where the build's output is streamed. */
  logFile: string;
  /** --pristine: what earlier builds made was just deleted (build-dir.ts); reuse nothing. Builders delete nothing themselves. */
  pristine: boolean;
  timeoutMs: number;
}

/** The build's own outputs the tool checks the image against (any may be absent). */
export interface BuildOutputs {
  /** The linked ELF (zephyr.elf): its load address. */
  elf?: string;
  /** Kconfig's output (.config): CONFIG_SRAM_BASE_ADDRESS. */
  dotConfig?: string;
  /** The merged devicetree (zephyr.dts): the zephyr,sram and xen,xen nodes. */
  devicetree?: string;
}

export interface BuildResult {
  image: string;
  imageSize: number;
  ms: number;
  /** The commands run, as argv arrays, for the report and the reproduction script. */
  commands: string[][];
  /** True when nothing that goes into the image changed and the previous image was reused. */
  reused?: boolean;
  outputs?: BuildOutputs;
}

export interface Builder {
  readonly kind: 'demo' | 'west' | 'cmake' | 'command';
  /** Default Dom0 success patterns after the hand-over (all must be seen). */
  readonly successPatterns: string[];
  /** Default pattern that means Dom0 reported its own failure. */
  readonly failurePattern: string | null;
  /**
   * The merged devicetree without the tool's overlay (board, snippet, the user's overlays):
   * where the overlay must re-target zephyr,sram and xen,xen. Absent: the built-in
   * qemu_cortex_a53 + xen_dom0 shape is assumed.
   */
  baseDevicetree?(request: Pick<BuildRequest, 'buildDir' | 'logFile' | 'timeoutMs'>): Promise<string>;
  /**
   * What the base devicetree's targets most likely are (the board and snippet's usual shape), so
   * pass 1 builds while baseDevicetree runs; the build stands only when the overlay it renders is
   * the one the real targets render. Absent: pass 1 waits for the base.
   */
  readonly targetsGuess?: DtTargets;
  build(request: BuildRequest): Promise<BuildResult>;
}
